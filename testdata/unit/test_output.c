/*
 * test_output: field escaping, atomic -o files (nothing under the final
 * name until close, no temporary left after close or after dying), values
 * larger than the buffer, write errors (status 4) and a closed pipe
 * (status 0, silent).  Every file lives in a fresh temporary directory so
 * that stray temporaries can be seen.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/output.h"
#include "unit.h"
#include "testio.h"

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

/* Names in the directory, sorted by nothing: joined with '|'. */
static int dir_entries(cx_buf *names)
{
	cx_buf_reset(names);
	DIR *d = opendir(dir);
	int k = 0;
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (k++)
			cx_buf_addc(names, '|');
		cx_buf_adds(names, e->d_name);
	}
	closedir(d);
	return k;
}

/* How many of the '|'-joined names start with prefix. */
static int count_prefix(const cx_buf *names, const char *prefix)
{
	int k = 0;
	size_t n = strlen(prefix);
	for (const char *p = names->p; p && *p;) {
		if (!strncmp(p, prefix, n))
			k++;
		const char *bar = strchr(p, '|');
		if (!bar)
			break;
		p = bar + 1;
	}
	return k;
}

static void clear_dir(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(in_dir(e->d_name));
	closedir(d);
}

/* --- tests --- */

/* What cx_out_field makes of s, through a file. */
static const char *field(const char *s, size_t n)
{
	static cx_buf b = CX_BUF_INIT;
	const char *path = in_dir("field.out");
	cx_output *o = cx_output_open(path);
	cx_out_field(o, s, n);
	cx_output_close(o);
	slurp(path, &b);
	unlink(path);
	return b.p;
}

static void test_field(void)
{
	CHECK_STR(field("plain text", 10), "plain text");
	CHECK_STR(field("", 0), "");
	CHECK_STR(field("a\tb", 3), "a\\tb");
	CHECK_STR(field("a\nb", 3), "a\\nb");
	CHECK_STR(field("a\rb", 3), "a\\rb");
	CHECK_STR(field("a\\b", 3), "a\\\\b");
	CHECK_STR(field("\t\n\r\\", 4), "\\t\\n\\r\\\\");
	CHECK_STR(field("\\t", 2), "\\\\t");
	CHECK_STR(field("\xE4\xB8\xAD\t\xE6\x96\x87", 7), "\xE4\xB8\xAD\\t\xE6\x96\x87");
	/* Only n bytes. */
	CHECK_STR(field("ab\tcd", 2), "ab");
	/* Other control characters pass as they are. */
	CHECK_STR(field("\x01\x1b\x7f", 3), "\x01\x1b\x7f");
}

static void test_atomic(void)
{
	cx_buf b = CX_BUF_INIT, names = CX_BUF_INIT;
	const char *path = in_dir("result.tsv");

	cx_output *o = cx_output_open(path);
	CHECK(o->path != NULL && o->tmp != NULL);
	/* The temporary is beside the file, hidden. */
	CHECK(o->tmp && strncmp(o->tmp, in_dir(".result.tsv."), strlen(in_dir(".result.tsv."))) == 0);
	cx_out_s(o, "a\tb\n");
	cx_out_field(o, "x\ty", 3);
	cx_out_eol(o);
	cx_output_flush(o);
	/* Not there under its name until close, even after a flush. */
	CHECK_INT(access(path, F_OK), -1);
	CHECK_INT(dir_entries(&names), 1);
	CHECK(names.p && strncmp(names.p, ".result.tsv.", 12) == 0);
	/* The flushed bytes are in the temporary. */
	CHECK_INT(slurp(o->tmp, &b), 0);
	CHECK_STR(b.p, "a\tb\nx\\ty\n");
	cx_out_s(o, "tail");
	cx_output_close(o);
	CHECK_INT(slurp(path, &b), 0);
	CHECK_STR(b.p, "a\tb\nx\\ty\ntail");
	CHECK_INT(dir_entries(&names), 1);
	CHECK_STR(names.p, "result.tsv");
	/* The mode a plain open would give, not mkstemp's 0600. */
	struct stat st;
	mode_t um = umask(022);
	umask(um);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0666 & ~um);

	/* Replacing a file: the old content stays until close. */
	o = cx_output_open(path);
	cx_out_s(o, "new content\n");
	cx_output_flush(o);
	CHECK_INT(slurp(path, &b), 0);
	CHECK_STR(b.p, "a\tb\nx\\ty\ntail");
	CHECK_INT(dir_entries(&names), 2);
	cx_output_close(o);
	CHECK_INT(slurp(path, &b), 0);
	CHECK_STR(b.p, "new content\n");
	CHECK_INT(dir_entries(&names), 1);

	/* An empty output makes an empty file. */
	o = cx_output_open(in_dir("empty"));
	cx_output_close(o);
	CHECK_INT(slurp(in_dir("empty"), &b), 0);
	CHECK_INT(b.len, 0);
	CHECK_INT(dir_entries(&names), 2);

	/* A path without a directory: the temporary is in the current one. */
	char cwd[512];
	if (getcwd(cwd, sizeof cwd) && chdir(dir) == 0) {
		o = cx_output_open("bare.txt");
		CHECK(o->tmp && strncmp(o->tmp, ".bare.txt.", 10) == 0);
		cx_out_s(o, "bare\n");
		cx_output_close(o);
		CHECK_INT(slurp("bare.txt", &b), 0);
		CHECK_STR(b.p, "bare\n");
		CHECK_INT(chdir(cwd), 0);
	}
	CHECK_INT(dir_entries(&names), 3);

	/* Line-buffered: each record reaches the file at its end. */
	o = cx_output_open(in_dir("lines"));
	o->line_buffered = 1;
	cx_out_s(o, "r1");
	CHECK_INT(slurp(o->tmp, &b), 0);
	CHECK_STR(b.p, "");
	cx_out_eol(o);
	CHECK_INT(slurp(o->tmp, &b), 0);
	CHECK_STR(b.p, "r1\n");
	cx_output_close(o);
	clear_dir();
	cx_buf_free(&b);
	cx_buf_free(&names);
}

static void test_big(void)
{
	cx_buf b = CX_BUF_INIT, want = CX_BUF_INIT;
	const char *path = in_dir("big");
	size_t n = CX_OUTPUT_BUFFER + 12345;
	char *v = malloc(n);
	for (size_t i = 0; i < n; i++)
		v[i] = (char)('a' + i % 26);

	/* Some bytes buffered, then a raw value larger than the buffer,
	 * then more: order is kept. */
	cx_output *o = cx_output_open(path);
	cx_out_s(o, "head:");
	cx_out_raw(o, v, n);
	cx_out_c(o, ':');
	cx_out_field(o, v, n);
	cx_out_s(o, ":end");
	cx_output_close(o);
	cx_buf_adds(&want, "head:");
	cx_buf_add(&want, v, n);
	cx_buf_addc(&want, ':');
	cx_buf_add(&want, v, n);
	cx_buf_adds(&want, ":end");
	CHECK_INT(slurp(path, &b), 0);
	CHECK_INT(b.len, want.len);
	CHECK(b.len == want.len && memcmp(b.p, want.p, b.len) == 0);

	/* A large value with escapes every few bytes. */
	for (size_t i = 0; i < n; i += 1000)
		v[i] = '\t';
	o = cx_output_open(path);
	cx_out_field(o, v, n);
	cx_output_close(o);
	cx_buf_reset(&want);
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\t')
			cx_buf_add(&want, "\\t", 2);
		else
			cx_buf_addc(&want, v[i]);
	}
	CHECK_INT(slurp(path, &b), 0);
	CHECK_INT(b.len, want.len);
	CHECK(b.len == want.len && memcmp(b.p, want.p, b.len) == 0);

	/* One byte at a time across the buffer's end, then exactly a
	 * buffer's worth in one call. */
	o = cx_output_open(path);
	for (size_t i = 0; i < CX_OUTPUT_BUFFER + 10; i++)
		cx_out_c(o, (char)('0' + i % 10));
	cx_out_raw(o, v, CX_OUTPUT_BUFFER);
	cx_output_close(o);
	CHECK_INT(slurp(path, &b), 0);
	CHECK_INT(b.len, 2 * CX_OUTPUT_BUFFER + 10);
	CHECK(b.len == 2 * CX_OUTPUT_BUFFER + 10 && b.p[CX_OUTPUT_BUFFER + 9] == '0' + (CX_OUTPUT_BUFFER + 9) % 10 &&
	      memcmp(b.p + CX_OUTPUT_BUFFER + 10, v, CX_OUTPUT_BUFFER) == 0);
	free(v);
	clear_dir();
	cx_buf_free(&b);
	cx_buf_free(&want);
}

/* --- in children ---
 * What a child allocates before it dies is kept in statics, so that
 * LeakSanitizer, which runs at exit() under ASan, does not call it lost. */

static cx_output *child_o;

static void child_dev_full(void *arg)
{
	size_t n = *(size_t *)arg;
	int fd = open("/dev/full", O_WRONLY);
	if (fd < 0)
		_exit(98);
	dup2(fd, 1);
	close(fd);
	static char zeros[CX_OUTPUT_BUFFER * 2];
	child_o = cx_output_open(NULL);
	cx_out_raw(child_o, zeros, n < sizeof zeros ? n : sizeof zeros);
	cx_output_close(child_o);
}

static void child_closed_pipe(void *arg)
{
	size_t n = *(size_t *)arg;
	int p[2];
	if (pipe(p) < 0)
		_exit(98);
	close(p[0]);
	dup2(p[1], 1);
	close(p[1]);
	child_o = cx_output_open("-");
	for (size_t i = 0; i < n; i++)
		cx_out_s(child_o, "a line of output\n");
	cx_output_close(child_o);
	_exit(97);	/* not reached: EPIPE ends the program with 0 */
}

static void child_die_after_open(void *arg)
{
	child_o = cx_output_open(arg);
	cx_out_s(child_o, "partial\n");
	cx_output_flush(child_o);
	cx_die(CX_EXIT_DATA, "stop here");
}

static void child_signal_after_open(void *arg)
{
	child_o = cx_output_open(arg);
	cx_out_s(child_o, "partial\n");
	cx_output_flush(child_o);
	raise(SIGTERM);
}

static void child_open(void *arg)
{
	child_o = cx_output_open(arg);
}

static cx_output *child_o2;

static void child_die_two_outputs(void *arg)
{
	(void)arg;
	child_o = cx_output_open(in_dir("out.tsv"));
	child_o2 = cx_output_open(in_dir("rejects.tsv"));
	cx_out_s(child_o, "x\n");
	cx_out_s(child_o2, "y\n");
	cx_die(CX_EXIT_DATA, "bad data");
}

/* One output closed (renamed into place), the other open at death. */
static void child_close_one_then_die(void *arg)
{
	(void)arg;
	child_o = cx_output_open(in_dir("done.tsv"));
	child_o2 = cx_output_open(in_dir("open.tsv"));
	cx_out_s(child_o, "done\n");
	cx_output_close(child_o);
	child_o = NULL;
	cx_out_s(child_o2, "y\n");
	cx_output_flush(child_o2);
	raise(SIGINT);
}

/* volatile: the stores must stay, so that valgrind sees the outputs as
 * still reachable when the child dies (they are never read back). */
static cx_output *volatile child_many[16];

/* Twenty outputs one after another, then more than eight at once. */
static void child_many_outputs(void *arg)
{
	(void)arg;
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "seq%d", i);
		child_many[0] = cx_output_open(in_dir(name));
		cx_output_close(child_many[0]);
	}
	for (int i = 0; i < 16; i++) {
		snprintf(name, sizeof name, "many%d", i);
		child_many[i] = cx_output_open(in_dir(name));
	}
}

static void test_errors(void)
{
	cx_buf names = CX_BUF_INIT;
	size_t small = 10, big = CX_OUTPUT_BUFFER * 2;
	/* /dev/full: at close for a small output, at once for a big one. */
	CHECK_INT(run_child(child_dev_full, &small), 4);
	CHECK_ERR_HAS("write error on standard output: No space left on device");
	CHECK_INT(run_child(child_dev_full, &big), 4);
	CHECK_ERR_HAS("No space left on device");

	/* A reader that went away: status 0 and not a word. */
	size_t lines = 100000;
	CHECK_INT(run_child(child_closed_pipe, &lines), 0);
	CHECK_STR(child_err, "");
	lines = 1;	/* found at close */
	CHECK_INT(run_child(child_closed_pipe, &lines), 0);
	CHECK_STR(child_err, "");

	/* Dying removes the temporary; the old file is left alone. */
	const char *path = in_dir("kept");
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("old\n", f);
		fclose(f);
	}
	CHECK_INT(run_child(child_die_after_open, (void *)path), 3);
	CHECK_ERR_HAS("stop here");
	CHECK_INT(dir_entries(&names), 1);
	CHECK_STR(names.p, "kept");
	CHECK_INT(run_child(child_die_after_open, (void *)in_dir("new")), 3);
	CHECK_INT(dir_entries(&names), 1);
	CHECK_STR(names.p, "kept");
	/* So does SIGTERM, and the child dies of the signal. */
	CHECK_INT(run_child(child_signal_after_open, (void *)in_dir("new")), 100 + SIGTERM);
	CHECK_INT(dir_entries(&names), 1);
	CHECK_STR(names.p, "kept");
	cx_buf b = CX_BUF_INIT;
	CHECK_INT(slurp(path, &b), 0);
	CHECK_STR(b.p, "old\n");
	cx_buf_free(&b);

	/* No directory to put the file in. */
	CHECK_INT(run_child(child_open, (void *)"/nonexistent/dir/out.tsv"), 4);
	CHECK_ERR_HAS("cannot create a temporary file for '/nonexistent/dir/out.tsv'");

	/* Two atomic outputs (cx-ingest -o OUT --rejects REJ): dying
	 * removes both temporaries. */
	CHECK_INT(run_child(child_die_two_outputs, NULL), 3);
	CHECK_INT(dir_entries(&names), 1);
	CHECK_STR(names.p, "kept");
	/* A closed output stays; the open one's temporary goes. */
	CHECK_INT(run_child(child_close_one_then_die, NULL), 100 + SIGINT);
	CHECK_INT(dir_entries(&names), 2);
	CHECK(names.p && (strcmp(names.p, "kept|done.tsv") == 0 || strcmp(names.p, "done.tsv|kept") == 0));
	unlink(in_dir("done.tsv"));
	/* Slots are reused; more than 8 open at once is refused, and every
	 * temporary is removed. */
	CHECK_INT(run_child(child_many_outputs, NULL), 4);
	CHECK_ERR_HAS("more than 8 output files open at once");
	int k = dir_entries(&names);
	CHECK(k == 21 || k == 22);
	CHECK_INT(count_prefix(&names, "seq"), 20);
	for (int i = 0; i < 8; i++) {
		char tmp[16];
		snprintf(tmp, sizeof tmp, ".many%d.", i);
		CHECK_INT(count_prefix(&names, tmp), 0);
	}
	/* The ninth file is refused before its temporary is made. */
	CHECK_INT(count_prefix(&names, ".many8."), 0);
	CHECK_INT(k, 21);
	clear_dir();
	clear_dir();
	cx_buf_free(&names);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/cx-test-output-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_field();
	test_atomic();
	test_big();
	test_errors();
	clear_dir();
	rmdir(dir);
	return unit_done("test_output");
}
