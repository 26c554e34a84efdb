#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "ingest/turns.h"
#include "io/input.h"
#include "core/keys.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/rejects.h"
#include "io/stream.h"
#include "core/utf8.h"

static const char *const default_time_fields[] = { "created_at", "first_response_at",
						   "resolved_at" };

static char *trim_copy(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return cx_strndup(p, n);
}

void cx_ingest_add_map(cx_ingest_conf *c, const char *spec, const char *where, long line)
{
	size_t n;
	char **pairs = cx_split_list(spec, &n);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(pairs[i], '=');
		char *from = eq ? trim_copy(pairs[i], (size_t)(eq - pairs[i])) : NULL;
		char *to = eq ? trim_copy(eq + 1, strlen(eq + 1)) : NULL;
		if (!eq || !*from || !*to) {
			if (line)
				cx_die_at(CX_EXIT_USAGE, where, line,
					  "expected 'column=name', found '%s'", pairs[i]);
			cx_usage_error("%s: expected 'column=name', found '%s'", where, pairs[i]);
		}
		for (size_t k = 0; k < c->nmap; k++)
			if (!strcmp(c->map[k].from, from)) {
				if (line)
					cx_die_at(CX_EXIT_USAGE, where, line,
						  "column '%s' is renamed twice (to '%s' and '%s')", from,
						  c->map[k].to, to);
				cx_usage_error("%s: column '%s' is renamed twice (to '%s' and '%s')",
					       where, from, c->map[k].to, to);
			}
		if (c->nmap == c->mapcap) {
			c->mapcap = c->mapcap ? c->mapcap * 2 : 16;
			c->map = cx_realloc(c->map, c->mapcap * sizeof *c->map);
		}
		cx_map_entry *e = &c->map[c->nmap++];
		e->from = from;
		e->to = to;
		cx_buf w = CX_BUF_INIT;
		if (line)
			cx_buf_addf(&w, "%s:%ld", where, line);
		else
			cx_buf_adds(&w, where);
		e->where = w.p;
		e->used = 0;
	}
	cx_free_list(pairs, n);
}

void cx_ingest_read_map_file(cx_ingest_conf *c, const char *path)
{
	cx_input *in = cx_input_open(path, NULL);
	const char *p;
	size_t n;
	cx_buf line = CX_BUF_INIT;
	while (cx_input_line(in, &p, &n)) {
		if (memchr(p, '\0', n))
			cx_die_at(CX_EXIT_USAGE, path, cx_input_lineno(in), "a NUL byte");
		size_t bad = cx_utf8_check(p, n);
		if (bad)
			cx_die_at(CX_EXIT_USAGE, path, cx_input_lineno(in),
				  "not valid UTF-8 (byte %zu)", bad);
		cx_buf_reset(&line);
		cx_buf_add(&line, p, n);
		char *s = line.p;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
			s[--len] = '\0';
		if (!*s || *s == '#')
			continue;
		/* One pair per line: a comma here is part of a column name. */
		char *eq = strchr(s, '=');
		if (!eq)
			cx_die_at(CX_EXIT_USAGE, path, cx_input_lineno(in),
				  "expected 'column=name', found '%s'", s);
		cx_buf esc = CX_BUF_INIT;
		for (char *q = s; *q; q++) {
			if (*q == ',')
				cx_buf_addc(&esc, '\\');
			cx_buf_addc(&esc, *q);
		}
		cx_ingest_add_map(c, esc.p, path, cx_input_lineno(in));
		cx_buf_free(&esc);
	}
	cx_buf_free(&line);
	cx_input_close(in);
}

void cx_ingest_conf_free(cx_ingest_conf *c)
{
	for (size_t i = 0; i < c->nmap; i++) {
		free(c->map[i].from);
		free(c->map[i].to);
		free(c->map[i].where);
	}
	free(c->map);
}

/* --- the run --- */

struct source {
	const cx_ingest_input *spec;
	cx_rows *rows;		/* a table, or NULL */
	cx_turns *turns;	/* or the profile of a chat transcript */
	size_t turn_input;	/* and its index among the profile's inputs */
	size_t *col_to_out;	/* output index of each input column */
	size_t ncols;
};

struct run {
	const cx_ingest_conf *conf;
	struct source *src;
	size_t nsrc;
	char **out_names;
	size_t nout;
	long source_col;	/* output index of `source`, or -1 */
	unsigned char *is_time;	/* per output column */
	size_t *required;
	size_t nrequired;
	long dedupe_col;
	cx_keys seen;
	long *seen_line;	/* per dedupe key: line of the first row */
	size_t *seen_src;	/* per dedupe key: input of the first row */
	size_t seen_cap;

	cx_turns *profiles[2];	/* jddc, twcs: NULL when not read */
	cx_output *out;
	cx_rejects rej;		/* refused rows; duplicates only recorded */
	unsigned long long read, written, dupes;

	cx_buf *vals;		/* per output column: the checked value */
	cx_buf why;
	time_t last_progress;
	int progress;
};

static const char *src_name(const struct source *src)
{
	return src->turns ? cx_turns_name(src->turns, src->turn_input) : cx_rows_name(src->rows);
}

static char **src_header(const struct source *src, size_t *n)
{
	return src->turns ? cx_turns_header(src->turns, n) : cx_rows_header(src->rows, n);
}

static long out_index(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->nout; i++)
		if (!strcmp(r->out_names[i], name))
			return (long)i;
	return -1;
}

static size_t add_out(struct run *r, const char *name)
{
	long i = out_index(r, name);
	if (i >= 0)
		return (size_t)i;
	r->out_names = cx_realloc(r->out_names, (r->nout + 1) * sizeof *r->out_names);
	r->out_names[r->nout] = cx_strdup(name);
	return r->nout++;
}

static const char *mapped(const cx_ingest_conf *c, const char *col)
{
	for (size_t i = 0; i < c->nmap; i++)
		if (!strcmp(c->map[i].from, col)) {
			c->map[i].used = 1;
			return c->map[i].to;
		}
	return col;
}

static void all_columns(const struct run *r, cx_buf *b)
{
	for (size_t s = 0; s < r->nsrc; s++) {
		size_t n;
		char **h = src_header(&r->src[s], &n);
		for (size_t i = 0; i < n; i++)
			cx_buf_addf(b, "%s'%s'", b->len ? ", " : "", h[i]);
	}
}

static void build_header(struct run *r)
{
	const cx_ingest_conf *c = r->conf;
	int any_source = 0;
	for (size_t s = 0; s < r->nsrc; s++) {
		struct source *src = &r->src[s];
		char **h = src_header(src, &src->ncols);
		src->col_to_out = cx_calloc(src->ncols + 1, sizeof *src->col_to_out);
		for (size_t i = 0; i < src->ncols; i++) {
			const char *name = mapped(c, h[i]);
			/* Two columns of one input landing on one name would
			 * make one of them vanish. */
			for (size_t j = 0; j < i; j++)
				if (!strcmp(r->out_names[src->col_to_out[j]], name))
					cx_usage_error("%s: columns '%s' and '%s' both become '%s'",
						       src_name(src),
						       h[j], h[i], name);
			src->col_to_out[i] = add_out(r, name);
		}
		any_source |= src->spec->source != NULL;
	}
	for (size_t i = 0; i < c->nmap; i++)
		if (!c->map[i].used) {
			cx_buf b = CX_BUF_INIT;
			all_columns(r, &b);
			cx_usage_error("%s: no column '%s' in the input; columns are: %s",
				       c->map[i].where, c->map[i].from, b.p ? b.p : "(none)");
		}
	r->source_col = any_source ? (long)add_out(r, "source") : -1;

	r->is_time = cx_calloc(r->nout, 1);
	if (c->time_fields) {
		size_t n;
		char **names = cx_split_list(c->time_fields, &n);
		for (size_t i = 0; i < n; i++) {
			long k = out_index(r, names[i]);
			if (k < 0)
				cx_usage_error("--time-fields: no field '%s' in the output", names[i]);
			r->is_time[k] = 1;
		}
		cx_free_list(names, n);
	} else if (!r->profiles[0] && !r->profiles[1]) {
		/* Not in a turn stream: its ts is written normalised, and a
		 * column renamed to created_at must not be refused after its
		 * turn is numbered. */
		for (size_t i = 0; i < sizeof default_time_fields / sizeof *default_time_fields; i++) {
			long k = out_index(r, default_time_fields[i]);
			if (k >= 0)
				r->is_time[k] = 1;
		}
	}
	if (c->require) {
		char **names = cx_split_list(c->require, &r->nrequired);
		r->required = cx_calloc(r->nrequired, sizeof *r->required);
		for (size_t i = 0; i < r->nrequired; i++) {
			long k = out_index(r, names[i]);
			if (k < 0)
				cx_usage_error("--require: no field '%s' in the output", names[i]);
			r->required[i] = (size_t)k;
		}
		cx_free_list(names, r->nrequired);
	}
	r->dedupe_col = -1;
	if (c->dedupe) {
		r->dedupe_col = out_index(r, c->dedupe);
		if (r->dedupe_col < 0)
			cx_usage_error("--dedupe: no field '%s' in the output", c->dedupe);
	}
}

/* Send a row to the reject stream, or report it.  Duplicates are counted
 * apart from rejects, and only recorded where there is a reject stream. */
static void refuse(struct run *r, struct source *src, const cx_row *row, const char *reason,
		   int is_duplicate)
{
	cx_reject x = { .file = src_name(src), .line = row->line, .source = src->spec->source,
			.reason = reason, .raw = row->raw.p, .rawn = row->raw.n };
	if (is_duplicate) {
		r->dupes++;
		cx_rejects_record(&r->rej, &x);
	} else {
		cx_rejects_add(&r->rej, &x);
	}
}

static int is_blank_at(const char *p, size_t n, size_t *len)
{
	if (n >= 1 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		*len = 1;
		return 1;
	}
	/* U+3000 ideographic space and U+00A0 no-break space: Chinese and
	 * spreadsheet exports pad with them. */
	if (n >= 3 && !memcmp(p, "\xE3\x80\x80", 3)) {
		*len = 3;
		return 1;
	}
	if (n >= 2 && !memcmp(p, "\xC2\xA0", 2)) {
		*len = 2;
		return 1;
	}
	return 0;
}

cx_slice cx_ingest_trim(cx_slice v)
{
	size_t k;
	while (v.n && is_blank_at(v.p, v.n, &k))
		v.p += k, v.n -= k;
	for (;;) {
		if (v.n >= 1 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t' ||
				 v.p[v.n - 1] == '\r' || v.p[v.n - 1] == '\n'))
			v.n -= 1;
		else if (v.n >= 3 && !memcmp(v.p + v.n - 3, "\xE3\x80\x80", 3))
			v.n -= 3;
		else if (v.n >= 2 && !memcmp(v.p + v.n - 2, "\xC2\xA0", 2))
			v.n -= 2;
		else
			break;
	}
	return v;
}

const char *cx_ingest_check_text(const char *name, cx_slice v, int encoded, cx_buf *why)
{
	if (memchr(v.p, '\0', v.n)) {
		cx_buf_reset(why);
		cx_buf_addf(why, "field '%s': NUL byte", name);
		return why->p;
	}
	size_t bad = cx_utf8_check(v.p, v.n);
	if (bad) {
		cx_buf_reset(why);
		cx_buf_addf(why, "field '%s': invalid UTF-8 at byte %zu%s", name, bad,
			    encoded ? "" : " (wrong --encoding?)");
		return why->p;
	}
	return NULL;
}

/* Check and convert one row into r->vals; returns a reason or NULL. */
static const char *check_row(struct run *r, struct source *src, const cx_row *row)
{
	for (size_t i = 0; i < r->nout; i++)
		cx_buf_reset(&r->vals[i]);
	for (size_t i = 0; i < row->n; i++) {
		size_t o = src->col_to_out[i];
		cx_slice v = row->v[i];
		const char *name = r->out_names[o];
		const char *why = cx_ingest_check_text(name, v, src->spec->encoding != NULL, &r->why);
		if (why)
			return why;
		if (!r->conf->no_trim)
			v = cx_ingest_trim(v);
		if (r->is_time[o] && v.n) {
			cx_instant t;
			int rc = cx_time_parse(v.p, v.n, &t);
			if (rc < 0) {
				cx_buf_reset(&r->why);
				cx_buf_addf(&r->why, "field '%s': %s: '%.*s'", name,
					    cx_time_strerror(rc), (int)(v.n > 64 ? 64 : v.n), v.p);
				return r->why.p;
			}
			char iso[CX_TIME_MAX];
			size_t len = cx_time_format(t, iso);
			cx_buf_add(&r->vals[o], iso, len);
			continue;
		}
		cx_buf_add(&r->vals[o], v.p, v.n);
	}
	if (r->source_col >= 0 && src->spec->source) {
		cx_buf_reset(&r->vals[r->source_col]);
		cx_buf_adds(&r->vals[r->source_col], src->spec->source);
	}
	for (size_t i = 0; i < r->nrequired; i++)
		if (r->vals[r->required[i]].len == 0) {
			cx_buf_reset(&r->why);
			cx_buf_addf(&r->why, "missing required field '%s'",
				    r->out_names[r->required[i]]);
			return r->why.p;
		}
	return NULL;
}

/* 1 if the row repeats an earlier key (reason in r->why). */
static int duplicate(struct run *r, size_t s, const cx_row *row)
{
	cx_buf *k = &r->vals[r->dedupe_col];
	if (k->len == 0)
		return 0;	/* missing keys are not equal to each other */
	int added;
	uint32_t id = cx_keys_intern(&r->seen, k->p, k->len, &added);
	if (added) {
		if (id >= r->seen_cap) {
			r->seen_cap = r->seen_cap ? r->seen_cap * 2 : 1024;
			r->seen_line = cx_realloc(r->seen_line, r->seen_cap * sizeof *r->seen_line);
			r->seen_src = cx_realloc(r->seen_src, r->seen_cap * sizeof *r->seen_src);
		}
		r->seen_line[id] = row->line;
		r->seen_src[id] = s;
		return 0;
	}
	cx_buf_reset(&r->why);
	cx_buf_addf(&r->why, "duplicate %s '%.*s' (first at %s:%ld)", r->out_names[r->dedupe_col],
		    (int)(k->len > 64 ? 64 : k->len), k->p, src_name(&r->src[r->seen_src[id]]),
		    r->seen_line[id]);
	return 1;
}

static void emit(struct run *r)
{
	for (size_t i = 0; i < r->nout; i++) {
		if (i)
			cx_out_c(r->out, '\t');
		cx_out_field(r->out, r->vals[i].p ? r->vals[i].p : "", r->vals[i].len);
	}
	cx_out_eol(r->out);
	r->written++;
}

static void progress(struct run *r, int done)
{
	if (!r->progress)
		return;
	time_t now = time(NULL);
	if (!done && now == r->last_progress)
		return;
	r->last_progress = now;
	if (done)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\r%s: %llu rows read\033[K", cx_progname, r->read);
}

/*
 * A turn stream (turns.h) numbers its turns before these checks see them:
 * a turn refused by --require, or taken for a duplicate, would leave a gap
 * in the numbers, and a table's columns mixed in would make the stream
 * neither.  These are usage errors.
 */
static void check_turn_options(const cx_ingest_conf *c, const cx_ingest_input *inputs, size_t n)
{
	const char *profile = NULL, *table = NULL;
	for (size_t s = 0; s < n; s++) {
		const char **first = cx_from_is_turns(inputs[s].from) ? &profile : &table;
		if (!*first)
			*first = cx_from_name(inputs[s].from);
	}
	if (!profile)
		return;
	if (table)
		cx_usage_error("--from %s writes a turn stream, which cannot take the rows of "
			       "a %s input in the same run", profile, table);
	const char *opt = c->require ? "--require" : c->dedupe ? "--dedupe" :
			  c->time_fields ? "--time-fields" : NULL;
	if (opt)
		cx_usage_error("%s does not apply to --from %s: the turns are numbered before it "
			       "could refuse one", opt, profile);
}

static void open_sources(struct run *r, const cx_ingest_input *inputs)
{
	for (size_t s = 0; s < r->nsrc; s++) {
		struct source *src = &r->src[s];
		const cx_ingest_input *in = &inputs[s];
		src->spec = in;
		if (!cx_from_is_turns(in->from)) {
			src->rows = cx_rows_open(in->path, in->from, in->encoding, in->skip,
						 in->json_fields);
			continue;
		}
		cx_turns **p = &r->profiles[in->from == CX_FROM_TWCS];
		if (!*p)
			*p = cx_turns_new(in->from, !r->conf->no_trim);
		src->turns = *p;
		src->turn_input = cx_turns_add(*p, in->path, in->encoding, in->skip, s);
	}
}

/* The next row of source s; *from is the source it came from (a turn
 * profile hands out the rows of its earlier inputs while its last is
 * read).  CX_TURNS_DUPLICATE for a duplicate refused there. */
static int next_row(struct run *r, size_t s, cx_row *row, size_t *from)
{
	struct source *src = &r->src[s];
	*from = s;
	if (src->turns)
		return cx_turns_next(src->turns, src->turn_input, row, from);
	return cx_rows_next(src->rows, row);
}

int cx_ingest_run(const cx_ingest_conf *c, const cx_ingest_input *inputs, size_t n,
		  const char *output)
{
	check_turn_options(c, inputs, n);
	struct run r = { .conf = c };
	r.nsrc = n;
	r.src = cx_calloc(n, sizeof *r.src);
	open_sources(&r, inputs);
	build_header(&r);
	r.vals = cx_calloc(r.nout, sizeof *r.vals);
	r.progress = !c->quiet && isatty(2);

	r.out = cx_output_open(output);
	cx_out_header(r.out, r.out_names, r.nout);
	cx_rejects_open(&r.rej, c->rejects, "row", 1, 0);

	for (size_t s = 0; s < n; s++) {
		cx_row row;
		size_t from;
		int got;
		while ((got = next_row(&r, s, &row, &from)) != 0) {
			struct source *src = &r.src[from];
			r.read++;
			if ((r.read & 0xFFFF) == 0)
				progress(&r, 0);
			if (got == CX_TURNS_DUPLICATE) {
				refuse(&r, src, &row, row.error, 1);
				continue;
			}
			const char *why = row.error ? row.error : check_row(&r, src, &row);
			if (why) {
				refuse(&r, src, &row, why, 0);
				continue;
			}
			if (r.dedupe_col >= 0 && duplicate(&r, s, &row)) {
				refuse(&r, src, &row, r.why.p, 1);
				continue;
			}
			emit(&r);
		}
	}
	progress(&r, 1);
	cx_output_close(r.out);
	int had_stream = r.rej.out != NULL;
	cx_rejects_close(&r.rej);
	if (!c->quiet)
		fprintf(stderr, "%s: read %llu, written %llu, rejected %llu, duplicates %llu\n",
			cx_progname, r.read, r.written, r.rej.n, r.dupes);

	for (size_t s = 0; s < n; s++) {
		cx_rows_close(r.src[s].rows);
		free(r.src[s].col_to_out);
	}
	cx_turns_free(r.profiles[0]);
	cx_turns_free(r.profiles[1]);
	free(r.src);
	for (size_t i = 0; i < r.nout; i++) {
		free(r.out_names[i]);
		cx_buf_free(&r.vals[i]);
	}
	free(r.out_names);
	free(r.vals);
	free(r.is_time);
	free(r.required);
	free(r.seen_line);
	free(r.seen_src);
	cx_keys_free(&r.seen);
	cx_buf_free(&r.why);
	return r.rej.n && !had_stream ? CX_EXIT_DATA : CX_EXIT_OK;
}
