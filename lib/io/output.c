#include "io/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"

/* Temporary files to remove if we die: -o, --rejects, a state file,
 * cx-sort's runs (cx_tmp_make). */
#define MAX_TMP 8
static char *tmp_files[MAX_TMP];
static volatile sig_atomic_t ntmp;

static void remove_tmp(void)
{
	for (int i = 0; i < ntmp; i++)
		if (tmp_files[i])
			unlink(tmp_files[i]);
	ntmp = 0;
}

void cx_tmp_forget(const char *path)
{
	for (int i = 0; i < ntmp; i++)
		if (tmp_files[i] == path)
			tmp_files[i] = NULL;
}

static void on_signal(int sig)
{
	/* unlink(2) is async-signal-safe; then die of the same signal so the
	 * parent sees what happened. */
	for (int i = 0; i < ntmp; i++)
		if (tmp_files[i])
			unlink(tmp_files[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int cx_tmp_make(char *tmpl)
{
	int slot = 0;
	while (slot < ntmp && tmp_files[slot])
		slot++;
	if (slot == MAX_TMP)
		return -2;
	static int hooked;
	if (!hooked) {
		hooked = 1;
		cx_atdie(remove_tmp);
		catch_signals();
	}
	/* Registered before it exists: a signal during mkstemp unlinks a name
	 * that is either still the template or the new file. */
	tmp_files[slot] = tmpl;
	if (slot == ntmp)
		ntmp = ntmp + 1;
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		int e = errno;
		tmp_files[slot] = NULL;
		errno = e;
	}
	return fd;
}

cx_output *cx_output_open(const char *path)
{
	cx_output *o = cx_calloc(1, sizeof *o);
	o->buf = cx_malloc(CX_OUTPUT_BUFFER);
	/* A closed pipe must end us quietly with status 0, which a SIGPIPE
	 * death would not; EPIPE is handled where write(2) reports it. */
	signal(SIGPIPE, SIG_IGN);
	if (!path || !strcmp(path, "-")) {
		o->fd = 1;
		return o;
	}
	/* A device or a pipe (-o /dev/stdout, -o /dev/null, a FIFO) is written
	 * as it is: renaming a temporary file over it would replace it with a
	 * regular file.  A symbolic link is followed, so the file it points
	 * to is replaced, not the link. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (o->fd < 0)
			cx_die(CX_EXIT_IO, "cannot open '%s': %s", path, strerror(errno));
		o->direct = 1;
		o->path = cx_strdup(path);
		return o;
	}
	char *real = NULL;
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		real = realpath(path, NULL);
		if (!real)
			cx_die(CX_EXIT_IO, "cannot follow the link '%s': %s", path, strerror(errno));
		path = real;
	}
	o->path = cx_strdup(path);
	free(real);
	path = o->path;
	cx_buf t = CX_BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		cx_buf_addf(&t, "%.*s.%s.XXXXXX", (int)(slash - path + 1), path, slash + 1);
	else
		cx_buf_addf(&t, ".%s.XXXXXX", path);
	o->fd = cx_tmp_make(t.p);
	if (o->fd == -2)
		cx_die(CX_EXIT_IO, "more than %d output files open at once", MAX_TMP);
	if (o->fd < 0)
		cx_die(CX_EXIT_IO, "cannot create a temporary file for '%s': %s", path, strerror(errno));
	/* mkstemp makes 0600; give the file the mode a plain open would. */
	mode_t um = umask(0);
	umask(um);
	fchmod(o->fd, 0666 & ~um);
	o->tmp = t.p;
	return o;
}

cx_output *cx_output_fdopen(int fd, const char *name)
{
	cx_output *o = cx_calloc(1, sizeof *o);
	o->buf = cx_malloc(CX_OUTPUT_BUFFER);
	o->fd = fd;
	o->direct = 1;
	o->path = cx_strdup(name);
	return o;
}

static _Noreturn void write_failed(cx_output *o, int err)
{
	if (err == EPIPE) {
		/* The reader is gone: nothing more to say to anybody. */
		cx_die_quietly(CX_EXIT_OK);
	}
	cx_die(CX_EXIT_IO, "write error on %s: %s", o->path ? o->path : "standard output",
	       strerror(err));
}

static void write_all(cx_output *o, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			write_failed(o, errno);
		}
		p += w;
		n -= (size_t)w;
	}
}

void cx_output_flush(cx_output *o)
{
	if (o->len) {
		write_all(o, o->buf, o->len);
		o->len = 0;
	}
}

void cx_out_raw(cx_output *o, const void *p, size_t n)
{
	if (n > CX_OUTPUT_BUFFER - o->len) {
		cx_output_flush(o);
		if (n >= CX_OUTPUT_BUFFER) {
			write_all(o, p, n);
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void cx_out_field(cx_output *o, const char *p, size_t n)
{
	const char *e = p + n;
	while (p < e) {
		const char *q = p;
		while (q < e && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\\')
			q++;
		cx_out_raw(o, p, (size_t)(q - p));
		if (q == e)
			break;
		char esc[2] = { '\\', 0 };
		switch (*q) {
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		default: esc[1] = '\\'; break;
		}
		cx_out_raw(o, esc, 2);
		p = q + 1;
	}
}

void cx_output_close(cx_output *o)
{
	cx_output_flush(o);
	if (o->direct) {
		if (close(o->fd) < 0)
			write_failed(o, errno);
		free(o->path);
	} else if (o->path) {
		if (fsync(o->fd) < 0 && errno != EINVAL)
			write_failed(o, errno);
		if (close(o->fd) < 0)
			write_failed(o, errno);
		if (rename(o->tmp, o->path) < 0)
			cx_die(CX_EXIT_IO, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
			       strerror(errno));
		cx_tmp_forget(o->tmp);
		free(o->tmp);
		free(o->path);
	} else if (o->fd == 1) {
		/* A full disk behind a redirect shows only here, at close. */
		if (close(1) < 0 && errno != EINTR)
			write_failed(o, errno);
	}
	free(o->buf);
	free(o);
}

int cx_lock_beside(const char *path)
{
	cx_buf lock = CX_BUF_INIT;
	cx_buf_adds(&lock, path);
	cx_buf_adds(&lock, ".lock");
	int fd = open(lock.p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		cx_die(CX_EXIT_IO, "%s: cannot open the lock file: %s", lock.p, strerror(errno));
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			cx_die(CX_EXIT_IO, "%s: cannot lock: %s", lock.p, strerror(errno));
	cx_buf_free(&lock);
	return fd;
}

void cx_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* the flock goes with the last descriptor */
}

void cx_out_header(cx_output *o, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			cx_out_c(o, '\t');
		cx_out_field(o, names[i], strlen(names[i]));
	}
	cx_out_eol(o);
}
