/*
 * fuzz_stream: libFuzzer target for the record reader (lib/io/stream.c).
 *
 * The input is a cx stream file.  A small model of man/cx.7 (split at LF,
 * drop one CR before it and a UTF-8 BOM at the start, header of unique
 * non-empty unescaped names without NUL bytes, every record with as many
 * TAB-separated fields, \t \n \r \\ the only escapes) runs beside the
 * reader and says, line by line, what it must return and where it must
 * die:
 *   pass 1: one input, every field split; cx_reader_line, the field
 *           slices, and cx_rec_get of every field against the model (the
 *           first bad escape must die); every value re-escaped with
 *           cx_out_field and unescaped again is unchanged, and, unless the
 *           field holds a raw CR, re-escaping gives the field as written;
 *   pass 2: the same file twice as one stream (the second header must be
 *           skipped), cx_reader_split(r, 1) or (r, 0), and
 *           cx_reader_check_escapes on every record (dies at the first bad
 *           one).
 * cx_die() longjmps back through a cx_atdie() hook; what the dying code
 * had allocated is freed (allocations made during an input are tracked
 * with sanitizer malloc hooks) and its descriptors closed, so the target
 * neither leaks nor runs out of descriptors.  A die the model did not
 * predict, or a predicted one that does not come, aborts.
 * Inputs that start with the gzip magic are only run (no model).
 *
 *   scripts/fuzz stream          (builds build/fuzz/fuzz_stream, runs it)
 *   build/fuzz/fuzz_stream testdata/fuzz/corpus/stream
 * testdata/fuzz/crashes-found/stream/ holds the reproducers of the bugs it
 * found (fixed: a NUL in a header name).
 */
#include <fcntl.h>
#include <sanitizer/allocator_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/output.h"
#include "io/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

/* ---- the model ---- */

typedef struct { const char *p; size_t n; } span;

static span *mlines;		/* lines, CR dropped */
static size_t nmlines, mlinecap;
static span *mf;		/* fields of one line */
static size_t nmf, mfcap;
static cx_buf *mnames;		/* header, unescaped */
static size_t nmnames, mnamecap;
static size_t nfields;
static int header_ok;

static cx_buf ub = CX_BUF_INIT, ub2 = CX_BUF_INIT, scratch = CX_BUF_INIT;
static cx_output mem_out;

static void model_lines(const char *p, size_t n)
{
	nmlines = 0;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	const char *e = p + n;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		if (nmlines == mlinecap) {
			mlinecap = mlinecap ? 2 * mlinecap : 64;
			mlines = realloc(mlines, mlinecap * sizeof *mlines);
		}
		size_t len = (size_t)(end - p);
		if (len && p[len - 1] == '\r')
			len--;
		mlines[nmlines++] = (span){ p, len };
		p = nl ? nl + 1 : e;
	}
}

static void model_fields(span l)
{
	nmf = 0;
	const char *p = l.p, *e = l.p + l.n;
	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(e - p));
		if (nmf == mfcap) {
			mfcap = mfcap ? 2 * mfcap : 64;
			mf = realloc(mf, mfcap * sizeof *mf);
		}
		mf[nmf++] = (span){ p, (size_t)((t ? t : e) - p) };
		if (!t)
			break;
		p = t + 1;
	}
}

/* My own unescape, independent of cx_unescape: 0 if bad. */
static int unesc(cx_buf *out, const char *p, size_t n)
{
	cx_buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\') {
			cx_buf_addc(out, p[i]);
			continue;
		}
		if (++i == n)
			return 0;
		switch (p[i]) {
		case 't': cx_buf_addc(out, '\t'); break;
		case 'n': cx_buf_addc(out, '\n'); break;
		case 'r': cx_buf_addc(out, '\r'); break;
		case '\\': cx_buf_addc(out, '\\'); break;
		default: return 0;
		}
	}
	return 1;
}

static int cstr_eq(const cx_buf *a, const cx_buf *b)
{
	return !strcmp(a->p ? a->p : "", b->p ? b->p : "");
}

static void model_header(void)
{
	header_ok = 0;
	nfields = 0;
	if (!nmlines)
		return;
	model_fields(mlines[0]);
	if (nmf > mnamecap) {
		mnames = realloc(mnames, nmf * sizeof *mnames);
		for (size_t i = mnamecap; i < nmf; i++)
			mnames[i] = (cx_buf)CX_BUF_INIT;
		mnamecap = nmf;
	}
	nmnames = nmf;
	for (size_t i = 0; i < nmf; i++) {
		/* Empty names, and names with a NUL byte, are refused. */
		if (!unesc(&mnames[i], mf[i].p, mf[i].n) || mnames[i].len == 0 ||
		    memchr(mnames[i].p, '\0', mnames[i].len))
			return;
		for (size_t j = 0; j < i; j++)
			if (cstr_eq(&mnames[i], &mnames[j]))
				return;
	}
	nfields = nmf;
	header_ok = 1;
}

static int line_has_bad_escape(span l)
{
	for (size_t i = 0; i < l.n; i++)
		if (l.p[i] == '\\') {
			if (i + 1 == l.n || !strchr("tnr\\", l.p[i + 1]) || !l.p[i + 1])
				return 1;
			i++;
		}
	return 0;
}

static void keep_mine(void)
{
	keep(mlines);
	keep(mf);
	keep(mnames);
	for (size_t i = 0; i < mnamecap; i++)
		keep(mnames[i].p);
	keep(ub.p);
	keep(ub2.p);
	keep(scratch.p);
}

/* ---- the checks ---- */

static int expect_die;
static cx_reader *rd;
static char *paths[2];

static void check_value(const span *field, cx_slice v)
{
	if (!unesc(&ub, field->p, field->n))
		fail("cx_rec_get returned a value for a field with a bad escape");
	if (v.n != ub.len || (v.n && memcmp(v.p, ub.p, v.n)))
		fail("cx_rec_get value differs from the model");
	if (2 * v.n > CX_OUTPUT_BUFFER)
		return;
	mem_out.len = 0;
	cx_out_field(&mem_out, v.p, v.n);
	if (!unesc(&ub2, mem_out.buf, mem_out.len))
		fail("cx_out_field wrote a bad escape");
	if (ub2.len != v.n || (v.n && memcmp(ub2.p, v.p, v.n)))
		fail("unescape(escape(v)) != v");
	if (!memchr(field->p, '\r', field->n) &&
	    (mem_out.len != field->n || memcmp(mem_out.buf, field->p, field->n)))
		fail("escape(unescape(field)) != field");
	size_t bad = cx_unescape(&ub2, mem_out.buf, mem_out.len);
	if (bad)
		fail("cx_unescape refuses cx_out_field's output");
}

/* One input, every field: the reader agrees with the model until the
 * first predicted die, which must come. */
static void pass_full(void)
{
	expect_die = !header_ok;
	rd = cx_reader_open(paths, 1);
	if (expect_die)
		fail("cx_reader_open accepted a bad header");
	if (rd->nfields != nfields)
		fail("header field count");
	for (size_t i = 0; i < nfields; i++)
		if (strlen(rd->names[i]) != strlen(mnames[i].p) || strcmp(rd->names[i], mnames[i].p))
			fail("header name differs from the model");
	for (size_t li = 1; li < nmlines; li++) {
		model_fields(mlines[li]);
		expect_die = nmf != nfields;
		int got = cx_reader_next(rd);
		if (expect_die)
			fail("a record with the wrong number of fields was accepted");
		if (!got)
			fail("cx_reader_next ended early");
		if (rd->line != (long)li + 1 || rd->records != li)
			fail("line or record number");
		cx_slice l = cx_reader_line(rd);
		if (l.n != mlines[li].n || memcmp(l.p, mlines[li].p, l.n))
			fail("cx_reader_line differs from the model");
		for (size_t j = 0; j < nfields; j++) {
			if (rd->f[j].n != mf[j].n || rd->f[j].p != l.p + (mf[j].p - mlines[li].p))
				fail("field slice differs from the model");
		}
		for (size_t j = 0; j < nfields; j++) {
			expect_die = !unesc(&ub, mf[j].p, mf[j].n);
			cx_slice v = cx_rec_get(rd, j, &scratch);
			if (expect_die)
				fail("cx_rec_get accepted a bad escape");
			check_value(&mf[j], v);
		}
	}
	expect_die = 0;
	if (cx_reader_next(rd))
		fail("cx_reader_next goes on past the end");
	cx_reader_close(rd);
	rd = NULL;
}

/* The file twice as one stream, only the first field (or none) split,
 * escapes checked in place. */
static void pass_twice(size_t cap)
{
	paths[1] = paths[0];
	expect_die = !header_ok;
	rd = cx_reader_open(paths, 2);
	if (expect_die)
		fail("cx_reader_open accepted a bad header");
	cx_reader_split(rd, cap);
	for (int copy = 0; copy < 2; copy++) {
		for (size_t li = 1; li < nmlines; li++) {
			model_fields(mlines[li]);
			expect_die = nmf != nfields;
			int got = cx_reader_next(rd);
			if (expect_die)
				fail("a record with the wrong number of fields was accepted (split)");
			if (!got)
				fail("cx_reader_next ended early (split)");
			if (rd->line != (long)li + 1 || rd->records != (size_t)copy * (nmlines - 1) + li)
				fail("line or record number (split)");
			cx_slice l = cx_reader_line(rd);
			if (l.n != mlines[li].n || memcmp(l.p, mlines[li].p, l.n))
				fail("cx_reader_line differs from the model (split)");
			expect_die = line_has_bad_escape(mlines[li]);
			cx_reader_check_escapes(rd);
			if (expect_die)
				fail("cx_reader_check_escapes passed a bad escape");
			if (cap) {
				if (rd->f[0].n != mf[0].n || rd->f[0].p != l.p)
					fail("first field slice (split)");
				check_value(&mf[0], cx_rec_get(rd, 0, &scratch));
			}
		}
	}
	expect_die = 0;
	if (cx_reader_next(rd))
		fail("cx_reader_next goes on past the end (split)");
	cx_reader_close(rd);
	rd = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	mem_out.buf = malloc(CX_OUTPUT_BUFFER);
	mem_out.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return 0;
}

static int run(int which, size_t cap)
{
	track_begin();
	arm();
	if (setjmp(die_jmp)) {
		track_cleanup();
		rd = NULL;
		return expect_die ? 0 : -1;
	}
	if (which == 0)
		pass_full();
	else
		pass_twice(cap);
	die_armed = 0;
	track_end();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	put_file(data, size);
	paths[0] = mem_path;
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		/* gzip: no model, any die is fine. */
		expect_die = 1;
		for (volatile int which = 0; which < 2; which++) {
			track_begin();
			arm();
			if (setjmp(die_jmp)) {
				track_cleanup();
				continue;
			}
			rd = cx_reader_open(paths, 1);
			cx_reader_split(rd, (size_t)which);
			while (cx_reader_next(rd))
				for (size_t j = 0; j < rd->nsplit; j++)
					cx_rec_get(rd, j, &scratch);
			cx_reader_close(rd);
			die_armed = 0;
			track_end();
		}
		return 0;
	}
	model_lines(s, size);
	model_header();
	fail_input_kind = "pass 1: ";
	if (run(0, 0) < 0)
		fail("died where the model does not");
	fail_input_kind = "pass 2: ";
	if (run(1, size & 1) < 0)
		fail("died where the model does not");
	return 0;
}
