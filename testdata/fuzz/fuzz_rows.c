/*
 * fuzz_rows: libFuzzer target for lib/io/rows.c (CSV, TSV, JSON Lines).
 *
 * Byte 0 picks the format (b % 3: csv, tsv, jsonl), the lines to skip
 * before the header ((b / 3) % 3) and, for jsonl, whether the header is
 * declared (b / 9 % 2: --fields a,b,c); the rest is the file.
 *
 * A model of each format as rows.h describes it says what every row must
 * be: CSV as a byte-level RFC 4180 state machine with libcsv's strict
 * rules (a quote inside an unquoted field or text after a closing quote is
 * an error, an unterminated quote at the end is an error, CR or LF ends a
 * record, blank lines outside a record are passed over), fed one physical
 * line at a time as rows.c does; TSV with the stream's escapes; JSONL with
 * cx_json_parse_object (fuzzed on its own by fuzz_json) and the header
 * rules.  Checked for every row: error or not as the model says, a
 * non-error row has n == the header count and the model's values, raw is
 * non-NULL and is the model's text, the line number; the header; that
 * cx_rows_open dies exactly on a bad or missing header; that nothing
 * comes after the model's last row.
 * Also, a CSV row must never hold the values of two records (a bare CR
 * ends a record in libcsv, and rows.c would glue the next one on).
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
#include "io/json.h"
#include "io/rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

static int skip_known;

/* ---- the model ---- */

typedef struct { const char *p; size_t n; } span;

static span *lines;		/* physical lines, without '\n', CR kept */
static size_t nlines, linecap;

/* A row of the model: values back to back in vals, or an error. */
typedef struct {
	int error;
	int merged;		/* values of more than one CSV record */
	long line;
	size_t raw_off, raw_len;	/* into raws */
	size_t val0, nval;	/* into voff */
} mrow;

static mrow *rows;
static size_t nrows, rowcap;
static cx_buf raws = CX_BUF_INIT, vals = CX_BUF_INIT;
static size_t *voff;		/* start and end of each value in vals */
static size_t nvoff, voffcap;
static cx_json_obj mobj = CX_JSON_OBJ_INIT;
static cx_buf mwhy = CX_BUF_INIT, tmp = CX_BUF_INIT;
static char **names;		/* model header, C strings */
static size_t nnames, namecap;
static int header_bad;
static size_t nexact;		/* rows the model is sure of */
static int model_cut;		/* the model stopped before the end */
static int nul_key;		/* a jsonl key holds a NUL byte */

static void keep_mine(void)
{
	keep(lines);
	keep(rows);
	keep(raws.p);
	keep(vals.p);
	keep(voff);
	keep(mobj.text.p);
	keep(mobj.pairs);
	keep(mobj.slots);
	keep(mwhy.p);
	keep(tmp.p);
	keep(names);
	for (size_t i = 0; i < namecap; i++)
		keep(names[i]);
}

static void split_lines(const char *p, size_t n)
{
	nlines = 0;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	const char *e = p + n;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		if (nlines == linecap) {
			linecap = linecap ? 2 * linecap : 64;
			lines = realloc(lines, linecap * sizeof *lines);
		}
		lines[nlines++] = (span){ p, (size_t)(end - p) };
		p = nl ? nl + 1 : e;
	}
}

static void add_val(const char *p, size_t n)
{
	if (nvoff == voffcap) {
		voffcap = voffcap ? 2 * voffcap : 64;
		voff = realloc(voff, 2 * voffcap * sizeof *voff);
	}
	voff[2 * nvoff] = vals.len;
	cx_buf_add(&vals, p, n);
	voff[2 * nvoff + 1] = vals.len;
	nvoff++;
}

static mrow *new_row(long line)
{
	if (nrows == rowcap) {
		rowcap = rowcap ? 2 * rowcap : 64;
		rows = realloc(rows, rowcap * sizeof *rows);
	}
	mrow *r = &rows[nrows++];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->raw_off = raws.len;
	r->val0 = nvoff;
	return r;
}

static void raw_add(mrow *r, const char *p, size_t n)
{
	if (r->raw_len)
		cx_buf_addc(&raws, '\n');
	cx_buf_add(&raws, p, n);
	r->raw_len = raws.len - r->raw_off;
}

/* Values of the row (field i of row r). */
static span mval(const mrow *r, size_t i)
{
	size_t a = voff[2 * (r->val0 + i)], b = voff[2 * (r->val0 + i) + 1];
	return (span){ vals.p ? vals.p + a : "", b - a };
}

/* -- csv -- */

enum { S_REC, S_FIELD, S_UNQ, S_Q, S_QEND };

static void model_csv(size_t first)
{
	int st = S_REC, err = 0, records = 0, carried = 0;
	mrow *row = NULL;
	cx_buf cur = CX_BUF_INIT;
	for (size_t li = first; li < nlines; li++) {
		span L = lines[li];
		size_t shown = L.n && L.p[L.n - 1] == '\r' ? L.n - 1 : L.n;
		if (!row && shown == 0 && st == S_REC && !carried)
			continue;
		if (!row) {
			row = new_row((long)li + 1);
			row->merged = carried;
		}
		raw_add(row, L.p, shown);
		int done = 0, ended_early = 0;
		for (size_t i = 0; i <= L.n && !err; i++) {
			char c = i < L.n ? L.p[i] : '\n';
			int term = c == '\r' || c == '\n';
			if (done && i < L.n && st == S_REC && !term)
				ended_early = 1;	/* a record after a bare CR */
			switch (st) {
			case S_REC:
			case S_FIELD:
				if (term) {
					if (st == S_FIELD) {
						add_val("", 0);
						done++;
						st = S_REC;
					}
				} else if (c == '"') {
					cx_buf_reset(&cur);
					st = S_Q;
				} else if (c == ',') {
					add_val("", 0);
					st = S_FIELD;
				} else {
					cx_buf_reset(&cur);
					cx_buf_addc(&cur, c);
					st = S_UNQ;
				}
				break;
			case S_UNQ:
				if (c == ',' || term) {
					add_val(cur.p, cur.len);
					st = term ? S_REC : S_FIELD;
					done += term;
				} else if (c == '"') {
					err = 1;
				} else {
					cx_buf_addc(&cur, c);
				}
				break;
			case S_Q:
				if (c == '"')
					st = S_QEND;
				else
					cx_buf_addc(&cur, c);
				break;
			case S_QEND:
				if (c == '"') {
					cx_buf_addc(&cur, '"');
					st = S_Q;
				} else if (c == ',' || term) {
					add_val(cur.p, cur.len);
					st = term ? S_REC : S_FIELD;
					done += term;
				} else {
					err = 1;
				}
				break;
			}
		}
		if (err) {
			row->error = 1;
			row->nval = 0;
			nvoff = row->val0;
			row = NULL;
			st = S_REC;
			err = 0;
			carried = 0;
			continue;
		}
		if (done) {
			records += done;
			row->nval = nvoff - row->val0;
			/* The line went on after the record ended: a second record
			 * (or the start of one, carried into the next row). */
			row->merged |= done > 1 || ended_early;
			carried = st != S_REC;
			row = NULL;
			/* A record begun in this row's last line and carried into
			 * the next row: how rows.c goes on from there is beyond
			 * the model (and this row is already wrong). */
			if (carried) {
				nexact = nrows;
				model_cut = 1;
				break;
			}
		}
	}
	if (row && !model_cut) {
		if (st == S_REC) {
			/* Lines of CRs only (libcsv passes over CRs outside a
			 * record) up to the end: no record, no error, no values. */
			row->nval = 0;
		} else {
			/* End of input inside a quoted field. */
			row->error = 1;
			row->nval = 0;
			nvoff = row->val0;
		}
	}
	(void)records;
	cx_buf_free(&cur);
}

/* -- tsv -- */

static int unesc(cx_buf *out, const char *p, size_t n)
{
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

static void model_tsv(size_t first)
{
	for (size_t li = first; li < nlines; li++) {
		span L = lines[li];
		size_t n = L.n && L.p[L.n - 1] == '\r' ? L.n - 1 : L.n;
		/* Blank lines hold no record once the header has more than one
		 * column (the header is the first row). */
		if (n == 0 && nrows > 0 && nnames > 1)
			continue;
		mrow *row = new_row((long)li + 1);
		raw_add(row, L.p, n);
		const char *p = L.p, *e = L.p + n;
		for (;;) {
			const char *t = memchr(p, '\t', (size_t)(e - p));
			const char *end = t ? t : e;
			cx_buf_reset(&tmp);
			if (!unesc(&tmp, p, (size_t)(end - p)))
				row->error = 1;
			add_val(tmp.p, tmp.len);
			if (!t)
				break;
			p = t + 1;
		}
		row->nval = nvoff - row->val0;
		if (row->error) {
			nvoff = row->val0;
			row->nval = 0;
		}
		if (nrows == 1) {
			/* The header decides what a blank line is. */
			nnames = row->nval;
		}
	}
}

/* -- jsonl -- */

static void model_jsonl(size_t first)
{
	for (size_t li = first; li < nlines; li++) {
		span L = lines[li];
		size_t n = L.n && L.p[L.n - 1] == '\r' ? L.n - 1 : L.n;
		size_t i = 0;
		while (i < n && (L.p[i] == ' ' || L.p[i] == '\t'))
			i++;
		if (i == n)
			continue;
		mrow *row = new_row((long)li + 1);
		raw_add(row, L.p, n);
		cx_buf_reset(&mwhy);
		if (cx_json_parse_object(&mobj, L.p, n, &mwhy) != 0) {
			row->error = 1;
			continue;
		}
		/* The values of the keys, in the order of the line: matched to
		 * the header when that is known. */
		for (size_t k = 0; k < mobj.npairs; k++) {
			if (memchr(cx_json_key(&mobj, k), '\0', mobj.pairs[k].key_len))
				nul_key = 1;
			add_val(cx_json_key(&mobj, k), mobj.pairs[k].key_len);
			add_val(cx_json_val(&mobj, k), mobj.pairs[k].val_len);
		}
		row->nval = nvoff - row->val0;
	}
}

/* 0 if p[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates,
 * nothing past U+10FFFF), else -1. */
static int utf8_bad(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t k;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return -1;
		}
		if (n - i <= k)
			return -1;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += k + 1;
	}
	return 0;
}

/* The header from the first row: names trimmed (csv, tsv) or the keys
 * (jsonl); no NUL byte (before trimming), valid UTF-8, non-empty, unique,
 * at least one. */
static void set_names_from(const mrow *r, int trim, int pairs)
{
	size_t n = pairs ? r->nval / 2 : r->nval;
	if (n > namecap) {
		names = realloc(names, n * sizeof *names);
		for (size_t i = namecap; i < n; i++)
			names[i] = NULL;
		namecap = n;
	}
	nnames = n;
	if (n == 0)
		header_bad = 1;
	for (size_t i = 0; i < n; i++) {
		span v = mval(r, pairs ? 2 * i : i);
		if (memchr(v.p, '\0', v.n) || utf8_bad(v.p, v.n))
			header_bad = 1;
		if (trim) {
			while (v.n && (*v.p == ' ' || *v.p == '\t'))
				v.p++, v.n--;
			while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
				v.n--;
		}
		free(names[i]);
		names[i] = malloc(v.n + 1);
		memcpy(names[i], v.p, v.n);
		names[i][v.n] = '\0';
		if (!names[i][0])
			header_bad = 1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				header_bad = 1;
	}
}

static void set_names_declared(const char *list)
{
	size_t n;
	char **v = cx_split_list(list, &n);
	if (n > namecap) {
		names = realloc(names, n * sizeof *names);
		for (size_t i = namecap; i < n; i++)
			names[i] = NULL;
		namecap = n;
	}
	nnames = n;
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		names[i] = v[i];
	}
	free(v);
}

/* ---- the run ---- */

static int expect_die;
static cx_rows *rr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	skip_known = getenv("CX_FUZZ_SKIP_KNOWN") && *getenv("CX_FUZZ_SKIP_KNOWN");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const cx_from froms[3] = { CX_FROM_CSV, CX_FROM_TSV, CX_FROM_JSONL };
	int fmt = data[0] % 3;
	long skip = (data[0] / 3) % 3;
	int declared = fmt == 2 && (data[0] / 9) % 2;
	const char *fields = declared ? "a,b,c" : NULL;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	/* A file that starts with the gzip magic is gzip to the input layer
	 * (fuzz_input covers that); this model knows only plain text. */
	if (n >= 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b)
		return 0;

	/* The model. */
	split_lines(s, n);
	nrows = 0;
	nvoff = 0;
	cx_buf_reset(&raws);
	cx_buf_reset(&vals);
	header_bad = 0;
	nnames = 0;
	nexact = (size_t)-1;
	model_cut = 0;
	nul_key = 0;
	size_t first = (size_t)skip < nlines ? (size_t)skip : nlines;
	size_t row0 = 0;	/* first model row after the header */
	switch (fmt) {
	case 0: model_csv(first); break;
	case 1: model_tsv(first); break;
	case 2: model_jsonl(first); break;
	}
	if (nexact > nrows)
		nexact = nrows;
	if (declared) {
		set_names_declared(fields);
	} else if (nrows == 0 || rows[0].error) {
		header_bad = 1;
	} else {
		set_names_from(&rows[0], fmt != 2, fmt == 2);
		/* A jsonl header's object is also the first row. */
		row0 = fmt == 2 ? 0 : 1;
	}
	/* Known bug, crashes-found/rows/jsonl-nul-in-key: keys are compared
	 * as C strings, so "a\u0000x" passes for the column "a" and its value
	 * is lost.  With CX_FUZZ_SKIP_KNOWN such inputs are only run.  A CSV
	 * row that would hold two records (a bare CR) must be refused. */
	int sure = 1;
	if (skip_known && nul_key)
		sure = 0, nexact = 0;
	/* A CSV header holding two records (a bare CR) is refused. */
	if (fmt == 0 && nrows && rows[0].merged)
		header_bad = 1;

	/* The library. */
	put_file(s, n);
	track_begin();
	arm();
	if (setjmp(die_jmp)) {
		track_cleanup();
		rr = NULL;
		if (!expect_die)
			fail("died where the model does not");
		return 0;
	}
	expect_die = sure ? header_bad : 1;
	rr = cx_rows_open(mem_path, froms[fmt], NULL, skip, fields);
	if (expect_die && sure)
		fail("cx_rows_open accepted a bad or missing header");
	expect_die = 0;
	size_t hn;
	char **h = cx_rows_header(rr, &hn);
	if (sure) {
		if (hn != nnames)
			fail("header count");
		for (size_t i = 0; i < hn; i++)
			if (strcmp(h[i], names[i]))
				fail("header name");
	}
	cx_row row;
	for (size_t k = sure ? row0 : nexact; k < nexact; k++) {
		const mrow *m = &rows[k];
		memset(&row, 0x5a, sizeof row);
		if (!cx_rows_next(rr, &row))
			fail("cx_rows_next ended early");
		if (!row.raw.p)
			fail("raw is NULL");
		if (row.raw.n != m->raw_len || memcmp(row.raw.p, raws.p + m->raw_off, m->raw_len))
			fail("raw differs from the model");
		if (row.line != m->line)
			fail("line number");
		int want_err = m->error;
		if (!want_err && fmt == 2) {
			/* Every key must be in the header. */
			for (size_t i = 0; i < m->nval / 2 && !want_err; i++) {
				span key = mval(m, 2 * i);
				int known = 0;
				for (size_t j = 0; j < nnames && !known; j++)
					known = strlen(names[j]) == key.n && !memcmp(names[j], key.p, key.n);
				want_err = !known;
			}
		} else if (!want_err && fmt == 0 && m->merged) {
			want_err = 1;	/* two records in one row: refused */
		} else if (!want_err && m->nval != nnames) {
			want_err = 1;
		}
		if (want_err) {
			if (!row.error)
				fail("a row the model refuses was accepted");
			if (row.v || row.n)
				fail("an error row has values");
			continue;
		}
		if (row.error)
			fail("a row the model accepts was refused");
		if (row.n != hn || !row.v)
			fail("n differs from the header count");
		for (size_t j = 0; j < hn; j++) {
			span want = { "", 0 };
			if (fmt == 2) {
				for (size_t i = 0; i < m->nval / 2; i++) {
					span key = mval(m, 2 * i);
					if (key.n == strlen(names[j]) && !memcmp(key.p, names[j], key.n)) {
						want = mval(m, 2 * i + 1);
						break;
					}
				}
			} else {
				want = mval(m, j);
			}
			if (row.v[j].n != want.n || (want.n && memcmp(row.v[j].p, want.p, want.n)))
				fail("value differs from the model");
		}
	}
	if (sure && nexact == nrows && !model_cut) {
		if (cx_rows_next(rr, &row))
			fail("a row after the model's last");
	} else {
		/* Past what the model knows: the invariants only. */
		while (cx_rows_next(rr, &row)) {
			if (!row.raw.p)
				fail("raw is NULL");
			if (!row.error && (row.n != hn || !row.v))
				fail("n differs from the header count");
			if (row.error && (row.v || row.n))
				fail("an error row has values");
		}
	}
	cx_rows_close(rr);
	rr = NULL;
	die_armed = 0;
	track_end();
	return 0;
}
