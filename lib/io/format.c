#include "io/format.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/num.h"
#include "io/json.h"
#include "core/utf8.h"

struct cx_format {
	const struct writer *w;
	cx_output *o;
	cx_format_opts opts;
	char **names;
	size_t nfields;
	cx_buf val;		/* scratch for one unescaped value */
	cx_buf line;		/* scratch for one output record */
	/* table and markdown: every cell, NUL-separated, in an arena */
	const cx_reader *src;	/* for messages about bad escapes, or NULL */
	cx_buf cells;
	size_t *cell_off;	/* start of each cell in cells */
	size_t ncells, cell_cap;
	size_t *width;		/* widest cell per column */
	unsigned char *numeric;	/* 1 while every cell of the column is a number */
};

struct writer {
	cx_format_kind kind;
	void (*header)(cx_format *f);
	void (*row)(cx_format *f, const cx_slice *v);
	void (*end)(cx_format *f);
};

static _Noreturn void bad_escape(const cx_format *f, size_t col)
{
	const char *file = f->src ? f->src->file : NULL;
	long line = f->src ? f->src->line : 0;
	cx_bad_escape(file, line, f->names[col]);
}

static cx_slice unescaped(cx_format *f, const cx_slice *v, size_t col)
{
	cx_slice s = v[col];
	if (!memchr(s.p, '\\', s.n))
		return s;
	cx_buf_reset(&f->val);
	if (cx_unescape(&f->val, s.p, s.n))
		bad_escape(f, col);
	cx_slice u = { f->val.p, f->val.len };
	return u;
}

/* The formats that pass fields through in escaped form still refuse a
 * bad escape, so that every format agrees on what a valid stream is. */
static void check_escapes(cx_format *f, const cx_slice *v, size_t col)
{
	const char *p = v[col].p, *e = p + v[col].n;
	while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		if (p + 1 == e || (p[1] != 't' && p[1] != 'n' && p[1] != 'r' && p[1] != '\\'))
			bad_escape(f, col);
		p += 2;
	}
}

/* --- tsv: the stream itself --- */

static void tsv_header(cx_format *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		if (i)
			cx_out_c(f->o, '\t');
		cx_out_field(f->o, f->names[i], strlen(f->names[i]));
	}
	cx_out_eol(f->o);
}

static void tsv_row(cx_format *f, const cx_slice *v)
{
	/* Fields are already escaped: they go out as they came in. */
	for (size_t i = 0; i < f->nfields; i++) {
		if (i)
			cx_out_c(f->o, '\t');
		check_escapes(f, v, i);
		cx_out_raw(f->o, v[i].p, v[i].n);
	}
	cx_out_eol(f->o);
}

/* --- csv --- */

void cx_csv_put(cx_output *o, const char *v, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = v[i] == ',' || v[i] == '"' || v[i] == '\n' || v[i] == '\r';
	if (!quote) {
		cx_out_raw(o, v, n);
		return;
	}
	cx_out_c(o, '"');
	const char *p = v, *e = v + n;
	for (const char *q; (q = memchr(p, '"', (size_t)(e - p))) != NULL; p = q + 1) {
		cx_out_raw(o, p, (size_t)(q - p) + 1);
		cx_out_c(o, '"');
	}
	cx_out_raw(o, p, (size_t)(e - p));
	cx_out_c(o, '"');
}

int cx_csv_is_formula(const char *v, size_t n)
{
	if (!n || !v[0] || !strchr("=+-@\t\r", v[0]))
		return 0;
	double d;
	return cx_num_parse(v, n, &d) != CX_NUM_OK;
}

/* A cell, with the formula guard when asked for. */
static void csv_cell(cx_format *f, const char *v, size_t n)
{
	if (f->opts.formula_guard && cx_csv_is_formula(v, n)) {
		cx_buf_reset(&f->line);
		cx_buf_addc(&f->line, '\'');
		cx_buf_add(&f->line, v, n);
		v = f->line.p;
		n = f->line.len;
	}
	cx_csv_put(f->o, v, n);
}

static void csv_eol(cx_format *f)
{
	if (f->opts.crlf)
		cx_out_c(f->o, '\r');
	cx_out_eol(f->o);
}

static void csv_header(cx_format *f)
{
	if (f->opts.bom)
		cx_out_raw(f->o, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; i < f->nfields; i++) {
		if (i)
			cx_out_c(f->o, ',');
		csv_cell(f, f->names[i], strlen(f->names[i]));
	}
	csv_eol(f);
}

static void csv_row(cx_format *f, const cx_slice *v)
{
	for (size_t i = 0; i < f->nfields; i++) {
		if (i)
			cx_out_c(f->o, ',');
		cx_slice u = unescaped(f, v, i);
		csv_cell(f, u.p, u.n);
	}
	csv_eol(f);
}

/* --- jsonl --- */

static void jsonl_row(cx_format *f, const cx_slice *v)
{
	cx_buf *b = &f->line;
	cx_buf_reset(b);
	cx_buf_addc(b, '{');
	for (size_t i = 0; i < f->nfields; i++) {
		if (i)
			cx_buf_addc(b, ',');
		cx_json_put_string(b, f->names[i], strlen(f->names[i]));
		cx_buf_addc(b, ':');
		cx_slice u = unescaped(f, v, i);
		if (u.n == 0)
			cx_buf_adds(b, "null");
		else if (f->opts.numbers && cx_json_is_number(u.p, u.n))
			cx_buf_add(b, u.p, u.n);
		else
			cx_json_put_string(b, u.p, u.n);
	}
	cx_buf_addc(b, '}');
	cx_out_raw(f->o, b->p, b->len);
	cx_out_eol(f->o);
}

/* --- table and markdown: held back until the widths are known --- */

static int looks_numeric(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t digits = 0, dots = 0;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && !dots)
			dots++;
		else if (s[i] == '%' && i == n - 1)
			;
		else
			return 0;
	}
	return digits > 0;
}

static void keep_cell(cx_format *f, size_t col, const char *p, size_t n)
{
	/* Judge the whole value, not what is left after cutting it. */
	if (n && !looks_numeric(p, n))
		f->numeric[col] = 0;
	if (f->ncells == f->cell_cap) {
		f->cell_cap = f->cell_cap ? f->cell_cap * 2 : 1024;
		f->cell_off = cx_realloc(f->cell_off, f->cell_cap * sizeof *f->cell_off);
	}
	size_t w;
	if (f->opts.max_width && cx_utf8_width(p, n) > f->opts.max_width) {
		/* Cut to max_width - 1 columns and mark the cut. */
		n = cx_utf8_prefix(p, n, f->opts.max_width - 1, &w);
		f->cell_off[f->ncells++] = f->cells.len;
		cx_buf_add(&f->cells, p, n);
		cx_buf_adds(&f->cells, "\xE2\x80\xA6");
		w += 1;
	} else {
		w = cx_utf8_width(p, n);
		f->cell_off[f->ncells++] = f->cells.len;
		cx_buf_add(&f->cells, p, n);
	}
	cx_buf_addc(&f->cells, '\0');
	if (w > f->width[col])
		f->width[col] = w;
}

static void held_header(cx_format *f)
{
	f->width = cx_calloc(f->nfields, sizeof *f->width);
	f->numeric = cx_malloc(f->nfields);
	memset(f->numeric, 1, f->nfields);
	for (size_t i = 0; i < f->nfields; i++) {
		size_t n = strlen(f->names[i]);
		keep_cell(f, i, f->names[i], n);
	}
	/* Header names do not make a column non-numeric. */
	memset(f->numeric, 1, f->nfields);
}

static void table_row(cx_format *f, const cx_slice *v)
{
	/* Escaped form on purpose: a newline shown as \n keeps rows on one
	 * terminal line. */
	for (size_t i = 0; i < f->nfields; i++) {
		check_escapes(f, v, i);
		keep_cell(f, i, v[i].p, v[i].n);
	}
}

/* A Markdown cell: '|' escaped, line breaks as <br>, and '<', '>', '&'
 * as entities, so that a customer's "<script>" or "<img onerror=...>"
 * pasted into a wiki that renders HTML in tables is text, not markup;
 * entities render as the characters they stand for. */
static void markdown_cell(cx_format *f, size_t col, const char *p, size_t n)
{
	cx_buf_reset(&f->line);
	for (size_t k = 0; k < n; k++) {
		char c = p[k];
		switch (c) {
		case '|': cx_buf_adds(&f->line, "\\|"); break;
		case '\n': cx_buf_adds(&f->line, "<br>"); break;
		case '\t': cx_buf_addc(&f->line, ' '); break;
		case '\r': break;
		case '<': cx_buf_adds(&f->line, "&lt;"); break;
		case '>': cx_buf_adds(&f->line, "&gt;"); break;
		case '&': cx_buf_adds(&f->line, "&amp;"); break;
		default: cx_buf_addc(&f->line, c); break;
		}
	}
	keep_cell(f, col, f->line.p ? f->line.p : "", f->line.len);
}

static void markdown_header(cx_format *f)
{
	held_header(f);
	/* held_header kept the names as they are: keep them escaped instead. */
	f->ncells = 0;
	cx_buf_reset(&f->cells);
	memset(f->width, 0, f->nfields * sizeof *f->width);
	for (size_t i = 0; i < f->nfields; i++)
		markdown_cell(f, i, f->names[i], strlen(f->names[i]));
	memset(f->numeric, 1, f->nfields);
}

static void markdown_row(cx_format *f, const cx_slice *v)
{
	for (size_t i = 0; i < f->nfields; i++) {
		cx_slice u = unescaped(f, v, i);
		markdown_cell(f, i, u.p, u.n);
	}
}

static void pad(cx_output *o, size_t n)
{
	static const char spaces[] = "                                ";
	while (n) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		cx_out_raw(o, spaces, k);
		n -= k;
	}
}

static void put_cell(cx_format *f, size_t cell, size_t col, int last)
{
	/* Cells end where the next begins (less its NUL): a value may hold
	 * NUL bytes of its own. */
	const char *s = f->cells.p + f->cell_off[cell];
	size_t end = cell + 1 < f->ncells ? f->cell_off[cell + 1] : f->cells.len;
	size_t n = end - f->cell_off[cell] - 1, w = cx_utf8_width(s, n);
	size_t gap = f->width[col] - w;
	int right = f->numeric[col] && cell >= f->nfields;
	if (right)
		pad(f->o, gap);
	cx_out_raw(f->o, s, n);
	if (!right && !last)
		pad(f->o, gap);
}

static void table_end(cx_format *f)
{
	size_t rows = f->ncells / (f->nfields ? f->nfields : 1);
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < f->nfields; c++) {
			if (c)
				cx_out_raw(f->o, "  ", 2);
			put_cell(f, r * f->nfields + c, c, c + 1 == f->nfields);
		}
		cx_out_eol(f->o);
	}
}

static void markdown_end(cx_format *f)
{
	size_t rows = f->ncells / (f->nfields ? f->nfields : 1);
	for (size_t r = 0; r < rows; r++) {
		cx_out_c(f->o, '|');
		for (size_t c = 0; c < f->nfields; c++) {
			cx_out_c(f->o, ' ');
			put_cell(f, r * f->nfields + c, c, 0);
			cx_out_raw(f->o, " |", 2);
		}
		cx_out_eol(f->o);
		if (r == 0) {
			cx_out_c(f->o, '|');
			for (size_t c = 0; c < f->nfields; c++) {
				size_t w = f->width[c] < 3 ? 3 : f->width[c];
				cx_out_c(f->o, f->numeric[c] && rows > 1 ? '-' : ':');
				for (size_t k = 0; k < w; k++)
					cx_out_c(f->o, '-');
				cx_out_raw(f->o, f->numeric[c] && rows > 1 ? ":|" : "-|", 2);
			}
			cx_out_eol(f->o);
		}
	}
}

static const struct writer writers[] = {
	{ .kind = { "table", "aligned columns for a terminal; CJK characters count two columns" },
	  .header = held_header, .row = table_row, .end = table_end },
	{ .kind = { "tsv", "the cx record stream itself (checked on the way through)" },
	  .header = tsv_header, .row = tsv_row },
	{ .kind = { "csv", "RFC 4180 CSV; --bom for Excel, --crlf for CR LF line ends" },
	  .header = csv_header, .row = csv_row },
	{ .kind = { "jsonl", "one JSON object per line; empty values are null; see --numbers" },
	  .row = jsonl_row },
	{ .kind = { "markdown", "a GitHub-flavoured Markdown table" },
	  .header = markdown_header, .row = markdown_row, .end = markdown_end },
};

const cx_format_kind *cx_format_kind_at(size_t i)
{
	return i < sizeof writers / sizeof writers[0] ? &writers[i].kind : NULL;
}

cx_format *cx_format_new(const char *name, cx_output *o, const cx_format_opts *opts)
{
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
		if (strcmp(writers[i].kind.name, name))
			continue;
		cx_format *f = cx_calloc(1, sizeof *f);
		f->w = &writers[i];
		f->o = o;
		f->opts = *opts;
		if (f->opts.max_width == 1)
			f->opts.max_width = 2;
		return f;
	}
	return NULL;
}

void cx_format_header(cx_format *f, char *const *names, size_t n)
{
	f->nfields = n;
	f->names = cx_calloc(n, sizeof *f->names);
	for (size_t i = 0; i < n; i++)
		f->names[i] = cx_strdup(names[i]);
	if (f->w->header)
		f->w->header(f);
}

void cx_format_set_source(cx_format *f, const cx_reader *r)
{
	f->src = r;
}

void cx_format_row(cx_format *f, const cx_slice *fields, size_t n)
{
	(void)n;
	f->w->row(f, fields);
}

int cx_format_takes_lines(const cx_format *f)
{
	return f->w->row == tsv_row;
}

void cx_format_line(cx_format *f, cx_slice line)
{
	cx_out_raw(f->o, line.p, line.n);
	cx_out_eol(f->o);
}

void cx_format_end(cx_format *f)
{
	if (f->w->end)
		f->w->end(f);
	for (size_t i = 0; i < f->nfields; i++)
		free(f->names[i]);
	free(f->names);
	cx_buf_free(&f->val);
	cx_buf_free(&f->line);
	cx_buf_free(&f->cells);
	free(f->cell_off);
	free(f->width);
	free(f->numeric);
	free(f);
}
