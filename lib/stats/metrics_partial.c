/*
 * metrics_partial.c: the --partial form of the statistics, written out
 * (one column per statistic, see cx-metrics(1), "Partial results") and
 * read back by --merge.  Writer and reader are kept side by side so that
 * the format has one place: what metrics_put_stat() writes, merge_stat()
 * reads, and a malformed input dies with the column it is in rather than
 * merging into wrong figures.
 */
#include "stats/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "stats/hll.h"
#include "stats/metrics_int.h"
#include "stats/sketch.h"

/* ------------------------------------------------------------------ */
/* --partial: statistics written out                                    */

static void put_exact(cx_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		cx_buf_addf(b, "%.0f", v);
	else
		cx_buf_addf(b, "%.17g", v);
}

/* One statistic in --partial form (see cx-metrics(1), "Partial results"). */
void metrics_put_stat(struct engine *e, size_t gid, size_t si, cx_buf *b)
{
	const struct stat *st = &e->stats[si];
	const double *d = gd(e, gid, (int)si);
	switch (st->kind) {
	case ST_N: case ST_OPEN: case ST_MATCH:
		put_exact(b, d[0]);
		break;
	case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG:
		put_exact(b, d[0]);
		cx_buf_addc(b, ';');
		put_exact(b, d[1]);
		break;
	case ST_SCORE:
		for (int i = 0; i < 3; i++) {
			if (i)
				cx_buf_addc(b, ';');
			put_exact(b, d[i]);
		}
		break;
	case ST_VAL: case ST_DUR: {
		/* count;min;max;N;partial sum 1;...;partial sum N */
		for (int i = 0; i < VAL_NDOUBLES; i++) {
			if (i)
				cx_buf_addc(b, ';');
			if ((i == VAL_MIN || i == VAL_MAX) && d[VAL_COUNT] == 0)
				continue;
			put_exact(b, d[i]);
		}
		const struct dvec *ps = gv_sum(e, gid, (int)si);
		cx_buf_addf(b, ";%zu", ps->n);
		for (size_t i = 0; i < ps->n; i++) {
			cx_buf_addc(b, ';');
			put_exact(b, ps->v[i]);
		}
		if (st->sketch) {
			cx_buf_addc(b, ';');
			cx_sketch_put(&e->sk[gid * e->nsk + st->sk], b);
		}
		break;
	}
	case ST_DISTINCT: case ST_REPEAT:
		break;	/* written by the caller, who walks the set once */
	}
	if (st->keep) {
		struct dvec *v = gv(e, gid, (int)si);
		for (size_t i = 0; i < v->n; i++) {
			cx_buf_addc(b, ';');
			put_exact(b, v->v[i]);
		}
	}
}

/* Repeat events per group, as "TIME,WEIGHT,LEN:CUSTOMER" runs, for
 * --partial. */
cx_buf *metrics_repeat_lists(struct engine *e)
{
	cx_buf *lists = cx_calloc(e->keys.n + 1, sizeof *lists);
	for (size_t i = 0; i < e->nev; i++) {
		size_t len;
		const char *c = cx_keys_get(&e->customers, e->ev_cust[i], &len);
		cx_buf *b = &lists[e->ev_gid[i]];
		cx_buf_addf(b, "%lld,", (long long)e->ev_time[i]);
		put_exact(b, e->ev_w[i]);
		cx_buf_addf(b, ",%zu:", len);
		cx_buf_add(b, c, len);
	}
	return lists;
}

/* Distinct values per group, as "LEN:VALUE" runs, for --partial. */
cx_buf *metrics_distinct_lists(struct engine *e, size_t si)
{
	cx_keys *set = &e->sets[e->stats[si].set];
	cx_buf *lists = cx_calloc(e->keys.n + 1, sizeof *lists);
	for (size_t g = 0; g < e->keys.n; g++)
		if (e->hll[g * e->nsets + e->stats[si].set])
			cx_hll_put(e->hll[g * e->nsets + e->stats[si].set], &lists[g]);
	for (size_t id = 0; id < set->n; id++) {
		size_t len;
		const char *k = cx_keys_get(set, (uint32_t)id, &len);
		uint32_t g;
		memcpy(&g, k, sizeof g);
		if (e->hll[g * e->nsets + e->stats[si].set])
			continue;
		cx_buf_addf(&lists[g], "%zu:", len - sizeof g);
		cx_buf_add(&lists[g], k + sizeof g, len - sizeof g);
	}
	return lists;
}

/* ------------------------------------------------------------------ */
/* --merge: reading partial results back                                */

static _Noreturn void bad_partial(struct engine *e, size_t col, const char *what)
{
	cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "column '%s': %s", e->r->names[col], what);
}

/* Next number of a ';'-separated list at *p (before end); 0 if none. */
static int next_num(const char **p, const char *end, double *v, int *empty)
{
	if (*p > end)
		return 0;
	const char *q = memchr(*p, ';', (size_t)(end - *p));
	if (!q)
		q = end;
	*empty = q == *p;
	int ok = *empty || cx_num_parse(*p, (size_t)(q - *p), v) == CX_NUM_OK;
	*p = q + 1;
	return ok ? 1 : -1;
}

/* A repeat column: "TIME,WEIGHT,LEN:CUSTOMER" runs (metrics_repeat_lists). */
static void merge_repeat_events(struct engine *e, size_t gid, size_t col, cx_slice v)
{
	const char *p = v.p, *end = v.p + v.n;
	while (p < end) {
		char *q;
		long long t = strtoll(p, &q, 10);
		if (q == p || q >= end || *q != ',')
			bad_partial(e, col, "malformed list of repeat events");
		p = q + 1;
		const char *comma = memchr(p, ',', (size_t)(end - p));
		double w;
		if (!comma || cx_num_parse(p, (size_t)(comma - p), &w) < 0)
			bad_partial(e, col, "malformed list of repeat events");
		p = comma + 1;
		unsigned long long len = strtoull(p, &q, 10);
		if (q == p || q >= end || *q != ':' || len > (size_t)(end - q - 1))
			bad_partial(e, col, "malformed list of repeat events");
		metrics_add_event(e, q + 1, (size_t)len, (cx_instant)t, gid, w);
		p = q + 1 + len;
	}
}

/* A distinct column: "LEN:VALUE" runs, or a HyperLogLog (metrics_distinct_lists). */
static void merge_distinct_values(struct engine *e, size_t gid, size_t si, size_t col, cx_slice v)
{
	const char *p = v.p, *end = v.p + v.n;
	if (v.n >= 5 && !memcmp(p, "hll14", 5)) {
		cx_hll h;
		if (cx_hll_get(&h, p, v.n) < 0)
			bad_partial(e, col, "malformed HyperLogLog");
		cx_hll_merge(metrics_to_hll(e, gid, (int)si), &h);
		return;
	}
	while (p < end) {
		char *colon;
		unsigned long long len = strtoull(p, &colon, 10);
		if (colon == p || colon >= end || *colon != ':' || len > (size_t)(end - colon - 1))
			bad_partial(e, col, "malformed list of distinct values");
		/* metrics_distinct_add() uses scratch2, not the scratch v is in. */
		metrics_distinct_add(e, gid, (int)si, colon + 1, (size_t)len);
		p = colon + 1 + len;
	}
}

static void merge_stat(struct engine *e, size_t gid, size_t si, size_t col)
{
	const struct stat *st = &e->stats[si];
	cx_slice v = cx_rec_get(e->r, col, &e->scratch);
	const char *p = v.p, *end = v.p + v.n;
	double *d = gd(e, gid, (int)si);
	double x[VAL_NDOUBLES];
	int empty, k = 0, want;
	if (st->kind == ST_REPEAT) {
		merge_repeat_events(e, gid, col, v);
		return;
	}
	if (st->kind == ST_DISTINCT) {
		merge_distinct_values(e, gid, si, col, v);
		return;
	}
	switch (st->kind) {
	case ST_N: case ST_OPEN: case ST_MATCH: want = 1; break;
	case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG: want = 2; break;
	case ST_SCORE: want = 3; break;
	default: want = VAL_NDOUBLES; break;
	}
	int is_val = st->kind == ST_VAL || st->kind == ST_DUR;
	for (; k < want; k++) {
		int rc = next_num(&p, end, &x[k], &empty);
		int may_be_empty = is_val && (k == VAL_MIN || k == VAL_MAX);
		if (rc <= 0 || (empty && !may_be_empty))
			bad_partial(e, col, "malformed statistics");
		if (empty)
			x[k] = k == VAL_MIN ? INFINITY : -INFINITY;
	}
	/* min and max are empty exactly when there are no values. */
	if (is_val && (x[VAL_COUNT] > 0) != (isfinite(x[VAL_MIN]) && isfinite(x[VAL_MAX])))
		bad_partial(e, col, "malformed statistics (min and max do not match the count)");
	if (is_val) {
		d[VAL_COUNT] += x[VAL_COUNT];
		if (x[VAL_MIN] < d[VAL_MIN])
			d[VAL_MIN] = x[VAL_MIN];
		if (x[VAL_MAX] > d[VAL_MAX])
			d[VAL_MAX] = x[VAL_MAX];
		double np, part;
		if (next_num(&p, end, &np, &empty) <= 0 || empty || np < 0 || np > 1e6 ||
		    np != floor(np))
			bad_partial(e, col, "malformed statistics");
		for (double i = 0; i < np; i++) {
			if (next_num(&p, end, &part, &empty) <= 0 || empty)
				bad_partial(e, col, "malformed statistics");
			metrics_sum_add(gv_sum(e, gid, (int)si), part);
		}
		if (st->sketch) {
			cx_sketch part_sk;
			cx_sketch_init(&part_sk);
			if (p > end || cx_sketch_get(&part_sk, p, (size_t)(end - p)) < 0)
				bad_partial(e, col, "malformed sketch");
			cx_sketch_merge(&e->sk[gid * e->nsk + st->sk], &part_sk);
			cx_sketch_free(&part_sk);
			p = end + 1;
		}
	} else {
		/* These are all counts: whole and not negative. */
		for (int i = 0; i < want; i++)
			if (x[i] < 0 || x[i] != floor(x[i]))
				bad_partial(e, col, "malformed statistics (a count that is negative or not whole)");
		for (int i = 0; i < want; i++)
			d[i] += x[i];
	}
	if (st->keep) {
		double y;
		int rc;
		size_t got = 0;
		while ((rc = next_num(&p, end, &y, &empty)) != 0) {
			if (rc < 0 || empty)
				bad_partial(e, col, "malformed list of values");
			dvec_push(gv(e, gid, (int)si), y);
			got++;
		}
		if (st->kind == ST_SLA && got % 2)
			bad_partial(e, col, "malformed list of deadlines");
	} else if (p <= end) {
		bad_partial(e, col, "more numbers than expected");
	}
}

void metrics_read_partials(struct engine *e)
{
	cx_reader *r = e->r;
	/* The partial header must be exactly what this -p/-g/-m writes. */
	size_t want = 1 + e->ngroup + e->nstats + 1;
	int same = r->nfields == want && !strcmp(r->names[0], "period");
	for (size_t i = 0; same && i < e->ngroup; i++)
		same = !strcmp(r->names[1 + i], e->group_names[i]);
	for (size_t s = 0; same && s < e->nstats; s++)
		same = r->names[1 + e->ngroup + s][0] == '@' &&
		       !strcmp(r->names[1 + e->ngroup + s] + 1, e->stats[s].spec);
	same = same && !strcmp(r->names[want - 1], "@latest");
	if (!same) {
		cx_buf b = CX_BUF_INIT;
		cx_buf_adds(&b, "period");
		for (size_t i = 0; i < e->ngroup; i++)
			cx_buf_addf(&b, ", %s", e->group_names[i]);
		for (size_t s = 0; s < e->nstats; s++)
			cx_buf_addf(&b, ", @%s", e->stats[s].spec);
		cx_die_at(CX_EXIT_USAGE, r->file, 1,
			  "not partial results of the same -p, -g and -m (expected the fields: %s, @latest)",
			  b.p);
	}
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	while (cx_reader_next(r)) {
		cx_slice pv = r->f[0];
		int64_t period = 0;
		if (e->conf->all_time) {
			if (pv.n != 3 || memcmp(pv.p, "all", 3))
				bad_partial(e, 0, "expected 'all' (the input was made with another -p)");
		} else {
			cx_period p;
			if (cx_period_parse(pv.p, pv.n, e->conf->unit, &p) < 0)
				bad_partial(e, 0, "not a period of this -p");
			period = p.index;
		}
		for (size_t i = 0; i < e->ngroup; i++)
			vals[i] = r->f[1 + i];
		size_t gid = metrics_group_of(e, period, vals, e->ngroup, 0);
		for (size_t s = 0; s < e->nstats; s++)
			merge_stat(e, gid, s, 1 + e->ngroup + s);
		cx_slice lv = cx_rec_get(r, want - 1, &e->scratch);
		double latest;
		if (lv.n) {
			if (cx_num_parse(lv.p, lv.n, &latest) < 0 || latest != floor(latest) ||
			    latest < (double)CX_INSTANT_MIN || latest > (double)CX_INSTANT_MAX)
				bad_partial(e, want - 1, "not a time in seconds since 1970");
			if (!e->have_latest || (cx_instant)latest > e->latest) {
				e->latest = (cx_instant)latest;
				e->have_latest = 1;
			}
		}
	}
	free(vals);
}

