/*
 * metrics_int.h: internal to lib/stats/metrics*.c, not for cmd/ or other
 * layers (their API is metrics.h).  The engine's state and the functions
 * its pieces share:
 *   metrics.c          the metric table: planning and finishing each metric
 *   metrics_engine.c   cx_metrics_run(), and the statistics metrics plan
 *   metrics_group.c    groups, and accumulating records into them
 *   metrics_partial.c  --partial statistics written out and read back
 *   metrics_output.c   --fill, --totals, sorting and writing the rows
 * Shared functions carry a metrics_ prefix (they are external symbols of
 * libcx.a); the accessors of a group's statistics are inline here, as they
 * are on every record's path.
 */
#ifndef CX_METRICS_INT_H
#define CX_METRICS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "core/keys.h"
#include "io/output.h"
#include "io/rejects.h"
#include "io/stream.h"
#include "stats/hll.h"
#include "stats/metrics.h"
#include "stats/sketch.h"

/* ------------------------------------------------------------------ */
/* Statistics: what is accumulated per group.  Each kind says how many  */
/* doubles it keeps, and whether it keeps a list of values.             */

enum stat_kind {
	ST_N,		/* weighted rows */
	ST_FLAG,	/* weighted rows where any of the flags is true; rows where known */
	ST_VAL,		/* numbers of a field: count, sum (two parts), min, max [, values] */
	ST_DUR,		/* seconds between two time fields, as ST_VAL */
	ST_DISTINCT,	/* distinct values of a field */
	ST_OPEN,	/* weighted rows not resolved by the end of their period */
	ST_SLA,		/* met, missed [, deadlines of the still unanswered] */
	ST_FCR,		/* resolved without reopen or escalation; resolved */
	ST_MATCH,	/* weighted rows whose field equals a value */
	ST_REPEAT,	/* repeats, computed at the end from the engine's event list */
	ST_SCORE,	/* ratings: rated, at or above hi_at, at or below lo_at */
	ST_NEG,		/* weighted rows whose number is below 0; rows where it is not empty */
};

/* A value statistic keeps count, min and max as doubles, and its sum as a
 * list of exact partial sums (metrics_sum_add()). */
enum { VAL_COUNT, VAL_MIN, VAL_MAX, VAL_NDOUBLES };

struct stat {
	enum stat_kind kind;
	char *spec;		/* column name in --partial output, without '@' */
	const char *fname[8];	/* input fields (flags: several; dur: to, from) */
	size_t field[8];	/* their indexes, when reading records */
	size_t nfield;
	int keep;		/* keep every value (quantiles, SLA deadlines) */
	size_t off;		/* first double of this stat in a group's array */
	size_t vec;		/* its value list, when keep */
	size_t sumvec;		/* ST_VAL, ST_DUR: the partial sums of the values */
	int sketch;		/* quantiles from a DDSketch (--sketch), not a value list */
	size_t sk;		/* its sketch, when sketch */
	size_t set;		/* its distinct set, for ST_DISTINCT */
	long long target;	/* ST_SLA: seconds allowed */
	const char *match;	/* ST_MATCH: the value (unescaped) */
	double hi_at, lo_at;	/* ST_SCORE: the thresholds */
	char *owned;		/* ST_MATCH: "FIELD\0VALUE", which fname[0] and match point into */
	int sla_resolve;	/* ST_SLA: measured to resolved_at, not first response */
	unsigned long long negative;	/* ST_DUR: rows with to < from, left out */
	long neg_line;
	const char *neg_file;
};

struct dvec {
	double *v;
	size_t n, cap;
};

static inline void dvec_push(struct dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = cx_realloc(d->v, d->cap * sizeof *d->v);
	}
	d->v[d->n++] = x;
}

/* ------------------------------------------------------------------ */
/* Metrics: what is printed.                                            */

struct engine;
struct metric;

/* Confidence intervals (--ci): Wilson's score interval for proportions,
 * the exact (Garwood) Poisson interval for rates per exposure. */
enum ci_kind { CI_NONE, CI_WILSON, CI_POISSON };

struct metric_def {
	const char *name;
	int takes_field;	/* written NAME:FIELD */
	const char *formula;
	void (*plan)(struct engine *e, struct metric *m);
	void (*finish)(struct engine *e, size_t gid, const struct metric *m, cx_buf *out);
	enum ci_kind ci;	/* with --ci: NAME_lo and NAME_hi columns */
};

struct metric {
	const struct metric_def *def;
	char *column;
	const char *arg;	/* the FIELD of NAME:FIELD, or NULL */
	int a, b;		/* stats it reads */
	double q;		/* quantile, for median and pNN */
};

struct engine {
	const cx_metrics_conf *conf;
	cx_reader *r;
	cx_buf scratch, scratch2;

	const char *time_name;
	size_t time_field;	/* its index, reading records */
	char **group_names;
	size_t ngroup;
	size_t *group;		/* their indexes, reading records */
	long count_field;
	char **det_names;
	size_t ndet_names;
	int det_stat;
	double *block_total;	/* per stat: sum over the period being written */

	struct stat *stats;
	size_t nstats;
	size_t ndoubles, nvecs, nsets;
	struct metric *metrics;
	size_t nmetrics;

	cx_keys keys;		/* period + group values -> gid */
	double *d;		/* ndoubles per group */
	struct dvec *vecs;	/* nvecs per group */
	size_t cap;		/* groups allocated */
	cx_keys *sets;		/* per distinct stat: (gid, value) pairs */
	double *distinct_n;	/* per group per set: distinct count */
	cx_hll **hll;		/* per group per set: NULL while the count is exact */
	cx_sketch *sk;		/* per group per sketch stat */
	size_t nsk;

	int64_t *period;	/* per group: period index */
	double *denom;		/* per group: --per denominator */
	unsigned char *has_denom;	/* per group: a --per row matched it */
	unsigned char *is_total;	/* per group: a --totals row */
	cx_instant latest;	/* latest time seen, default --now */
	int have_latest;
	cx_instant pc_lo, pc_hi;	/* period_of()'s last period */
	int64_t pc_index;
	int pc_valid;

	cx_rejects rej;		/* rows without a usable time (--rejects) */

	/* --sla FILE */
	int sla_loaded, sla_has[2];
	char *sla_key;
	cx_keys sla_keys;
	long long *sla_target;	/* per key: first response, resolution (-1: none) */
	double no_sla;		/* complaints (weighted) whose key has no target */
	double ci_num, ci_den;	/* the last put_ratio(), for --ci */
	int row_provisional;	/* --maturation: the row being written */

	/* repeat: one event per complaint with a customer, in input order */
	cx_keys customers;
	uint32_t *ev_cust, *ev_gid;
	cx_instant *ev_time;
	double *ev_w;
	size_t nev, evcap;
	int repeat_stat;	/* -1 if no repeat metric */

	/* pain_index (one column at most: a metric is not given twice) */
	double pain_w[CX_PAIN_NPARTS];	/* 0 for a component left out of the run */
	int pain_stat[CX_PAIN_NPARTS];	/* the stat of each component, or -1 */
};

/* ---- a group's statistics ---- */

static inline double *gd(const struct engine *e, size_t gid, int s)
{
	return e->d + gid * e->ndoubles + e->stats[s].off;
}

static inline struct dvec *gv(const struct engine *e, size_t gid, int s)
{
	return &e->vecs[gid * e->nvecs + e->stats[s].vec];
}

static inline struct dvec *gv_sum(const struct engine *e, size_t gid, int s)
{
	return &e->vecs[gid * e->nvecs + e->stats[s].sumvec];
}

static inline double n_of(const struct engine *e, size_t gid, int s)
{
	return gd(e, gid, s)[0];
}

/* ---- metrics_engine.c: the statistics a metric plans ---- */

/* The input field of a canonical name (as cx_canon()). */
const char *metrics_need_field(struct engine *e, const char *canonical);
/* The index in e->stats of the statistic: one per distinct spec, so that
 * metrics that need the same statistic share it. */
int metrics_add_stat(struct engine *e, enum stat_kind kind, const char *spec,
		     const char **fields, size_t nfield, int keep);
int metrics_stat_n(struct engine *e);
int metrics_stat_deteriorated(struct engine *e);
int metrics_stat_flag(struct engine *e, const char *canonical);
int metrics_stat_val(struct engine *e, const char *field, int canonical, int keep);
int metrics_stat_dur(struct engine *e, const char *to, int keep);
int metrics_stat_distinct(struct engine *e, const char *field, int canonical);

/* ---- metrics.c: the metric table ---- */

void metrics_parse_metric(struct engine *e, const char *word);
/* After a metric's FINISH: its NAME_lo and NAME_hi columns (--ci). */
void metrics_put_interval(struct engine *e, const struct metric *m, cx_buf *out);

/* ---- metrics_group.c: groups and accumulation ---- */

void metrics_sum_add(struct dvec *p, double x);
double metrics_val_sum(const struct engine *e, size_t gid, int s);
size_t metrics_group_of(struct engine *e, int64_t period, const cx_slice *vals, size_t nvals,
			int is_total);
cx_hll *metrics_to_hll(struct engine *e, size_t gid, int s);
void metrics_distinct_add(struct engine *e, size_t gid, int s, const char *p, size_t n);
void metrics_merge_group(struct engine *e, size_t dst, size_t src);
void metrics_merge_distinct(struct engine *e, const size_t *map);
void metrics_add_event(struct engine *e, const char *cust, size_t n, cx_instant t, size_t gid,
		       double w);
void metrics_read_records(struct engine *e);
void metrics_compute_repeats(struct engine *e);
void metrics_read_denominators(struct engine *e);

/* ---- metrics_partial.c: --partial and --merge ---- */

void metrics_put_stat(struct engine *e, size_t gid, size_t si, cx_buf *b);
/* One buffer per group (e->keys.n + 1 of them), for the caller to free. */
cx_buf *metrics_repeat_lists(struct engine *e);
cx_buf *metrics_distinct_lists(struct engine *e, size_t si);
void metrics_read_partials(struct engine *e);

/* ---- metrics_output.c: finishing ---- */

void metrics_fill(struct engine *e);
void metrics_totals(struct engine *e);
void metrics_write_header(struct engine *e, cx_output *o);
void metrics_write_rows(struct engine *e, cx_output *o);

#endif
