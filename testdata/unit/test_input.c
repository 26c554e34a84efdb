/*
 * test_input: the byte layer under every reader.  Lines and line numbers,
 * a last line without newline, CR kept (the layers above remove it), the
 * BOM dropped, blocks, gzip, lines longer than a block and lines across
 * block boundaries, a pipe that delivers a byte at a time, and conversion
 * from GBK and UTF-16LE, including a GBK character cut by the 256 KiB
 * block boundary.  Paths that must end the program run in a forked child.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "io/input.h"
#include "unit.h"
#define TESTIO_TMP "/tmp/cx-test-input"
#include "testio.h"

/* --- helpers --- */

/* All lines of an input, each followed by '|', with their numbers
 * checked to run 1, 2, 3... */
static const char *all_lines(cx_input *in, int *numbers_ok)
{
	static cx_buf b = CX_BUF_INIT;
	cx_buf_reset(&b);
	cx_buf_grow(&b, 1);
	b.p[0] = '\0';
	const char *l;
	size_t n;
	long k = 0;
	*numbers_ok = 1;
	while (cx_input_line(in, &l, &n)) {
		if (cx_input_lineno(in) != ++k)
			*numbers_ok = 0;
		cx_buf_add(&b, l, n);
		cx_buf_addc(&b, '|');
	}
	return b.p;
}

static const char *lines_of(const char *path, const char *enc)
{
	int ok;
	cx_input *in = cx_input_open(path, enc);
	const char *s = all_lines(in, &ok);
	CHECK(ok);
	cx_input_close(in);
	return s;
}

/* Everything cx_input_block hands out, concatenated. */
static void all_blocks(const char *path, const char *enc, cx_buf *out, int *nblocks)
{
	cx_input *in = cx_input_open(path, enc);
	const char *p;
	size_t n;
	cx_buf_reset(out);
	*nblocks = 0;
	while (cx_input_block(in, &p, &n)) {
		cx_buf_add(out, p, n);
		++*nblocks;
	}
	CHECK_INT(cx_input_block(in, &p, &n), 0);
	cx_input_close(in);
}

/* --- tests --- */

static void test_lines(void)
{
	const char *path = tmp_text("one\ntwo\n\nfour\n");
	cx_input *in = cx_input_open(path, NULL);
	CHECK_STR(cx_input_name(in), path);
	CHECK_INT(cx_input_lineno(in), 0);
	const char *l;
	size_t n;
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "one");
	CHECK_INT(cx_input_lineno(in), 1);
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "two");
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_INT(n, 0);
	CHECK_INT(cx_input_lineno(in), 3);
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "four");
	CHECK_INT(cx_input_lineno(in), 4);
	CHECK_INT(cx_input_line(in, &l, &n), 0);
	CHECK_INT(cx_input_line(in, &l, &n), 0);
	CHECK_INT(cx_input_lineno(in), 4);
	CHECK(!cx_input_is_gzip(in));
	cx_input_close(in);

	/* Empty input: no line at all.  A lone newline: one empty line. */
	CHECK_STR(lines_of(tmp_text(""), NULL), "");
	CHECK_STR(lines_of(tmp_text("\n"), NULL), "|");
	CHECK_STR(lines_of(tmp_text("\n\n"), NULL), "||");
	/* A last line without newline counts. */
	CHECK_STR(lines_of(tmp_text("a\nb"), NULL), "a|b|");
	CHECK_STR(lines_of(tmp_text("x"), NULL), "x|");
	/* CR is data at this layer: the stream and rows readers drop it. */
	CHECK_STR(lines_of(tmp_text("a\r\nb\r\n"), NULL), "a\r|b\r|");
	CHECK_STR(lines_of(tmp_text("a\rb\n"), NULL), "a\rb|");
	/* NUL bytes pass through. */
	in = cx_input_open(tmp_file("a\0b\n", 4), NULL);
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_INT(n, 3);
	CHECK(n == 3 && memcmp(l, "a\0b", 3) == 0);
	cx_input_close(in);
	/* The BOM is dropped at the start only, with or without more. */
	CHECK_STR(lines_of(tmp_text("\xEF\xBB\xBFh\n\xEF\xBB\xBFx\n"), NULL), "h|\xEF\xBB\xBFx|");
	CHECK_STR(lines_of(tmp_text("\xEF\xBB\xBF"), NULL), "");
	CHECK_STR(lines_of(tmp_text("\xEF\xBB\xBF\n"), NULL), "|");
	CHECK_STR(lines_of(tmp_text("\xEF\xBBx\n"), NULL), "\xEF\xBBx|");
	/* "utf-8" in any spelling is no conversion. */
	CHECK_STR(lines_of(tmp_text("\xEF\xBB\xBF\xE4\xB8\xAD\n"), "UTF-8"), "\xE4\xB8\xAD|");
	CHECK_STR(lines_of(tmp_text("a\n"), "utf8"), "a|");
	CHECK_STR(lines_of(tmp_text("a\n"), ""), "a|");
}

static void test_blocks(void)
{
	cx_buf got = CX_BUF_INIT;
	int nb;
	all_blocks(tmp_text("\xEF\xBB\xBF" "a\nb\nc"), NULL, &got, &nb);
	CHECK_MEM(got.p, got.len, "a\nb\nc");
	CHECK_INT(nb, 1);
	all_blocks(tmp_text(""), NULL, &got, &nb);
	CHECK_INT(got.len, 0);
	CHECK_INT(nb, 0);

	/* 700 KB: several blocks, together exactly the file. */
	size_t size = 700 * 1000;
	char *data = malloc(size);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i % 61 == 60 ? '\n' : 'A' + i % 23);
	all_blocks(tmp_file(data, size), NULL, &got, &nb);
	CHECK_INT(got.len, size);
	CHECK(got.len == size && memcmp(got.p, data, size) == 0);
	CHECK(nb >= 2);

	/* The same through gzip. */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	const char *members[] = { text };
	char *gz = tmp_gzip(members, 1);
	all_blocks(gz, NULL, &got, &nb);
	CHECK_INT(got.len, size);
	CHECK(got.len == size && memcmp(got.p, data, size) == 0);
	cx_input *in = cx_input_open(gz, NULL);
	const char *p;
	size_t n;
	CHECK_INT(cx_input_is_gzip(in), 0);	/* not known before the first read */
	CHECK_INT(cx_input_block(in, &p, &n), 1);
	CHECK_INT(cx_input_is_gzip(in), 1);
	cx_input_close(in);

	/* And lines across all those block boundaries. */
	in = cx_input_open(gz, NULL);
	size_t off = 0, bad = 0;
	long k = 0;
	const char *l;
	while (cx_input_line(in, &l, &n)) {
		const char *nl = memchr(data + off, '\n', size - off);
		size_t want = nl ? (size_t)(nl - data) - off : size - off;
		if (n != want || memcmp(l, data + off, n))
			bad++;
		off += want + 1;
		k++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(k, size / 61 + 1);
	CHECK_INT(cx_input_lineno(in), k);
	cx_input_close(in);
	free(text);
	free(data);
	cx_buf_free(&got);
}

static void test_gzip(void)
{
	const char *one[] = { "\xEF\xBB\xBFh\nline two\nno newline" };
	char *gz = tmp_gzip(one, 1);
	CHECK_STR(lines_of(gz, NULL), "h|line two|no newline|");
	cx_input *in = cx_input_open(gz, NULL);
	int ok;
	all_lines(in, &ok);
	CHECK_INT(cx_input_is_gzip(in), 1);
	CHECK_INT(cx_input_lineno(in), 3);
	cx_input_close(in);

	/* Members cut inside a line and an empty member. */
	const char *members[] = { "a\nb", "c\n", "", "d\n" };
	CHECK_STR(lines_of(tmp_gzip(members, 4), NULL), "a|bc|d|");
	/* A gzip file of nothing. */
	const char *none[] = { "" };
	CHECK_STR(lines_of(tmp_gzip(none, 1), NULL), "");
	/* One byte 0x1f alone is not gzip. */
	CHECK_STR(lines_of(tmp_text("\x1f"), NULL), "\x1f|");
	/* GBK inside gzip: inflate, then convert. */
	const char *gbk[] = { "id\n\xCD\xCB\xBF\xEE\n" };
	CHECK_STR(lines_of(tmp_gzip(gbk, 1), "GBK"), "id|\xE9\x80\x80\xE6\xAC\xBE|");
}

static void test_long_lines(void)
{
	/* A 1 MB line between two short ones. */
	size_t big = 1024 * 1024;
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(&t, "first\n");
	cx_buf_grow(&t, big);
	for (size_t i = 0; i < big; i++)
		t.p[t.len + i] = (char)('a' + i % 26);
	t.len += big;
	cx_buf_adds(&t, "\nlast");
	cx_input *in = cx_input_open(tmp_file(t.p, t.len), NULL);
	const char *l;
	size_t n;
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "first");
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_INT(n, big);
	CHECK(n == big && memcmp(l, t.p + 6, big) == 0);
	CHECK_INT(cx_input_lineno(in), 2);
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "last");
	CHECK_INT(cx_input_line(in, &l, &n), 0);
	cx_input_close(in);

	/* A newline as the last byte of the first block, and as the first
	 * byte of the second. */
	for (int shift = 0; shift < 2; shift++) {
		cx_buf_reset(&t);
		size_t len1 = (size_t)CX_INPUT_BLOCK - 1 + (size_t)shift;
		cx_buf_grow(&t, len1);
		memset(t.p, 'x', len1);
		t.len = len1;
		cx_buf_adds(&t, "\ny\n");
		CHECK_INT(t.p[CX_INPUT_BLOCK - 1 + shift], '\n');
		in = cx_input_open(tmp_file(t.p, t.len), NULL);
		CHECK_INT(cx_input_line(in, &l, &n), 1);
		CHECK_INT(n, len1);
		CHECK_INT(cx_input_line(in, &l, &n), 1);
		CHECK_MEM(l, n, "y");
		CHECK_INT(cx_input_line(in, &l, &n), 0);
		cx_input_close(in);
	}
	cx_buf_free(&t);
}

static void test_slow_pipe(void)
{
	const char *text = "ab\n\ncd\r\n\xE4\xB8\xAD\nend";
	pid_t pid;
	int fd = slow_pipe(text, strlen(text), &pid);
	char path[32];
	snprintf(path, sizeof path, "/dev/fd/%d", fd);
	CHECK_STR(lines_of(path, NULL), "ab||cd\r|\xE4\xB8\xAD|end|");
	close(fd);
	CHECK_INT(reap(pid), 0);

	/* Standard input ("-"), GBK a byte at a time: every character is
	 * cut between two reads. */
	const char *gbk = "\xCD\xCB\xBF\xEE\n\xCD\xCB";
	fd = slow_pipe(gbk, strlen(gbk), &pid);
	int saved = dup(0);
	dup2(fd, 0);
	close(fd);
	cx_input *in = cx_input_open("-", "GBK");
	CHECK_STR(cx_input_name(in), "(stdin)");
	int ok;
	CHECK_STR(all_lines(in, &ok), "\xE9\x80\x80\xE6\xAC\xBE|\xE9\x80\x80|");
	CHECK(ok);
	cx_input_close(in);
	dup2(saved, 0);
	close(saved);
	CHECK_INT(reap(pid), 0);
	/* Standard input is not closed by cx_input_close. */
	CHECK(fcntl(0, F_GETFD) != -1);

	/* A BOM that arrives in pieces is removed too: start() reads until
	 * it has 3 bytes. */
	const char *bom = "\xEF\xBB\xBFh\n";
	fd = slow_pipe(bom, strlen(bom), &pid);
	snprintf(path, sizeof path, "/dev/fd/%d", fd);
	CHECK_STR(lines_of(path, NULL), "h|");
	close(fd);
	reap(pid);
}

struct open_args {
	const char *path, *enc;
};

/* Kept in a static, so that LeakSanitizer (at exit() under ASan) does
 * not call it lost when the child dies. */
static cx_input *child_in;

static void die_read(void *arg)
{
	const struct open_args *a = arg;
	child_in = cx_input_open(a->path, a->enc);
	const char *l;
	size_t n;
	while (cx_input_line(child_in, &l, &n))
		;
	cx_input_close(child_in);
	child_in = NULL;
}

static void test_gbk(void)
{
	/* CD CB BF EE is 退款. */
	CHECK_STR(lines_of(tmp_text("\xCD\xCB\xBF\xEE\n"), "GBK"), "\xE9\x80\x80\xE6\xAC\xBE|");
	CHECK_STR(lines_of(tmp_text("a\xCD\xCB" "b\r\nc"), "gbk"), "a\xE9\x80\x80" "b\r|c|");
	/* GB18030 four-byte form: 81 30 81 30 is U+0080. */
	CHECK_STR(lines_of(tmp_text("\x81\x30\x81\x30\n"), "GB18030"), "\xC2\x80|");

	/* > 256 KiB of GBK: 5-byte lines after one ASCII byte, so that the
	 * block boundary (byte 262144) falls inside 款 (262143 = 1 + 5k + 2). */
	size_t nlines = 60000;
	cx_buf t = CX_BUF_INIT;
	cx_buf_addc(&t, '#');
	for (size_t i = 0; i < nlines; i++)
		cx_buf_add(&t, "\xCD\xCB\xBF\xEE\n", 5);
	CHECK_INT((unsigned char)t.p[CX_INPUT_BLOCK - 1], 0xBF);
	CHECK_INT((unsigned char)t.p[CX_INPUT_BLOCK], 0xEE);
	cx_input *in = cx_input_open(tmp_file(t.p, t.len), "GBK");
	const char *l;
	size_t n, bad = 0, k = 0;
	while (cx_input_line(in, &l, &n)) {
		const char *want = k ? "\xE9\x80\x80\xE6\xAC\xBE" : "#\xE9\x80\x80\xE6\xAC\xBE";
		if (n != strlen(want) || memcmp(l, want, n))
			bad++;
		k++;
	}
	CHECK_INT(k, nlines);
	CHECK_INT(bad, 0);
	CHECK_INT(cx_input_lineno(in), (long)nlines);
	cx_input_close(in);

	/* The same through the block interface: 9 bytes of UTF-8 for every
	 * line but the first. */
	cx_buf got = CX_BUF_INIT;
	int nb;
	all_blocks(tmp_file(t.p, t.len), "GBK", &got, &nb);
	CHECK_INT(got.len, 1 + nlines * 7);
	CHECK(got.len > 8 && memcmp(got.p, "#\xE9\x80\x80\xE6\xAC\xBE\n", 8) == 0);

	/* A 2-byte character cut at exactly 256 KiB inside one long line. */
	cx_buf_reset(&t);
	cx_buf_adds(&t, "x\n");
	size_t pad = CX_INPUT_BLOCK - 1 - 2;
	cx_buf_grow(&t, pad);
	memset(t.p + t.len, 'a', pad);
	t.len += pad;
	cx_buf_adds(&t, "\xCD\xCB\xBF\xEE\n");
	CHECK_INT((unsigned char)t.p[CX_INPUT_BLOCK - 1], 0xCD);
	in = cx_input_open(tmp_file(t.p, t.len), "GBK");
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_MEM(l, n, "x");
	CHECK_INT(cx_input_line(in, &l, &n), 1);
	CHECK_INT(n, pad + 6);
	CHECK(n == pad + 6 && l[pad - 1] == 'a' && memcmp(l + pad, "\xE9\x80\x80\xE6\xAC\xBE", 6) == 0);
	CHECK_INT(cx_input_line(in, &l, &n), 0);
	cx_input_close(in);

	/* A valid GBK file whose conversion stops for lack of room (E2BIG)
	 * with fewer than 8 bytes left: at end of file those bytes are still
	 * converted, not taken for a cut character. */
	cx_buf_reset(&t);
	for (size_t i = 0; i < 74899; i++)
		cx_buf_add(&t, "\xCD\xCB\xBF\xEE\n", 5);
	struct open_args a = { tmp_file(t.p, t.len), "GBK" };
	CHECK_INT(run_child(die_read, &a), 99);
	CHECK_STR(child_err, "");
	cx_buf_free(&got);
	cx_buf_free(&t);
}

static void test_utf16(void)
{
	/* UTF-16LE with a BOM: iconv makes U+FEFF of it, which is dropped. */
	static const char le[] = "\xFF\xFE" "a\0\n\0" "\x00\x90\x3E\x6B\n\0" "z\0";
	CHECK_STR(lines_of(tmp_file(le, sizeof le - 1), "UTF-16LE"), "a|\xE9\x80\x80\xE6\xAC\xBE|z|");
	/* "UTF-16" reads the BOM to learn the byte order. */
	CHECK_STR(lines_of(tmp_file(le, sizeof le - 1), "UTF-16"), "a|\xE9\x80\x80\xE6\xAC\xBE|z|");
	static const char be[] = "\xFE\xFF" "\0a\0\n";
	CHECK_STR(lines_of(tmp_file(be, sizeof be - 1), "UTF-16"), "a|");
	/* A surrogate pair: U+1F600. */
	static const char pair[] = "\x3D\xD8\x00\xDE";
	CHECK_STR(lines_of(tmp_file(pair, sizeof pair - 1), "UTF-16LE"), "\xF0\x9F\x98\x80|");
}

/* --- what must end the program --- */

static void die_long_line(void *arg)
{
	cx_input_max_line = 1000;
	die_read(arg);
}

static void test_dying(void)
{
	struct open_args a = { "/nonexistent/cx/input", NULL };
	CHECK_INT(run_child(die_read, &a), 4);
	CHECK_ERR_HAS("cannot open '/nonexistent/cx/input'");

	a.path = tmp_text("x\n");
	a.enc = "NO-SUCH-ENCODING";
	CHECK_INT(run_child(die_read, &a), 2);
	CHECK_ERR_HAS("unknown encoding 'NO-SUCH-ENCODING'");

	/* Invalid GBK, with its line. */
	/* (0x80 alone is valid: glibc reads it as the euro sign.) */
	CHECK_STR(lines_of(tmp_text("\x80\n"), "GBK"), "\xE2\x82\xAC|");
	a.path = tmp_text("ok\nfine\nbad \x81\x20 here\n");
	a.enc = "GBK";
	CHECK_INT(run_child(die_read, &a), 3);
	CHECK_ERR_HAS(":3: byte 0x81 is not valid GBK");
	a.path = tmp_text("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF");
	CHECK_INT(run_child(die_read, &a), 3);
	CHECK_ERR_HAS("is not valid GBK");
	/* A GBK character cut by the end of the file. */
	a.path = tmp_text("ab\ncd\xCD");
	CHECK_INT(run_child(die_read, &a), 3);
	CHECK_ERR_HAS(":2: incomplete GBK character at end of input");
	/* UTF-16 with an odd byte at the end. */
	a.path = tmp_file("a\0b", 3);
	a.enc = "UTF-16LE";
	CHECK_INT(run_child(die_read, &a), 3);
	/* Valid input reads through (the child returns). */
	a.path = tmp_text("\xCD\xCB\n");
	a.enc = "GBK";
	CHECK_INT(run_child(die_read, &a), 99);
	CHECK_STR(child_err, "");

	/* Corrupt and truncated gzip. */
	const char *one[] = { "hello\nworld\n" };
	char bytes[256];
	size_t n = read_bytes(tmp_gzip(one, 1), bytes, sizeof bytes);
	a.enc = NULL;
	a.path = tmp_file(bytes, n - 4);
	CHECK_INT(run_child(die_read, &a), 3);
	CHECK_ERR_HAS("truncated gzip stream");
	bytes[3] = (char)0xE0;		/* reserved flag bits */
	a.path = tmp_file(bytes, n);
	CHECK_INT(run_child(die_read, &a), 3);
	CHECK_ERR_HAS("corrupt gzip stream");
	/* Trailing garbage after a member is corrupt too. */
	cx_buf t = CX_BUF_INIT;
	n = read_bytes(tmp_gzip(one, 1), bytes, sizeof bytes);
	cx_buf_add(&t, bytes, n);
	cx_buf_adds(&t, "garbage!");
	a.path = tmp_file(t.p, t.len);
	CHECK_INT(run_child(die_read, &a), 3);

	/* A line longer than the limit, when it cannot be had in one read. */
	cx_buf_reset(&t);
	cx_buf_adds(&t, "short\n");
	cx_buf_grow(&t, 600000);
	memset(t.p + t.len, 'z', 600000);
	t.len += 600000;
	cx_buf_adds(&t, "\n");
	a.path = tmp_file(t.p, t.len);
	a.enc = NULL;
	CHECK_INT(run_child(die_long_line, &a), 3);
	CHECK_ERR_HAS(":2: line longer than 1000 bytes");
	/* ...and so is a long line that came in one read. */
	a.path = tmp_text("short\n"
			  "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
			  "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
			  "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
			  "\n");
	setenv("CX_MAX_LINE", "100", 1);
	CHECK_INT(run_child(die_read, &a), 3);
	unsetenv("CX_MAX_LINE");
	cx_buf_free(&t);
}

int main(void)
{
	test_lines();
	test_blocks();
	test_gzip();
	test_long_lines();
	test_slow_pipe();
	test_gbk();
	test_utf16();
	test_dying();
	remove_tmp_files();
	return unit_done("test_input");
}
