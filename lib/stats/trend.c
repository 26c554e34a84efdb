/*
 * The engine of cx-trend: read the whole table, check its columns, decide
 * which value columns are counts, sort the rows into one series per group,
 * fill the missing periods and write each row with its measures.  What the
 * measures are and how they are computed is in trend_measures.c; the
 * engine knows them only as rows of that table.
 */
#include "stats/trend.h"
#include "stats/trend_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/opt.h"

/* ------------------------------------------------------------------ */
/* Reading                                                              */

/* Past 2^53 doubles skip whole numbers: a count there would be read as
 * another one, and its deltas would be wrong without a word. */
#define COUNT_MAX 9007199254740992.0

static double number(struct engine *e, size_t field, struct vcol *col)
{
	cx_slice s = cx_rec_get(e->r, field, &e->scratch2);
	if (s.n == 0)
		return NAN;
	double v;
	int rc = cx_num_parse(s.p, s.n, &v);
	if (rc < 0)
		cx_rec_bad_field(e->r, field, cx_num_strerror(rc));
	if (!col)
		return v;
	if (memchr(s.p, '.', s.n) || memchr(s.p, 'e', s.n) || memchr(s.p, 'E', s.n))
		col->decimal_seen = 1;
	if (v < 0 || v > 1)
		col->outside_unit = 1;
	/* Whether the column is a count is known only at the end (a later
	 * value may have a decimal point): remember the first value that
	 * cannot be one, and refuse it then if it is. */
	if (col->odd_row < 0 && (v != floor(v) || fabs(v) > COUNT_MAX))
		col->odd_row = (long)e->nrows;
	return v;
}

static int64_t period_value(struct engine *e)
{
	cx_slice s = cx_rec_get(e->r, e->pfield, &e->scratch);
	cx_period p;
	int rc = cx_period_parse(s.p, s.n, e->unit, &p);
	if (rc == CX_TIME_EEMPTY)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': missing period",
			  e->r->names[e->pfield]);
	if (e->r->records == 1) {
		/* The unit is the first row's: the first one its value parses as. */
		int u = 0;
		while (u < CX_NUNITS && cx_period_parse(s.p, s.n, (enum cx_unit)u, &p) < 0)
			u++;
		if (u == CX_NUNITS)
			cx_rec_bad_field(e->r, e->pfield, "not a period (2024-03-05T14, 2024-03-05, 2024-W09, 2024-03, 2024-Q1, 2024)");
		e->unit = (enum cx_unit)u;
		return p.index;
	}
	if (rc < 0) {
		/* Written in the series' unit but not a period of it (2023-02-29,
		 * 2024-03-05T24, 2024-W53, 2024-03x): say which part is wrong, not
		 * that the unit differs; unless it is a period of another unit. */
		int other = 0;
		for (int u = 0; u < CX_NUNITS && !other; u++)
			other = cx_period_parse(s.p, s.n, (enum cx_unit)u, &p) == 0;
		if (!other && rc != CX_TIME_ESYNTAX)
			cx_rec_bad_field(e->r, e->pfield, cx_time_strerror(rc));
		cx_buf w = CX_BUF_INIT;
		cx_buf_addf(&w, "not a period of the first row's unit (%s)", cx_unit_names[e->unit]);
		cx_rec_bad_field(e->r, e->pfield, w.p);
	}
	return p.index;
}

static void read_rows(struct engine *e)
{
	cx_reader *r = e->r;
	while (cx_reader_next(r)) {
		cx_reader_check_escapes(r);
		if (e->nrows == e->cap) {
			e->cap = e->cap ? 2 * e->cap : 256;
			e->rows = cx_realloc(e->rows, e->cap * sizeof *e->rows);
			e->vals = cx_realloc(e->vals, e->cap * (e->nv ? e->nv : 1) * sizeof *e->vals);
			e->den = cx_realloc(e->den, e->cap * sizeof *e->den);
		}
		struct row *w = &e->rows[e->nrows];
		w->period = period_value(e);
		cx_buf_reset(&e->key);
		for (size_t i = 0; i < e->ngroup; i++) {
			if (i)
				cx_buf_addc(&e->key, '\t');
			cx_buf_add(&e->key, r->f[e->gfields[i]].p, r->f[e->gfields[i]].n);
		}
		int added;
		w->gid = cx_keys_intern(&e->groups, e->key.p ? e->key.p : "", e->key.len, &added);
		w->file = cx_keys_intern(&e->files, r->file, strlen(r->file), &added);
		w->line = r->line;
		for (size_t j = 0; j < e->nv; j++)
			e->vals[e->nrows * e->nv + j] = number(e, e->v[j].field, &e->v[j]);
		e->den[e->nrows] = e->dfield >= 0 ? number(e, (size_t)e->dfield, NULL) : NAN;
		cx_slice line = cx_reader_line(r);
		w->off = e->arena.len;
		w->len = line.n;
		cx_buf_add(&e->arena, line.p, line.n);
		e->nrows++;
	}
}

/* ------------------------------------------------------------------ */
/* Sorting and writing                                                  */

static const struct engine *sort_engine;
static uint32_t *sort_rank;

/* Byte order of the escaped values, field by field (the tab between
 * them sorts first, so "a" < "a b"). */
static int cmp_keys(const void *pa, const void *pb)
{
	size_t la, lb;
	const unsigned char *a = (const unsigned char *)cx_keys_get(&sort_engine->groups, *(const uint32_t *)pa, &la);
	const unsigned char *b = (const unsigned char *)cx_keys_get(&sort_engine->groups, *(const uint32_t *)pb, &lb);
	for (size_t i = 0;; i++) {
		if (i == la || i == lb)
			return (la > lb) - (la < lb);
		if (a[i] == b[i])
			continue;
		if (a[i] == '\t')
			return -1;
		if (b[i] == '\t')
			return 1;
		return a[i] < b[i] ? -1 : 1;
	}
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = &sort_engine->rows[*(const size_t *)pa];
	const struct row *b = &sort_engine->rows[*(const size_t *)pb];
	if (a->gid != b->gid)
		return sort_rank[a->gid] < sort_rank[b->gid] ? -1 : 1;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	return (x > y) - (x < y);
}

static void write_header(struct engine *e, cx_output *o)
{
	cx_buf *b = &e->out;
	cx_buf_reset(b);
	for (size_t i = 0; i < e->r->nfields; i++) {
		if (i)
			cx_out_c(o, '\t');
		cx_out_field(o, e->r->names[i], strlen(e->r->names[i]));
	}
	for (size_t j = 0; j < e->nv; j++)
		for (size_t m = 0; m < e->non; m++)
			for (size_t k = 0; k < MAXC && e->on[m]->cols[k]; k++) {
				cx_buf_reset(b);
				cx_buf_addf(b, "%s_%s", e->v[j].name, e->on[m]->cols[k]);
				cx_out_c(o, '\t');
				cx_out_field(o, b->p, b->len);
			}
	cx_out_eol(o);
}

/* A filled period: the group's values, the period, 0 for count columns,
 * and every other field empty. */
static void write_gap(struct engine *e, cx_output *o, uint32_t gid, int64_t period)
{
	size_t klen;
	const char *key = cx_keys_get(&e->groups, gid, &klen);
	for (size_t i = 0; i < e->r->nfields; i++) {
		if (i)
			cx_out_c(o, '\t');
		if (i == e->pfield) {
			char s[CX_PERIOD_MAX];
			cx_period p = { e->unit, period };
			cx_out_raw(o, s, cx_period_format(p, s));
			continue;
		}
		int done = 0;
		for (size_t g = 0; g < e->ngroup && !done; g++) {
			if (e->gfields[g] != i)
				continue;
			/* the g-th tab-separated part of the key (escaped already) */
			const char *p = key, *end = key + klen;
			for (size_t k = 0; k < g; k++)
				p = (const char *)memchr(p, '\t', (size_t)(end - p)) + 1;
			const char *t = memchr(p, '\t', (size_t)(end - p));
			cx_out_raw(o, p, (size_t)((t ? t : end) - p));
			done = 1;
		}
		for (size_t j = 0; j < e->nv && !done; j++)
			if (e->v[j].field == i) {
				if (e->v[j].kind == VK_COUNT)
					cx_out_c(o, '0');
				done = 1;
			}
	}
}

static void write_group(struct engine *e, cx_output *o, const size_t *idx, size_t n)
{
	const cx_trend_conf *c = e->conf;
	int64_t first = e->rows[idx[0]].period, last = e->rows[idx[n - 1]].period;
	size_t T = (size_t)(last - first) + 1;
	if (T > 100000000)
		cx_die_at(CX_EXIT_DATA, cx_keys_get(&e->files, e->rows[idx[n - 1]].file, NULL),
			  e->rows[idx[n - 1]].line, "a series of %zu periods is too long to fill", T);
	long *at = cx_malloc(T * sizeof *at);	/* row of each period, -1 for a gap */
	double *x = cx_malloc(T * sizeof *x), *nn = cx_malloc(T * sizeof *nn);
	double *res = cx_malloc(e->nv * (e->ncols ? e->ncols : 1) * T * sizeof *res);
	double **outp = cx_malloc((e->ncols ? e->ncols : 1) * sizeof *outp);
	for (size_t t = 0; t < T; t++)
		at[t] = -1;
	for (size_t i = 0; i < n; i++)
		at[e->rows[idx[i]].period - first] = (long)idx[i];
	for (size_t t = 0; t < T; t++) {
		int dcount = e->dvcol >= 0 && e->v[e->dvcol].kind == VK_COUNT;
		nn[t] = at[t] >= 0 ? e->den[at[t]] : dcount ? 0 : NAN;
	}
	for (size_t j = 0; j < e->nv; j++) {
		for (size_t t = 0; t < T; t++)
			x[t] = at[t] >= 0 ? e->vals[(size_t)at[t] * e->nv + j] :
			       e->v[j].kind == VK_COUNT ? 0 : NAN;
		struct series s = { e, &e->v[j], x, nn, T, first };
		size_t col = 0;
		for (size_t m = 0; m < e->non; m++) {
			for (size_t k = 0; k < MAXC && e->on[m]->cols[k]; k++)
				outp[k] = res + (j * e->ncols + col + k) * T;
			e->on[m]->compute(&s, outp);
			for (size_t k = 0; k < MAXC && e->on[m]->cols[k]; k++)
				col++;
		}
	}
	for (size_t t = 0; t < T; t++) {
		if (at[t] >= 0)
			cx_out_raw(o, e->arena.p + e->rows[at[t]].off, e->rows[at[t]].len);
		else
			write_gap(e, o, e->rows[idx[0]].gid, first + (int64_t)t);
		for (size_t j = 0; j < e->nv; j++) {
			size_t col = 0;
			for (size_t m = 0; m < e->non; m++)
				for (size_t k = 0; k < MAXC && e->on[m]->cols[k]; k++, col++) {
					double v = res[(j * e->ncols + col) * T + t];
					enum fmt f = e->on[m]->fmt[k];
					int dec = f == F_INT || (f == F_SAME && e->v[j].kind == VK_COUNT) ?
						  -1 : c->precision;
					cx_buf_reset(&e->out);
					cx_num_put(&e->out, v, dec);
					cx_out_c(o, '\t');
					cx_out_raw(o, e->out.p ? e->out.p : "", e->out.len);
				}
		}
		cx_out_eol(o);
	}
	free(at);
	free(x);
	free(nn);
	free(res);
	free(outp);
}

static void resolve(struct engine *e)
{
	const cx_trend_conf *c = e->conf;
	cx_reader *r = e->r;
	e->pfield = cx_reader_need(r, c->period_field ? c->period_field : "period");
	if (c->group)
		e->gfields = cx_reader_need_list(r, c->group, &e->ngroup);
	size_t nv;
	size_t *vf = cx_reader_need_list(r, c->values, &nv);
	e->nv = nv;
	e->v = cx_calloc(nv, sizeof *e->v);
	for (size_t g = 0; g < e->ngroup; g++)
		if (e->gfields[g] == e->pfield)	/* every period its own series, every measure empty */
			cx_usage_error("group column '%s' is the period column", r->names[e->pfield]);
	for (size_t j = 0; j < nv; j++) {
		e->v[j].field = vf[j];
		e->v[j].name = r->names[vf[j]];
		e->v[j].odd_row = -1;
		if (vf[j] == e->pfield)
			cx_usage_error("value column '%s' is the period column", e->v[j].name);
		for (size_t g = 0; g < e->ngroup; g++)
			if (e->gfields[g] == vf[j])
				cx_usage_error("value column '%s' is a group column", e->v[j].name);
	}
	free(vf);
	e->dfield = e->dvcol = -1;
	if (c->denominator) {
		e->dfield = (long)cx_reader_need(r, c->denominator);
		for (size_t j = 0; j < nv; j++)
			if ((long)e->v[j].field == e->dfield)
				e->dvcol = (long)j;
	}
}

/* The output header must be a valid one, no name twice: cx-trend run on
 * its own output (V_prev is in the input already), or -v x,x_yoy with
 * -m yoy,prev (x_yoy_prev twice), would write a stream the next program
 * refuses. */
static void check_columns(struct engine *e)
{
	cx_keys seen = CX_KEYS_INIT;
	cx_buf *b = &e->out;
	int added;
	for (size_t i = 0; i < e->r->nfields; i++)
		cx_keys_intern(&seen, e->r->names[i], strlen(e->r->names[i]), &added);
	for (size_t j = 0; j < e->nv; j++)
		for (size_t m = 0; m < e->non; m++)
			for (size_t k = 0; k < MAXC && e->on[m]->cols[k]; k++) {
				cx_buf_reset(b);
				cx_buf_addf(b, "%s_%s", e->v[j].name, e->on[m]->cols[k]);
				int input = cx_reader_find(e->r, b->p) >= 0;
				cx_keys_intern(&seen, b->p, b->len, &added);
				if (!added && input)
					cx_usage_error("output column '%s' is a field of the input already", b->p);
				if (!added)
					cx_usage_error("output column '%s' would be written twice", b->p);
			}
	cx_keys_free(&seen);
}

/* Value column j is a count, and row odd_row has a value no count can be:
 * a fraction (--counts said it is a count) or a number past 2^53.  The
 * record is gone: the value is found again in the row's line. */
static _Noreturn void bad_count(struct engine *e, size_t j)
{
	const struct vcol *v = &e->v[j];
	const struct row *w = &e->rows[v->odd_row];
	const char *p = e->arena.p + w->off, *end = p + w->len;
	for (size_t i = 0; i < v->field; i++)
		p = (const char *)memchr(p, '\t', (size_t)(end - p)) + 1;
	const char *t = memchr(p, '\t', (size_t)(end - p));
	double x = e->vals[(size_t)v->odd_row * e->nv + j];
	cx_buf b = CX_BUF_INIT;
	cx_die_at(CX_EXIT_DATA, cx_keys_get(&e->files, w->file, NULL), w->line, "field '%s': %s: '%s'",
		  v->name, x != floor(x) ? "not a whole count (a --counts column)" :
		  "count too large (more than 2^53)", cx_shown(&b, p, (size_t)((t ? t : end) - p)));
}

/* Counts and rates, once every value has been seen. */
static void classify(struct engine *e)
{
	const cx_trend_conf *c = e->conf;
	char **cl = NULL;
	size_t ncl = 0;
	if (c->counts) {
		cl = cx_split_list(c->counts, &ncl);
		for (size_t i = 0; i < ncl; i++) {
			size_t j = 0;
			while (j < e->nv && strcmp(e->v[j].name, cl[i]))
				j++;
			if (j == e->nv && cl[i][0])
				cx_usage_error("--counts: '%s' is not a value column (-v)", cl[i]);
		}
	}
	for (size_t j = 0; j < e->nv; j++) {
		struct vcol *v = &e->v[j];
		int count = !v->decimal_seen;
		if (cl) {
			count = 0;
			for (size_t i = 0; i < ncl; i++)
				count |= !strcmp(cl[i], v->name);
		}
		if (count && v->odd_row >= 0)
			bad_count(e, j);
		if (count)
			v->kind = VK_COUNT;
		else if (e->dfield < 0 || (long)j == e->dvcol)
			v->kind = VK_PLAIN;
		else
			v->kind = v->outside_unit ? VK_RATE : VK_PROP;
		v->exposure = count && e->dfield >= 0 && (long)j != e->dvcol;
	}
	if (cl)
		cx_free_list(cl, ncl);
}

int cx_trend_run(const cx_trend_conf *c, cx_reader *r, cx_output *o)
{
	struct engine e = { .conf = c, .r = r, .groups = CX_KEYS_INIT, .files = CX_KEYS_INIT };
	trend_select_measures(&e);
	resolve(&e);
	check_columns(&e);
	read_rows(&e);
	classify(&e);

	/* Groups in byte order, then rows by group rank and period. */
	sort_engine = &e;
	size_t ng = e.groups.n;
	uint32_t *gorder = cx_malloc((ng ? ng : 1) * sizeof *gorder);
	for (uint32_t g = 0; g < ng; g++)
		gorder[g] = g;
	qsort(gorder, ng, sizeof *gorder, cmp_keys);
	sort_rank = cx_malloc((ng ? ng : 1) * sizeof *sort_rank);
	for (uint32_t g = 0; g < ng; g++)
		sort_rank[gorder[g]] = g;
	size_t *idx = cx_malloc((e.nrows ? e.nrows : 1) * sizeof *idx);
	for (size_t i = 0; i < e.nrows; i++)
		idx[i] = i;
	qsort(idx, e.nrows, sizeof *idx, cmp_rows);
	for (size_t i = 1; i < e.nrows; i++) {
		const struct row *a = &e.rows[idx[i - 1]], *b = &e.rows[idx[i]];
		if (a->gid != b->gid || a->period != b->period)
			continue;
		/* Report the later line, naming the earlier one. */
		if (a->file > b->file || (a->file == b->file && a->line > b->line)) {
			const struct row *t = a;
			a = b;
			b = t;
		}
		char s[CX_PERIOD_MAX];
		cx_period p = { e.unit, b->period };
		cx_period_format(p, s);
		const char *fa = cx_keys_get(&e.files, a->file, NULL);
		const char *fb = cx_keys_get(&e.files, b->file, NULL);
		if (!e.ngroup)
			cx_die_at(CX_EXIT_DATA, fb, b->line, "period %s again (first on %s:%ld)", s, fa, a->line);
		/* The key is the group values as written, a tab between them:
		 * quoted one by one, 'a', 'b'. */
		size_t klen;
		const char *k = cx_keys_get(&e.groups, b->gid, &klen), *kend = k + klen;
		cx_buf g = CX_BUF_INIT;
		for (;;) {
			const char *t = memchr(k, '\t', (size_t)(kend - k));
			cx_shown(&g, k, (size_t)((t ? t : kend) - k));
			if (!t)
				break;
			cx_buf_adds(&g, "', '");
			k = t + 1;
		}
		cx_die_at(CX_EXIT_DATA, fb, b->line, "period %s of group '%s' again (first on %s:%ld)",
			  s, g.p ? g.p : "", fa, a->line);
	}

	write_header(&e, o);
	for (size_t i = 0; i < e.nrows;) {
		size_t j = i + 1;
		while (j < e.nrows && e.rows[idx[j]].gid == e.rows[idx[i]].gid)
			j++;
		write_group(&e, o, idx + i, j - i);
		i = j;
	}

	free(idx);
	free(gorder);
	free(sort_rank);
	sort_rank = NULL;
	free(e.gfields);
	free(e.v);
	free(e.rows);
	free(e.vals);
	free(e.den);
	cx_keys_free(&e.groups);
	cx_keys_free(&e.files);
	cx_buf_free(&e.arena);
	cx_buf_free(&e.scratch);
	cx_buf_free(&e.scratch2);
	cx_buf_free(&e.key);
	cx_buf_free(&e.out);
	return CX_EXIT_OK;
}
