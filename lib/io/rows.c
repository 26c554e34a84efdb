#include "io/rows.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/input.h"
#include "io/json.h"
#include "core/utf8.h"

struct cx_rows {
	cx_from from;
	cx_input *in;
	char **names;
	size_t nnames;

	cx_buf vals;		/* values of the row being built, back to back */
	size_t *off;		/* start of each value in vals */
	size_t nvals, offcap;
	cx_slice *v;		/* the row handed out */
	size_t vcap;
	cx_buf raw;		/* raw text of the row being built */
	cx_buf why;		/* error text of the row handed out */
	long line;		/* first line of the row being built */

	/* csv */
	struct csv_parser csv;
	int records_done;	/* records completed by the last feed */
	int at_eof;

	/* jsonl */
	cx_json_obj obj;
	int declared;		/* header came from --fields */
	int have_pending;	/* first jsonl record read while making the header */
};

int cx_from_parse(const char *name, cx_from *out)
{
	if (!strcmp(name, "csv"))
		*out = CX_FROM_CSV;
	else if (!strcmp(name, "tsv"))
		*out = CX_FROM_TSV;
	else if (!strcmp(name, "jsonl") || !strcmp(name, "json") || !strcmp(name, "ndjson"))
		*out = CX_FROM_JSONL;
	else if (!strcmp(name, "jddc"))
		*out = CX_FROM_JDDC;
	else if (!strcmp(name, "twcs"))
		*out = CX_FROM_TWCS;
	else
		return -1;
	return 0;
}

const char *cx_from_name(cx_from f)
{
	static const char *const names[] = { "csv", "tsv", "jsonl", "jddc", "twcs" };
	return (size_t)f < sizeof names / sizeof *names ? names[f] : "?";
}

int cx_from_guess(const char *path, cx_from *out)
{
	size_t n = strlen(path);
	if (n > 3 && !strcasecmp(path + n - 3, ".gz"))
		n -= 3;
	const char *dot = NULL;
	for (size_t i = n; i > 0; i--)
		if (path[i - 1] == '.') {
			dot = path + i;
			break;
		} else if (path[i - 1] == '/') {
			break;
		}
	if (!dot)
		return -1;
	char ext[8];
	size_t len = n - (size_t)(dot - path);
	if (len >= sizeof ext)
		return -1;
	for (size_t i = 0; i < len; i++)
		ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32 : dot[i]);
	ext[len] = '\0';
	if (!strcmp(ext, "txt") || !strcmp(ext, "tab"))
		strcpy(ext, "tsv");
	cx_from f;
	if (cx_from_parse(ext, &f) != 0 || f == CX_FROM_JDDC || f == CX_FROM_TWCS)
		return -1;
	*out = f;
	return 0;
}

static void add_value(cx_rows *r, const char *p, size_t n)
{
	if (r->nvals == r->offcap) {
		r->offcap = r->offcap ? r->offcap * 2 : 32;
		r->off = cx_realloc(r->off, (r->offcap + 1) * sizeof *r->off);
	}
	r->off[r->nvals++] = r->vals.len;
	cx_buf_add(&r->vals, p, n);
}

/* Point row.v at the values collected so far. */
static void make_slices(cx_rows *r)
{
	if (r->vcap < r->nvals + 1) {
		r->vcap = r->nvals + 1;
		r->v = cx_realloc(r->v, r->vcap * sizeof *r->v);
	}
	for (size_t i = 0; i < r->nvals; i++) {
		size_t end = i + 1 < r->nvals ? r->off[i + 1] : r->vals.len;
		r->v[i].p = r->vals.p ? r->vals.p + r->off[i] : "";
		r->v[i].n = end - r->off[i];
	}
}

static void clear_values(cx_rows *r)
{
	r->nvals = 0;
	cx_buf_reset(&r->vals);
}

/* --- csv --- */

static void csv_field(void *s, size_t n, void *ctx)
{
	cx_rows *r = ctx;
	add_value(r, s ? s : "", s ? n : 0);
}

static void csv_record(int c, void *ctx)
{
	(void)c;
	cx_rows *r = ctx;
	r->records_done++;
}

/* libcsv strips blanks around unquoted fields by default; cx keeps every
 * byte (cx-ingest trims, or not, as its options say). */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void csv_start(cx_rows *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		cx_die(CX_EXIT_IO, "out of memory");
	csv_set_space_func(&r->csv, no_space);
	/* libcsv grows a field by this much at a time: its default of 128
	 * bytes makes a 10 MB narrative cost 80,000 reallocs. */
	csv_set_blk_size(&r->csv, 1 << 20);
}

/*
 * Feed the parser one physical line at a time: a record can only end at a
 * line end, so after each feed we know whether it did, the raw text of a
 * record is exactly the lines fed since the last one ended, and the line
 * numbers in messages are exact.
 */
static int csv_next(cx_rows *r, cx_row *row)
{
	const char *p;
	size_t n;
	clear_values(r);
	cx_buf_reset(&r->raw);
	r->line = 0;
	for (;;) {
		if (r->at_eof)
			return 0;
		if (!cx_input_line(r->in, &p, &n)) {
			r->at_eof = 1;
			if (r->raw.len == 0)
				return 0;
			r->records_done = 0;
			if (csv_fini(&r->csv, csv_field, csv_record, r) != 0) {
				row->error = "unterminated quoted field";
				goto bad;
			}
			break;
		}
		/* The CR of a CR LF line end goes to the parser (inside quotes
		 * it is data) but not into the raw text shown for rejects. */
		size_t shown = n && p[n - 1] == '\r' ? n - 1 : n;
		if (shown == 0 && r->nvals == 0 && r->raw.len == 0) {
			/* A blank line outside a record: no data, and no
			 * record for libcsv either; passed over, not lost. */
			if (n && csv_parse(&r->csv, p, n, csv_field, csv_record, r) != n)
				cx_die(CX_EXIT_IO, "csv parser state error");
			continue;
		}
		if (!r->line)
			r->line = cx_input_lineno(r->in);
		if (r->raw.len)
			cx_buf_addc(&r->raw, '\n');
		cx_buf_add(&r->raw, p, shown);
		r->records_done = 0;
		if (csv_parse(&r->csv, p, n, csv_field, csv_record, r) != n ||
		    csv_parse(&r->csv, "\n", 1, csv_field, csv_record, r) != 1) {
			row->error = csv_error(&r->csv) == CSV_EPARSE
					     ? "malformed quoting (a quote inside an unquoted field, "
					       "or text after a closing quote)"
					     : csv_strerror(csv_error(&r->csv));
			goto bad;
		}
		/* libcsv ends a record at a bare CR too.  Two records ended
		 * in one line, or a record ended with more of the line after
		 * it (the parser is not back at a row's start, pstate 0),
		 * means CR line ends (old Mac) or a stray CR: gluing them
		 * into one row, or starting the next row mid-line, would be
		 * wrong. */
		if (r->records_done > 1 || (r->records_done == 1 && r->csv.pstate != 0)) {
			row->error = "more than one record on one line (a bare CR line end?)";
			goto bad;
		}
		if (r->records_done)
			break;
	}
	row->error = NULL;
	return 1;
bad:
	/* Start afresh on the next line; the bad record goes out as an
	 * error row with everything read for it. */
	csv_free(&r->csv);
	csv_start(r);
	clear_values(r);
	return 1;
}

/* --- tsv --- */

static int tsv_next(cx_rows *r, cx_row *row)
{
	const char *p;
	size_t n;
	clear_values(r);
	do {
		if (!cx_input_line(r->in, &p, &n))
			return 0;
		if (n && p[n - 1] == '\r')
			n--;
		/* A blank line holds no record, unless a one-column record
		 * with an empty value is what it means. */
	} while (n == 0 && r->nnames > 1);
	r->line = cx_input_lineno(r->in);
	cx_buf_reset(&r->raw);
	cx_buf_add(&r->raw, p, n);
	row->error = NULL;
	const char *e = p + n;
	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(e - p));
		const char *end = t ? t : e;
		if (r->nvals == r->offcap) {
			r->offcap = r->offcap ? r->offcap * 2 : 32;
			r->off = cx_realloc(r->off, (r->offcap + 1) * sizeof *r->off);
		}
		r->off[r->nvals++] = r->vals.len;
		if (cx_unescape(&r->vals, p, (size_t)(end - p)) && !row->error)
			row->error = "invalid backslash escape (a backslash must be followed by t, n, r or a backslash)";
		if (!t)
			break;
		p = t + 1;
	}
	if (row->error)
		clear_values(r);
	return 1;
}

/* --- jsonl --- */

static int jsonl_read(cx_rows *r, cx_row *row)
{
	const char *p;
	size_t n;
	for (;;) {
		if (!cx_input_line(r->in, &p, &n))
			return 0;
		if (n && p[n - 1] == '\r')
			n--;
		/* Blank lines between objects are common in hand-made files
		 * and hold no record. */
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n)
			break;
	}
	r->line = cx_input_lineno(r->in);
	cx_buf_reset(&r->raw);
	cx_buf_add(&r->raw, p, n);
	cx_buf_reset(&r->why);
	row->error = NULL;
	if (cx_json_parse_object(&r->obj, p, n, &r->why) != 0)
		row->error = r->why.p ? r->why.p : "invalid JSON";
	return 1;
}

static int jsonl_next(cx_rows *r, cx_row *row)
{
	clear_values(r);
	row->error = NULL;
	if (r->have_pending)
		r->have_pending = 0;
	else if (!jsonl_read(r, row))
		return 0;
	if (row->error)
		return 1;
	for (size_t i = 0; i < r->obj.npairs; i++) {
		const char *key = cx_json_key(&r->obj, i);
		size_t klen = r->obj.pairs[i].key_len;
		int known = 0;
		/* By length too: a key with a NUL byte is not its prefix. */
		for (size_t j = 0; j < r->nnames && !known; j++)
			known = strlen(r->names[j]) == klen && !memcmp(r->names[j], key, klen);
		if (!known) {
			cx_buf_reset(&r->why);
			cx_buf_addf(&r->why, "key '%s' is not in the header (%s)", key,
				    r->declared ? "--fields" : "the keys of the first object");
			row->error = r->why.p;
			return 1;
		}
	}
	for (size_t j = 0; j < r->nnames; j++) {
		long i = cx_json_obj_find(&r->obj, r->names[j], strlen(r->names[j]));
		if (i < 0)
			add_value(r, "", 0);
		else
			add_value(r, cx_json_val(&r->obj, (size_t)i), r->obj.pairs[i].val_len);
	}
	return 1;
}

/* --- common --- */

static void set_header(cx_rows *r, char **names, size_t n)
{
	r->names = names;
	r->nnames = n;
	if (n == 0)
		cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
			  "header: no columns (a JSON Lines input can declare them with --fields)");
	for (size_t i = 0; i < n; i++) {
		size_t bad = cx_utf8_check(names[i], strlen(names[i]));
		if (bad)
			cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
				  "header: the name of column %zu is not valid UTF-8 (byte %zu; wrong --encoding?)",
				  i + 1, bad);
		if (!names[i][0])
			cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
				  "header: column %zu has an empty name", i + 1);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
					  "header: duplicate column name '%s' (columns %zu and %zu)",
					  names[i], j + 1, i + 1);
	}
}

static char **copy_values(cx_rows *r, size_t *n)
{
	make_slices(r);
	char **names = cx_calloc(r->nvals + 1, sizeof *names);
	for (size_t i = 0; i < r->nvals; i++) {
		/* Header names are trimmed: "Date received " is a typo, not
		 * a different column. */
		const char *p = r->v[i].p;
		size_t len = r->v[i].n;
		if (memchr(p, '\0', len))
			cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
				  "header: the name of column %zu holds a NUL byte", i + 1);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		names[i] = cx_strndup(p, len);
	}
	*n = r->nvals;
	return names;
}

cx_rows *cx_rows_open(const char *path, cx_from from, const char *encoding, long skip,
		      const char *fields)
{
	cx_rows *r = cx_calloc(1, sizeof *r);
	r->from = from;
	r->in = cx_input_open(path, encoding);
	const char *p;
	size_t n;
	for (long i = 0; i < skip; i++)
		if (!cx_input_line(r->in, &p, &n))
			break;
	cx_row row;
	size_t nn = 0;
	char **names = NULL;
	int got = 0;
	switch (from) {
	case CX_FROM_CSV:
		csv_start(r);
		got = csv_next(r, &row);
		break;
	case CX_FROM_TSV:
		got = tsv_next(r, &row);
		break;
	case CX_FROM_JSONL:
		if (fields) {
			names = cx_split_list(fields, &nn);
			r->declared = 1;
			set_header(r, names, nn);
			return r;
		}
		got = jsonl_read(r, &row);
		if (got && !row.error) {
			names = cx_calloc(r->obj.npairs + 1, sizeof *names);
			for (size_t i = 0; i < r->obj.npairs; i++) {
				if (memchr(cx_json_key(&r->obj, i), '\0', r->obj.pairs[i].key_len))
					cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line,
						  "header: the name of column %zu holds a NUL byte", i + 1);
				names[i] = cx_strdup(cx_json_key(&r->obj, i));
			}
			nn = r->obj.npairs;
			r->have_pending = 1;
			set_header(r, names, nn);
			return r;
		}
		break;
	case CX_FROM_JDDC:
	case CX_FROM_TWCS:
		cx_die(CX_EXIT_IO, "internal error: cx_rows_open cannot read a turn profile");
	}
	if (!got)
		cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), 0, "empty input: expected a header");
	if (row.error)
		cx_die_at(CX_EXIT_DATA, cx_input_name(r->in), r->line, "header: %s", row.error);
	names = copy_values(r, &nn);
	set_header(r, names, nn);
	return r;
}

void cx_rows_close(cx_rows *r)
{
	if (!r)
		return;
	if (r->from == CX_FROM_CSV)
		csv_free(&r->csv);
	cx_json_obj_free(&r->obj);
	cx_input_close(r->in);
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	cx_buf_free(&r->vals);
	cx_buf_free(&r->raw);
	cx_buf_free(&r->why);
	free(r->off);
	free(r->v);
	free(r);
}

const char *cx_rows_name(const cx_rows *r)
{
	return cx_input_name(r->in);
}

char **cx_rows_header(const cx_rows *r, size_t *n)
{
	*n = r->nnames;
	return r->names;
}

int cx_rows_next(cx_rows *r, cx_row *row)
{
	int got;
	switch (r->from) {
	case CX_FROM_CSV: got = csv_next(r, row); break;
	case CX_FROM_TSV: got = tsv_next(r, row); break;
	default: got = jsonl_next(r, row); break;
	}
	if (!got)
		return 0;
	row->line = r->line;
	row->raw.p = r->raw.p ? r->raw.p : "";
	row->raw.n = r->raw.len;
	if (row->error) {
		row->v = NULL;
		row->n = 0;
		return 1;
	}
	make_slices(r);
	row->v = r->v;
	row->n = r->nvals;
	if (r->nvals != r->nnames) {
		cx_buf_reset(&r->why);
		cx_buf_addf(&r->why, "expected %zu fields, found %zu", r->nnames, r->nvals);
		row->error = r->why.p;
		row->v = NULL;
		row->n = 0;
	}
	return 1;
}
