/*
 * metrics_output.c: from groups to rows.  --fill and --totals add the
 * groups the input did not make; then the groups are sorted by period and
 * group values and written, one row each: the metrics (metrics.c's FINISH
 * functions) or, with --partial, the statistics themselves.
 */
#include "stats/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "stats/hll.h"
#include "stats/metrics_int.h"

/* ------------------------------------------------------------------ */
/* Finishing                                                            */

/* The group values part of a group's key (after period and total flag). */
static const char *group_part(const struct engine *e, size_t gid, size_t *n)
{
	size_t len;
	const char *k = cx_keys_get(&e->keys, (uint32_t)gid, &len);
	*n = len - sizeof(int64_t) - 1;
	return k + sizeof(int64_t) + 1;
}

/* Split a group part back into its values. */
static void split_group(const char *p, size_t n, cx_slice *vals, size_t nvals)
{
	const char *e = p + n;
	for (size_t i = 0; i < nvals; i++) {
		const char *t = memchr(p, '\t', (size_t)(e - p));
		vals[i].p = p;
		vals[i].n = (size_t)(t - p);
		p = t + 1;
	}
}

/* --fill: every group gets every period from the first to the last. */
void metrics_fill(struct engine *e)
{
	size_t n = e->keys.n;
	if (n == 0 || e->conf->all_time)
		return;
	int64_t lo = e->period[0], hi = e->period[0];
	for (size_t g = 1; g < n; g++) {
		if (e->period[g] < lo)
			lo = e->period[g];
		if (e->period[g] > hi)
			hi = e->period[g];
	}
	cx_keys parts = CX_KEYS_INIT;
	for (size_t g = 0; g < n; g++) {
		size_t len;
		const char *p = group_part(e, g, &len);
		cx_keys_intern(&parts, p, len, NULL);
	}
	if ((double)(hi - lo + 1) * (double)parts.n > 5e7)
		cx_die(CX_EXIT_USAGE, "--fill would make %.0f rows (%lld periods x %zu groups); "
		       "use a longer period", (double)(hi - lo + 1) * (double)parts.n,
		       (long long)(hi - lo + 1), parts.n);
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	for (size_t k = 0; k < parts.n; k++)
		for (int64_t p = lo; p <= hi; p++) {
			size_t len;
			/* cx_keys_get is stable only until the next intern on
			 * the same table; parts is not e->keys. */
			const char *gp = cx_keys_get(&parts, (uint32_t)k, &len);
			split_group(gp, len, vals, e->ngroup);
			metrics_group_of(e, p, vals, e->ngroup, 0);
		}
	free(vals);
	cx_keys_free(&parts);
}

/* --totals: one more group per period, the merge of the period's groups. */
void metrics_totals(struct engine *e)
{
	size_t n = e->keys.n;
	size_t *map = cx_malloc((n + 1) * sizeof *map);
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	for (size_t i = 0; i < e->ngroup; i++) {
		vals[i].p = "(all)";
		vals[i].n = 5;
	}
	for (size_t g = 0; g < n; g++) {
		size_t t = metrics_group_of(e, e->period[g], vals, e->ngroup, 1);
		metrics_merge_group(e, t, g);
		map[g] = t;
	}
	/* The new groups themselves are not merged into anything. */
	map = cx_realloc(map, (e->keys.n + 1) * sizeof *map);
	for (size_t g = n; g < e->keys.n; g++)
		map[g] = (size_t)-1;
	metrics_merge_distinct(e, map);
	/* Groups that went over to a HyperLogLog bring it along. */
	for (size_t si = 0; si < e->nstats; si++) {
		if (e->stats[si].kind != ST_DISTINCT)
			continue;
		for (size_t g = 0; g < n; g++) {
			cx_hll *h = e->hll[g * e->nsets + e->stats[si].set];
			if (h)
				cx_hll_merge(metrics_to_hll(e, map[g], (int)si), h);
		}
	}
	free(map);
	free(vals);
}

static const struct engine *sort_engine;

static int cmp_groups(const void *pa, const void *pb)
{
	const struct engine *e = sort_engine;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (e->period[a] != e->period[b])
		return e->period[a] < e->period[b] ? -1 : 1;
	if (e->is_total[a] != e->is_total[b])
		return e->is_total[a] - e->is_total[b];
	size_t la, lb;
	const char *ka = group_part(e, a, &la), *kb = group_part(e, b, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

static void put_period(const struct engine *e, int64_t index, cx_buf *b)
{
	if (e->conf->all_time) {
		cx_buf_adds(b, "all");
		return;
	}
	char s[CX_PERIOD_MAX];
	cx_period p = { e->conf->unit, index };
	cx_buf_add(b, s, cx_period_format(p, s));
}

void metrics_write_header(struct engine *e, cx_output *o)
{
	cx_out_s(o, "period");
	for (size_t i = 0; i < e->ngroup; i++) {
		cx_out_c(o, '\t');
		cx_out_field(o, e->group_names[i], strlen(e->group_names[i]));
	}
	if (e->conf->partial) {
		for (size_t s = 0; s < e->nstats; s++) {
			cx_out_s(o, "\t@");
			cx_out_field(o, e->stats[s].spec, strlen(e->stats[s].spec));
		}
		cx_out_s(o, "\t@latest");
	} else {
		for (size_t m = 0; m < e->nmetrics; m++) {
			cx_out_c(o, '\t');
			cx_out_field(o, e->metrics[m].column, strlen(e->metrics[m].column));
			if (e->conf->ci > 0 && e->metrics[m].def->ci != CI_NONE) {
				cx_out_s(o, "\t");
				cx_out_field(o, e->metrics[m].column, strlen(e->metrics[m].column));
				cx_out_s(o, "_lo\t");
				cx_out_field(o, e->metrics[m].column, strlen(e->metrics[m].column));
				cx_out_s(o, "_hi");
			}
		}
		if (e->conf->maturation > 0)
			cx_out_s(o, "\tprovisional");
	}
	cx_out_eol(o);
}

/* --maturation W: a period's cohort is provisional while its complaints
 * may still deteriorate, reopen or repeat, that is until its end plus W
 * has passed --now (domain.md 1.3).  1 or 0. */
static int provisional(const struct engine *e, int64_t index)
{
	cx_instant now = e->conf->now_set ? e->conf->now : e->latest;
	cx_instant end = e->latest;
	if (!e->conf->all_time) {
		cx_period next = { e->conf->unit, index + 1 };
		end = cx_period_start(next);
	}
	return end + e->conf->maturation > now;
}

void metrics_write_rows(struct engine *e, cx_output *o)
{
	size_t n = e->keys.n;
	size_t *order = cx_malloc((n + 1) * sizeof *order);
	for (size_t g = 0; g < n; g++)
		order[g] = g;
	sort_engine = e;
	qsort(order, n, sizeof *order, cmp_groups);

	cx_buf **dl = cx_calloc(e->nstats + 1, sizeof *dl);
	if (e->conf->partial) {
		for (size_t s = 0; s < e->nstats; s++) {
			if (e->stats[s].kind == ST_DISTINCT)
				dl[s] = metrics_distinct_lists(e, s);
			else if (e->stats[s].kind == ST_REPEAT)
				dl[s] = metrics_repeat_lists(e);
		}
	}

	e->block_total = cx_calloc(e->nstats + 1, sizeof *e->block_total);
	cx_buf *b = &e->scratch;
	for (size_t i = 0; i < n; i++) {
		size_t g = order[i];
		if (i == 0 || e->period[g] != e->period[order[i - 1]]) {
			/* A new period: the totals that shares divide by. */
			memset(e->block_total, 0, e->nstats * sizeof *e->block_total);
			for (size_t j = i; j < n && e->period[order[j]] == e->period[g]; j++) {
				if (e->is_total[order[j]])
					continue;
				for (size_t s = 0; s < e->nstats; s++) {
					const double *d = gd(e, order[j], (int)s);
					if (e->stats[s].kind == ST_N)
						e->block_total[s] += d[0];
					else if (e->stats[s].kind == ST_VAL)
						e->block_total[s] += metrics_val_sum(e, order[j], (int)s);
				}
			}
		}
		cx_buf_reset(b);
		put_period(e, e->period[g], b);
		size_t len;
		const char *gp = group_part(e, g, &len);
		if (e->ngroup) {
			cx_buf_addc(b, '\t');
			cx_buf_add(b, gp, len - 1);	/* values are TAB-separated already */
		}
		cx_out_raw(o, b->p, b->len);
		if (e->conf->partial) {
			for (size_t s = 0; s < e->nstats; s++) {
				cx_out_c(o, '\t');
				cx_buf_reset(b);
				if (e->stats[s].kind == ST_DISTINCT || e->stats[s].kind == ST_REPEAT) {
					if (dl[s][g].len)
						cx_out_field(o, dl[s][g].p, dl[s][g].len);
					continue;
				}
				metrics_put_stat(e, g, s, b);
				cx_out_raw(o, b->p, b->len);
			}
			/* The latest time seen, the default --now of a merge. */
			cx_buf_reset(b);
			cx_buf_addc(b, '\t');
			if (e->have_latest)
				cx_buf_addf(b, "%lld", (long long)e->latest);
			cx_out_raw(o, b->p, b->len);
		} else {
			if (e->conf->maturation > 0)
				e->row_provisional = provisional(e, e->period[g]);
			for (size_t m = 0; m < e->nmetrics; m++) {
				cx_out_c(o, '\t');
				cx_buf_reset(b);
				e->ci_num = e->ci_den = 0;
				e->metrics[m].def->finish(e, g, &e->metrics[m], b);
				cx_out_field(o, b->p ? b->p : "", b->len);
				if (e->conf->ci > 0 && e->metrics[m].def->ci != CI_NONE) {
					cx_buf_reset(b);
					metrics_put_interval(e, &e->metrics[m], b);
					cx_out_raw(o, b->p, b->len);	/* numbers and TABs */
				}
			}
			if (e->conf->maturation > 0)
				cx_out_s(o, e->row_provisional ? "\t1" : "\t0");
		}
		cx_out_eol(o);
	}
	for (size_t s = 0; s < e->nstats; s++)
		if (dl[s]) {
			for (size_t g = 0; g <= n; g++)
				cx_buf_free(&dl[s][g]);
			free(dl[s]);
		}
	free(dl);
	free(order);
}

