/*
 * testio.h: the process and file helpers that the unit tests of the
 * input, stream, rows, format and output layers share, kept here once.
 *
 *   tmp_file, tmp_text, tmp_gzip  a temporary file with the given bytes,
 *                                 text or gzip members; remove_tmp_files()
 *                                 at the end of main() removes them all.
 *   slurp, read_bytes             a whole file back, into a cx_buf or an
 *                                 array.
 *   run_child, child_err,         fn(arg) in a forked child, for what must
 *   CHECK_ERR_HAS                 end the program: its status and what it
 *                                 wrote to standard error.
 *   slow_pipe, reap               a child that writes to a pipe one byte at
 *                                 a time, and waiting for it.
 *
 * unit.h keeps the CHECK macros and counts; this file only adds helpers,
 * every one of them static and marked unused, so that a test includes it
 * whole and uses what it needs.  What a test does with the helpers, and
 * the statics its dying children leave behind, stay in the test.  A test
 * that makes temporary files may name them by defining TESTIO_TMP (e.g.
 * "/tmp/cx-test-input") before the include.
 */
#ifndef CX_TESTIO_H
#define CX_TESTIO_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "unit.h"

#ifndef TESTIO_TMP
#define TESTIO_TMP "/tmp/cx-test"
#endif

#define TESTIO_UNUSED __attribute__((unused))

/* --- temporary files, removed at the end --- */

TESTIO_UNUSED static char *tmp_paths[64];
TESTIO_UNUSED static size_t ntmp;

/* A new temporary file holding the n bytes at data; its name. */
TESTIO_UNUSED static char *tmp_file(const void *data, size_t n)
{
	char *path = strdup(TESTIO_TMP "-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0) {
			perror("write");
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
	close(fd);
	if (ntmp < sizeof tmp_paths / sizeof tmp_paths[0])
		tmp_paths[ntmp++] = path;
	return path;
}

TESTIO_UNUSED static char *tmp_text(const char *s)
{
	return tmp_file(s, strlen(s));
}

/* A gzip file of the given members, one gzopen/gzwrite/gzclose each
 * ("ab" appends a new member). */
TESTIO_UNUSED static char *tmp_gzip(const char *const *members, size_t nmembers)
{
	char *path = tmp_file("", 0);
	for (size_t i = 0; i < nmembers; i++) {
		gzFile gz = gzopen(path, i ? "ab" : "wb");
		if (!gz) {
			fprintf(stderr, "gzopen %s failed\n", path);
			exit(1);
		}
		size_t n = strlen(members[i]);
		if (n && gzwrite(gz, members[i], (unsigned)n) != (int)n) {
			fprintf(stderr, "gzwrite failed\n");
			exit(1);
		}
		gzclose(gz);
	}
	return path;
}

TESTIO_UNUSED static void remove_tmp_files(void)
{
	for (size_t i = 0; i < ntmp; i++) {
		unlink(tmp_paths[i]);
		free(tmp_paths[i]);
	}
	ntmp = 0;
}

/* --- reading a file back --- */

/* The whole file into b (b->p is a C string even when it is empty); -1 if
 * it cannot be opened. */
TESTIO_UNUSED static int slurp(const char *path, cx_buf *b)
{
	cx_buf_reset(b);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	char tmp[65536];
	ssize_t r;
	while ((r = read(fd, tmp, sizeof tmp)) > 0)
		cx_buf_add(b, tmp, (size_t)r);
	close(fd);
	if (!b->p)
		cx_buf_grow(b, 1);
	return 0;
}

/* At most cap bytes of the file into buf; how many (0 if it cannot be
 * opened). */
TESTIO_UNUSED static size_t read_bytes(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* --- children --- */

/* Waits for pid: its exit status, 100 + signal, or -1. */
TESTIO_UNUSED static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 100 + WTERMSIG(st);
	return -1;
}

TESTIO_UNUSED static char child_err[4096];

/* Runs fn(arg) in a child with standard error captured into child_err;
 * returns the exit status, or 100 + signal, or 99 if fn returned. */
TESTIO_UNUSED static int run_child(void (*fn)(void *), void *arg)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 2);
		close(p[1]);
		fn(arg);
		_exit(99);
	}
	close(p[1]);
	size_t len = 0;
	for (;;) {
		ssize_t r = read(p[0], child_err + len, sizeof child_err - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == sizeof child_err - 1)
			break;
	}
	child_err[len] = '\0';
	close(p[0]);
	return reap(pid);
}

/* What the last run_child wrote to standard error contains s. */
#define CHECK_ERR_HAS(s) do { \
	const char *s_ = (s); \
	if (strstr(child_err, s_)) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: stderr \"%s\" lacks \"%s\"\n", \
		__FILE__, __LINE__, child_err, s_); } \
} while (0)

/* Starts a child writing data to a pipe one byte per write(2), pausing
 * between bytes so that each read(2) sees one; returns the read end. */
TESTIO_UNUSED static int slow_pipe(const char *data, size_t n, pid_t *pid)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	*pid = fork();
	if (*pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < n; i++) {
			if (write(p[1], data + i, 1) != 1)
				_exit(1);
			usleep(300);
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

#endif
