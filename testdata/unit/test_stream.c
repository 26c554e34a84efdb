/*
 * test_stream: escapes, comma lists, and the record reader end to end on
 * temporary files: headers, lazy unescaping, CRLF, BOM, several inputs as
 * one stream, gzip (one member and several), lines longer than a block
 * and lines across a block boundary, a pipe that delivers a byte at a
 * time.  Paths that must end the program run in a forked child whose exit
 * status and standard error are checked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "io/input.h"
#include "io/stream.h"
#include "unit.h"
#define TESTIO_TMP "/tmp/cx-test-stream"
#include "testio.h"

/* --- cx_unescape --- */

static cx_buf ub = CX_BUF_INIT;

/* Unescape from an exact-size heap copy into a fresh buffer. */
static size_t unesc(const char *s)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	memcpy(copy, s, n);
	cx_buf_reset(&ub);
	size_t rc = cx_unescape(&ub, copy, n);
	free(copy);
	return rc;
}

static void test_unescape(void)
{
	CHECK_INT(unesc(""), 0);
	CHECK_INT(ub.len, 0);
	CHECK_INT(unesc("plain"), 0);
	CHECK_MEM(ub.p, ub.len, "plain");
	CHECK_INT(unesc("a\\tb"), 0);
	CHECK_MEM(ub.p, ub.len, "a\tb");
	CHECK_INT(unesc("\\n"), 0);
	CHECK_MEM(ub.p, ub.len, "\n");
	CHECK_INT(unesc("x\\r"), 0);
	CHECK_MEM(ub.p, ub.len, "x\r");
	CHECK_INT(unesc("\\\\"), 0);
	CHECK_MEM(ub.p, ub.len, "\\");
	CHECK_INT(unesc("\\\\t"), 0);		/* escaped backslash, then 't' */
	CHECK_MEM(ub.p, ub.len, "\\t");
	CHECK_INT(unesc("\\t\\n\\r\\\\ end"), 0);
	CHECK_MEM(ub.p, ub.len, "\t\n\r\\ end");
	CHECK_INT(unesc("\xE4\xB8\xAD\\t\xE6\x96\x87"), 0);
	CHECK_MEM(ub.p, ub.len, "\xE4\xB8\xAD\t\xE6\x96\x87");
	/* Bad escapes: the offset + 1 of the backslash. */
	CHECK_INT(unesc("\\x"), 1);
	CHECK_INT(unesc("ab\\q"), 3);
	CHECK_INT(unesc("\\t\\0"), 3);
	CHECK_INT(unesc("\\T"), 1);		/* escapes are lower case */
	CHECK_INT(unesc("\\ "), 1);
	/* A trailing backslash. */
	CHECK_INT(unesc("\\"), 1);
	CHECK_INT(unesc("abc\\"), 4);
	CHECK_INT(unesc("\\\\\\"), 3);
	/* It appends to what dst holds. */
	cx_buf_reset(&ub);
	cx_buf_adds(&ub, "pre:");
	CHECK_INT(cx_unescape(&ub, "a\\nb", 4), 0);
	CHECK_MEM(ub.p, ub.len, "pre:a\nb");
	CHECK_INT(ub.p[ub.len], '\0');
	/* Only n bytes are read: a backslash at n is not seen. */
	cx_buf_reset(&ub);
	CHECK_INT(cx_unescape(&ub, "ab\\q", 2), 0);
	CHECK_MEM(ub.p, ub.len, "ab");
	cx_buf_free(&ub);
}

/* --- cx_split_list --- */

static void test_split_list(void)
{
	static const struct {
		const char *list;
		size_t n;
		const char *items[4];
	} cases[] = {
		{ "a,b,c", 3, { "a", "b", "c" } },
		{ "one", 1, { "one" } },
		{ "a\\,b,c", 2, { "a,b", "c" } },
		{ "\\,", 1, { "," } },
		/* Empty items are kept, as empty names (the caller decides). */
		{ "", 1, { "" } },
		{ "a,,b,", 4, { "a", "", "b", "" } },
		{ ",", 2, { "", "" } },
		/* A backslash not before a comma is kept as it is. */
		{ "a\\b,c\\", 2, { "a\\b", "c\\" } },
	};
	size_t n = 99;
	char **v;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		v = cx_split_list(cases[c].list, &n);
		CHECK_INT(n, cases[c].n);
		for (size_t i = 0; i < cases[c].n; i++)
			CHECK_STR(i < n ? v[i] : NULL, cases[c].items[i]);
		cx_free_list(v, n);
	}

	/* Many items: the array grows. */
	v = cx_split_list("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &n);
	CHECK_INT(n, 17);
	CHECK_STR(v[0], "1");
	CHECK_STR(v[16], "17");
	cx_free_list(v, n);
}

/* --- the reader --- */

static cx_reader *open1(const char *path)
{
	char *paths[1] = { (char *)path };
	return cx_reader_open(paths, 1);
}

/* Fields of the current record joined by '|', escaped form. */
static const char *joined(const cx_reader *r)
{
	static cx_buf b = CX_BUF_INIT;
	cx_buf_reset(&b);
	cx_buf_grow(&b, 1);
	b.p[0] = '\0';
	for (size_t i = 0; i < r->nfields; i++) {
		if (i)
			cx_buf_addc(&b, '|');
		cx_buf_add(&b, r->f[i].p, r->f[i].n);
	}
	return b.p;
}

static void test_reader_basic(void)
{
	const char *path = tmp_text("id\tname\tnote\n"
				    "1\talice\tplain\n"
				    "2\tb\\tob\tx\\\\y\\nz\n"
				    "3\t\t\n");
	cx_reader *r = open1(path);
	CHECK_INT(r->nfields, 3);
	CHECK_STR(r->names[0], "id");
	CHECK_STR(r->names[1], "name");
	CHECK_STR(r->names[2], "note");
	CHECK_STR(r->file, path);
	CHECK_INT(r->records, 0);
	CHECK_INT(cx_reader_find(r, "id"), 0);
	CHECK_INT(cx_reader_find(r, "note"), 2);
	CHECK_INT(cx_reader_find(r, "nope"), -1);
	CHECK_INT(cx_reader_find(r, "Name"), -1);
	CHECK_INT(cx_reader_find(r, ""), -1);
	CHECK_INT(cx_reader_need(r, "name"), 1);
	size_t n = 0;
	size_t *idx = cx_reader_need_list(r, "note,id", &n);
	CHECK_INT(n, 2);
	CHECK_INT(idx[0], 2);
	CHECK_INT(idx[1], 0);
	free(idx);

	cx_buf scratch = CX_BUF_INIT;
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(r->line, 2);
	CHECK_INT(r->records, 1);
	CHECK_STR(joined(r), "1|alice|plain");
	cx_slice line = cx_reader_line(r);
	CHECK_MEM(line.p, line.n, "1\talice\tplain");
	/* No backslash: the value is the record's own bytes. */
	cx_slice v = cx_rec_get(r, 1, &scratch);
	CHECK(v.p == r->f[1].p);
	CHECK_MEM(v.p, v.n, "alice");
	CHECK(scratch.p == NULL);	/* scratch untouched */

	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(r->line, 3);
	CHECK_STR(joined(r), "2|b\\tob|x\\\\y\\nz");
	v = cx_rec_get(r, 0, &scratch);
	CHECK(v.p == r->f[0].p);
	CHECK_MEM(v.p, v.n, "2");
	v = cx_rec_get(r, 1, &scratch);
	CHECK(v.p == scratch.p);
	CHECK_MEM(v.p, v.n, "b\tob");
	/* The escaped form is still there. */
	CHECK_MEM(r->f[1].p, r->f[1].n, "b\\tob");
	v = cx_rec_get(r, 2, &scratch);
	CHECK_MEM(v.p, v.n, "x\\y\nz");
	line = cx_reader_line(r);
	CHECK_MEM(line.p, line.n, "2\tb\\tob\tx\\\\y\\nz");

	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "3||");
	v = cx_rec_get(r, 1, &scratch);
	CHECK_INT(v.n, 0);
	v = cx_rec_get(r, 2, &scratch);
	CHECK_INT(v.n, 0);
	line = cx_reader_line(r);
	CHECK_MEM(line.p, line.n, "3\t\t");

	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(cx_reader_next(r), 0);	/* and stays at the end */
	CHECK_INT(r->records, 3);
	cx_buf_free(&scratch);
	cx_reader_close(r);
}

static void test_reader_header_escapes(void)
{
	/* Header names are unescaped; one may hold a comma. */
	const char *path = tmp_text("a\\tb\tx,y\tc\\\\\n1\t2\t3\n");
	cx_reader *r = open1(path);
	CHECK_INT(r->nfields, 3);
	CHECK_STR(r->names[0], "a\tb");
	CHECK_STR(r->names[1], "x,y");
	CHECK_STR(r->names[2], "c\\");
	size_t n = 0;
	/* A name that ends in a backslash can only come last: "c\\,x"
	 * would read as the one name "c,x". */
	size_t *idx = cx_reader_need_list(r, "x\\,y,c\\", &n);
	CHECK_INT(n, 2);
	CHECK_INT(idx[0], 1);	/* "x,y" */
	CHECK_INT(idx[1], 2);	/* "c\" */
	free(idx);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2|3");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);

	/* A header alone: no records. */
	r = open1(tmp_text("only\n"));
	CHECK_INT(r->nfields, 1);
	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(r->records, 0);
	cx_reader_close(r);

	/* One field: an empty line is a record with an empty value. */
	r = open1(tmp_text("v\n\nx\n"));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(r->f[0].n, 0);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "x");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);
}

static void test_reader_crlf_bom_eof(void)
{
	cx_buf s = CX_BUF_INIT;
	cx_reader *r = open1(tmp_text("a\tb\r\n1\t2\r\nx\\ty\t\r\n"));
	CHECK_INT(r->nfields, 2);
	CHECK_STR(r->names[1], "b");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	cx_slice line = cx_reader_line(r);
	CHECK_MEM(line.p, line.n, "1\t2");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "x\\ty|");
	cx_slice v = cx_rec_get(r, 0, &s);
	CHECK_MEM(v.p, v.n, "x\ty");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);

	/* A UTF-8 byte order mark is not part of the first name. */
	r = open1(tmp_text("\xEF\xBB\xBF" "a\tb\n1\t2\n"));
	CHECK_STR(r->names[0], "a");
	CHECK_INT(cx_reader_find(r, "a"), 0);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	cx_reader_close(r);

	/* BOM and CRLF together. */
	r = open1(tmp_text("\xEF\xBB\xBF" "a\r\n\xEF\xBB\xBF\r\n"));
	CHECK_STR(r->names[0], "a");
	CHECK_INT(cx_reader_next(r), 1);
	/* Only the BOM at the very start is dropped. */
	CHECK_STR(joined(r), "\xEF\xBB\xBF");
	cx_reader_close(r);

	/* No final newline: the last record still counts. */
	r = open1(tmp_text("a\tb\n1\t2\n3\t4"));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "3|4");
	CHECK_INT(r->line, 3);
	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(r->records, 2);
	cx_reader_close(r);

	/* ...nor after the header, nor with a CR at the very end. */
	r = open1(tmp_text("a\tb"));
	CHECK_INT(r->nfields, 2);
	CHECK_STR(r->names[1], "b");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);
	r = open1(tmp_text("a\tb\r\n1\t2\r"));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);
	cx_buf_free(&s);
}

static void test_reader_many_inputs(void)
{
	char *paths[3];
	paths[0] = tmp_text("k\tv\n1\ta\n2\tb\n");
	paths[1] = tmp_text("k\tv\n");			/* header only */
	paths[2] = tmp_text("k\tv\r\n3\tc\r\n4\td");	/* CRLF, no final newline */
	cx_reader *r = cx_reader_open(paths, 3);
	CHECK_INT(r->nfields, 2);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(r->file, paths[0]);
	CHECK_INT(r->line, 2);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "2|b");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "3|c");
	CHECK_STR(r->file, paths[2]);
	CHECK_INT(r->line, 2);		/* lines count per file */
	CHECK_INT(r->records, 3);	/* records across files */
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "4|d");
	CHECK_INT(r->line, 3);
	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(r->records, 4);
	cx_reader_close(r);

	/* The same file twice is two inputs. */
	char *twice[2] = { paths[0], paths[0] };
	r = cx_reader_open(twice, 2);
	int k = 0;
	while (cx_reader_next(r))
		k++;
	CHECK_INT(k, 4);
	CHECK_INT(r->records, 4);
	cx_reader_close(r);

	/* A later header with escapes that unescape to the same names. */
	char *esc[2];
	esc[0] = tmp_text("a\\tb\tc\n1\t2\n");
	esc[1] = tmp_text("a\\tb\tc\n3\t4\n");
	r = cx_reader_open(esc, 2);
	k = 0;
	while (cx_reader_next(r))
		k++;
	CHECK_INT(k, 2);
	cx_reader_close(r);
}

static void test_reader_gzip(void)
{
	const char *one[] = { "a\tb\n1\t2\n3\tx\\ty\n" };
	cx_buf s = CX_BUF_INIT;
	cx_reader *r = open1(tmp_gzip(one, 1));
	CHECK(cx_input_is_gzip(r->in));
	CHECK_INT(r->nfields, 2);
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	CHECK_INT(cx_reader_next(r), 1);
	cx_slice v = cx_rec_get(r, 1, &s);
	CHECK_MEM(v.p, v.n, "x\ty");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);

	/* Concatenated members (cat a.gz b.gz), the split inside a line. */
	const char *members[] = { "a\tb\n1\t2\n3", "\t4\n", "", "5\t6\n" };
	r = open1(tmp_gzip(members, 4));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "3|4");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "5|6");
	CHECK_INT(r->line, 4);
	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(r->records, 3);
	cx_reader_close(r);

	/* A gzip input and a plain one in the same stream. */
	char *mixed[2];
	mixed[0] = tmp_gzip(one, 1);
	mixed[1] = tmp_text("a\tb\n9\t9\n");
	r = cx_reader_open(mixed, 2);
	int k = 0;
	while (cx_reader_next(r))
		k++;
	CHECK_INT(k, 3);
	CHECK_STR(joined(r), "9|9");
	CHECK(!cx_input_is_gzip(r->in));
	cx_reader_close(r);
	cx_buf_free(&s);
}

static void test_reader_long_lines(void)
{
	/* One record line of 1 MB: longer than a 256 KiB block. */
	size_t big = 1024 * 1024;
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(&t, "long\tshort\n");
	cx_buf_grow(&t, big);
	for (size_t i = 0; i < big; i++)
		t.p[t.len + i] = (char)('a' + i % 26);
	t.len += big;
	cx_buf_adds(&t, "\tend\nx\ty\n");
	cx_reader *r = open1(tmp_file(t.p, t.len));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(r->f[0].n, big);
	CHECK(r->f[0].n == big && r->f[0].p[0] == 'a' && r->f[0].p[big - 1] == (char)('a' + (big - 1) % 26));
	CHECK(memcmp(r->f[0].p, t.p + 11, big) == 0);
	CHECK_MEM(r->f[1].p, r->f[1].n, "end");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "x|y");
	CHECK_INT(r->line, 3);
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);

	/* Records of 100 bytes; the header is 4 bytes, so a record spans
	 * every multiple of 256 KiB (262144 = 4 + 2621*100 + 40).  Every
	 * record must come back whole. */
	cx_buf_reset(&t);
	cx_buf_adds(&t, "n\tv\n");
	size_t nrec = 6000;	/* about 600 KB: two block boundaries */
	for (size_t i = 0; i < nrec; i++) {
		char rec[128];
		int len = snprintf(rec, sizeof rec, "%06zu\t", i);
		memset(rec + len, 'x', 100 - 1 - (size_t)len);
		rec[99] = '\n';
		cx_buf_add(&t, rec, 100);
	}
	r = open1(tmp_file(t.p, t.len));
	size_t k = 0, bad = 0;
	while (cx_reader_next(r)) {
		char want[16];
		snprintf(want, sizeof want, "%06zu", k);
		if (r->f[0].n != 6 || memcmp(r->f[0].p, want, 6) || r->f[1].n != 92 ||
		    r->line != (long)k + 2)
			bad++;
		k++;
	}
	CHECK_INT(k, nrec);
	CHECK_INT(bad, 0);
	cx_reader_close(r);

	/* A CR LF whose CR is the last byte of the first block. */
	cx_buf_reset(&t);
	cx_buf_adds(&t, "a\tb\r\n");
	size_t first = 5;
	size_t fill = 262144 - first - 1;	/* the CR lands at 262143 */
	cx_buf_grow(&t, fill);
	memset(t.p + t.len, 'q', fill);
	t.p[t.len] = 'S';
	t.p[t.len + 1] = '\t';
	t.len += fill;
	cx_buf_adds(&t, "\r\nlast\tone\r\n");
	CHECK_INT(t.p[262143], '\r');
	CHECK_INT(t.p[262144], '\n');
	r = open1(tmp_file(t.p, t.len));
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_INT(r->f[1].n, fill - 2);
	CHECK(r->f[1].n > 0 && r->f[1].p[r->f[1].n - 1] == 'q');
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "last|one");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);
	cx_buf_free(&t);
}

static void test_reader_slow_pipe(void)
{
	const char *text = "name\tv\r\nx\\ty\t1\n\xE4\xB8\xAD\t2\nlast\t3";
	pid_t pid;
	int fd = slow_pipe(text, strlen(text), &pid);
	char path[32];
	snprintf(path, sizeof path, "/dev/fd/%d", fd);
	cx_buf s = CX_BUF_INIT;
	cx_reader *r = open1(path);
	CHECK_INT(r->nfields, 2);
	CHECK_STR(r->names[0], "name");
	CHECK_STR(r->names[1], "v");
	CHECK_INT(cx_reader_next(r), 1);
	cx_slice v = cx_rec_get(r, 0, &s);
	CHECK_MEM(v.p, v.n, "x\ty");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "\xE4\xB8\xAD|2");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "last|3");
	CHECK_INT(cx_reader_next(r), 0);
	CHECK_INT(r->records, 3);
	cx_reader_close(r);
	close(fd);
	CHECK_INT(reap(pid), 0);

	/* Standard input (no paths), gzip a byte at a time: the magic
	 * arrives in two reads. */
	const char *one[] = { "g\th\n1\t2\n" };
	char gzbytes[256];
	size_t gzn = read_bytes(tmp_gzip(one, 1), gzbytes, sizeof gzbytes);
	CHECK(gzn > 18 && gzn < sizeof gzbytes);
	fd = slow_pipe(gzbytes, gzn, &pid);
	int saved = dup(0);
	dup2(fd, 0);
	close(fd);
	r = cx_reader_open(NULL, 0);
	CHECK_STR(r->file, "(stdin)");
	CHECK(cx_input_is_gzip(r->in));
	CHECK_STR(r->names[1], "h");
	CHECK_INT(cx_reader_next(r), 1);
	CHECK_STR(joined(r), "1|2");
	CHECK_INT(cx_reader_next(r), 0);
	cx_reader_close(r);
	dup2(saved, 0);
	close(saved);
	CHECK_INT(reap(pid), 0);

	/* A UTF-8 BOM that arrives in pieces is removed: start() reads
	 * until it has 3 bytes (the gzip magic needs 2, the BOM 3). */
	const char *bom = "\xEF\xBB\xBF" "a\tb\n1\t2\n";
	fd = slow_pipe(bom, strlen(bom), &pid);
	snprintf(path, sizeof path, "/dev/fd/%d", fd);
	r = open1(path);
	CHECK_STR(r->names[0], "a");
	cx_reader_close(r);
	close(fd);
	reap(pid);
	cx_buf_free(&s);
}

/* --- what must end the program --- */

/* What a child allocates before it dies is kept in statics, so that
 * LeakSanitizer, which runs at exit() under ASan, does not call it lost. */
static cx_reader *child_r;
static size_t *child_idx;
static cx_buf child_buf = CX_BUF_INIT;

static void die_need(void *arg)
{
	child_r = open1(arg);
	cx_reader_need(child_r, "zz");
}

static void die_need_list(void *arg)
{
	size_t n;
	child_r = open1(arg);
	child_idx = cx_reader_need_list(child_r, "a,nope", &n);
}

static void die_read_all(void *arg)
{
	child_r = open1(arg);
	while (cx_reader_next(child_r))
		;
}

static void die_read_two(void *arg)
{
	child_r = cx_reader_open(arg, 2);
	while (cx_reader_next(child_r))
		;
}

static void die_rec_get(void *arg)
{
	child_r = open1(arg);
	while (cx_reader_next(child_r))
		for (size_t i = 0; i < child_r->nfields; i++)
			cx_rec_get(child_r, i, &child_buf);
}

static void test_dying(void)
{
	const char *hdr = tmp_text("a\tb\tc\n1\t2\t3\n");
	CHECK_INT(run_child(die_need, (void *)hdr), 2);
	CHECK_ERR_HAS("no field 'zz'");
	CHECK_ERR_HAS(hdr);
	CHECK_ERR_HAS("fields are: a, b, c");
	CHECK_INT(run_child(die_need_list, (void *)hdr), 2);
	CHECK_ERR_HAS("no field 'nope'");

	/* Wrong number of fields, with file and line. */
	const char *ragged = tmp_text("a\tb\tc\n1\t2\t3\n1\t2\n");
	CHECK_INT(run_child(die_read_all, (void *)ragged), 3);
	CHECK_ERR_HAS(":3: expected 3 fields, found 2");
	const char *wide = tmp_text("a\tb\n1\t2\t3\t4\n");
	CHECK_INT(run_child(die_read_all, (void *)wide), 3);
	CHECK_ERR_HAS(":2: expected 2 fields, found 4");
	/* Extra fields are counted however many there are: 5000 tabs in a
	 * row, and 100 spread over 10 KB. */
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(&t, "a\tb\n1\t2");
	for (int i = 0; i < 5000; i++)
		cx_buf_addc(&t, '\t');
	cx_buf_addc(&t, '\n');
	CHECK_INT(run_child(die_read_all, tmp_file(t.p, t.len)), 3);
	CHECK_ERR_HAS(":2: expected 2 fields, found 5002");
	cx_buf_reset(&t);
	cx_buf_adds(&t, "a\tb\n1\t2");
	for (int i = 0; i < 100; i++) {
		cx_buf_addc(&t, '\t');
		for (int j = 0; j < 99; j++)
			cx_buf_addc(&t, (char)('a' + j % 26));
	}
	CHECK_INT(run_child(die_read_all, tmp_file(t.p, t.len)), 3);
	CHECK_ERR_HAS(":2: expected 2 fields, found 102");
	cx_buf_free(&t);
	/* A blank line in a stream of two fields is a record of one. */
	CHECK_INT(run_child(die_read_all, (void *)tmp_text("a\tb\n\n")), 3);
	CHECK_ERR_HAS("expected 2 fields, found 1");

	/* Headers. */
	const char *empty = tmp_text("");
	CHECK_INT(run_child(die_read_all, (void *)empty), 3);
	CHECK_ERR_HAS("empty input");
	CHECK_INT(run_child(die_read_all, (void *)tmp_text("a\t\tc\n")), 3);
	CHECK_ERR_HAS("field 2 has an empty name");
	CHECK_INT(run_child(die_read_all, (void *)tmp_text("\n1\n")), 3);
	CHECK_ERR_HAS("field 1 has an empty name");
	CHECK_INT(run_child(die_read_all, (void *)tmp_text("a\tb\ta\n")), 3);
	CHECK_ERR_HAS("duplicate field name 'a' (fields 1 and 3)");
	CHECK_INT(run_child(die_read_all, (void *)tmp_text("a\\x\n")), 3);
	CHECK_ERR_HAS("invalid escape");
	CHECK_INT(run_child(die_read_all, (void *)"/nonexistent/cx/file"), 4);
	CHECK_ERR_HAS("cannot open '/nonexistent/cx/file'");

	/* A bad escape is found when the value is asked for. */
	const char *badesc = tmp_text("a\tb\n1\tx\\qy\n");
	CHECK_INT(run_child(die_read_all, (void *)badesc), 99);	/* not read: fine */
	CHECK_INT(run_child(die_rec_get, (void *)badesc), 3);
	CHECK_ERR_HAS(":2: field 'b': invalid escape");
	CHECK_INT(run_child(die_rec_get, (void *)tmp_text("a\tb\n1\tx\\\n")), 3);

	/* Later inputs must have the same header. */
	char *two[2];
	two[0] = (char *)hdr;
	two[1] = tmp_text("a\tb\tC\n4\t5\t6\n");
	CHECK_INT(run_child(die_read_two, two), 3);
	CHECK_ERR_HAS("header differs");
	CHECK_ERR_HAS(two[1]);
	two[1] = tmp_text("a\tb\n");
	CHECK_INT(run_child(die_read_two, two), 3);
	CHECK_ERR_HAS("header differs");
	two[1] = tmp_text("a\tb\tc\td\n");
	CHECK_INT(run_child(die_read_two, two), 3);
	two[1] = (char *)empty;
	CHECK_INT(run_child(die_read_two, two), 3);
	CHECK_ERR_HAS("empty input");
	/* ...and equal headers read through. */
	two[1] = (char *)hdr;
	CHECK_INT(run_child(die_read_two, two), 99);
	CHECK_STR(child_err, "");

	/* A truncated gzip stream. */
	const char *one[] = { "a\tb\n1\t2\n" };
	char bytes[256];
	size_t n = read_bytes(tmp_gzip(one, 1), bytes, sizeof bytes);
	CHECK_INT(run_child(die_read_all, tmp_file(bytes, n - 6)), 3);
	CHECK_ERR_HAS("truncated gzip");
	bytes[n / 2] ^= 0x55;	/* corrupt the deflate data */
	int st = run_child(die_read_all, tmp_file(bytes, n));
	CHECK_INT(st, 3);
}

int main(void)
{
	test_unescape();
	test_split_list();
	test_reader_basic();
	test_reader_header_escapes();
	test_reader_crlf_bom_eof();
	test_reader_many_inputs();
	test_reader_gzip();
	test_reader_long_lines();
	test_reader_slow_pipe();
	test_dying();
	remove_tmp_files();
	return unit_done("test_stream");
}
