#include "stats/metrics.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "io/canon.h"
#include "core/err.h"
#include "stats/hll.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/opt.h"
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
 * list of exact partial sums (sum_add below). */
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

static void dvec_push(struct dvec *d, double x)
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

	cx_output *rej;
	unsigned long long rejected;

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

/* ---- planning ---- */

static const char *need_field(struct engine *e, const char *canonical)
{
	(void)e;
	return cx_canon(canonical);
}

/* A stat whose quantiles are asked for keeps its values: all of them, or
 * with --sketch a DDSketch (values of fields and durations only). */
static void want_values(struct engine *e, struct stat *st)
{
	if (st->keep || st->sketch)
		return;
	if (e->conf->sketch && (st->kind == ST_VAL || st->kind == ST_DUR)) {
		st->sketch = 1;
		st->sk = e->nsk++;
		/* The spec says so, so that --merge refuses to mix the two. */
		size_t n = strlen(st->spec);
		st->spec = cx_realloc(st->spec, n + 4);
		memcpy(st->spec + n, "~dd", 4);
		return;
	}
	st->keep = 1;
	st->vec = e->nvecs++;
}

static int add_stat(struct engine *e, enum stat_kind kind, const char *spec, const char **fields,
		    size_t nfield, int keep)
{
	for (size_t i = 0; i < e->nstats; i++) {
		const char *have = e->stats[i].spec;
		size_t n = strlen(spec);
		if (!strncmp(have, spec, n) && (!have[n] || !strcmp(have + n, "~dd"))) {
			if (keep)
				want_values(e, &e->stats[i]);
			return (int)i;
		}
	}
	e->stats = cx_realloc(e->stats, (e->nstats + 1) * sizeof *e->stats);
	struct stat *s = &e->stats[e->nstats];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->spec = cx_strdup(spec);
	if (nfield > sizeof s->field / sizeof s->field[0])
		cx_usage_error("too many fields in '%s'", spec);
	if (nfield)
		memcpy(s->fname, fields, nfield * sizeof *fields);
	s->nfield = nfield;
	s->off = e->ndoubles;
	switch (kind) {
	case ST_N: case ST_OPEN: case ST_MATCH: case ST_REPEAT: e->ndoubles += 1; break;
	case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG: e->ndoubles += 2; break;
	case ST_SCORE: e->ndoubles += 3; break;
	case ST_VAL: case ST_DUR:
		e->ndoubles += VAL_NDOUBLES;
		s->sumvec = e->nvecs++;
		break;
	case ST_DISTINCT: s->set = e->nsets++; break;
	}
	if (kind == ST_SLA) {
		s->keep = 1;
		s->vec = e->nvecs++;
	} else if (keep) {
		want_values(e, s);
	}
	return (int)e->nstats++;
}

static int stat_n(struct engine *e)
{
	return add_stat(e, ST_N, "n", NULL, 0, 0);
}

static int stat_deteriorated(struct engine *e)
{
	if (e->det_names)
		return e->det_stat;	/* deteriorated and deterioration_rate share it */
	const char *list = e->conf->deteriorated ? e->conf->deteriorated : "escalated";
	size_t n;
	/* The names stay referenced by the stat; the list lives as long as
	 * the engine (freed with it). */
	char **names = cx_split_list(list, &n);
	const char *f[8];
	if (n > 8)
		cx_usage_error("--deteriorated: at most 8 fields");
	cx_buf spec = CX_BUF_INIT;
	cx_buf_adds(&spec, "flag:");
	for (size_t i = 0; i < n; i++) {
		f[i] = need_field(e, names[i]);
		cx_buf_addf(&spec, "%s%s", i ? "+" : "", f[i]);
	}
	int s = add_stat(e, ST_FLAG, spec.p, f, n, 0);
	cx_buf_free(&spec);
	e->det_names = names;
	e->ndet_names = n;
	e->det_stat = s;
	return s;
}

static int stat_flag(struct engine *e, const char *canonical)
{
	const char *f = need_field(e, canonical);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "flag:%s", f);
	int s = add_stat(e, ST_FLAG, spec.p, &f, 1, 0);
	cx_buf_free(&spec);
	return s;
}

static int stat_val(struct engine *e, const char *field, int canonical, int keep)
{
	const char *f = canonical ? need_field(e, field) : field;
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "val:%s", f);
	int s = add_stat(e, ST_VAL, spec.p, &f, 1, keep);
	cx_buf_free(&spec);
	return s;
}

static int stat_dur(struct engine *e, const char *to, int keep)
{
	const char *f[2] = { need_field(e, to), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "dur:%s-%s", f[0], f[1]);
	int s = add_stat(e, ST_DUR, spec.p, f, 2, keep);
	cx_buf_free(&spec);
	return s;
}

static int stat_distinct(struct engine *e, const char *field, int canonical)
{
	const char *f = canonical ? need_field(e, field) : field;
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "distinct:%s", f);
	int s = add_stat(e, ST_DISTINCT, spec.p, &f, 1, 0);
	cx_buf_free(&spec);
	return s;
}

/* ---- reading statistics ---- */

static double *gd(const struct engine *e, size_t gid, int s)
{
	return e->d + gid * e->ndoubles + e->stats[s].off;
}

static struct dvec *gv(const struct engine *e, size_t gid, int s)
{
	return &e->vecs[gid * e->nvecs + e->stats[s].vec];
}

static struct dvec *gv_sum(const struct engine *e, size_t gid, int s)
{
	return &e->vecs[gid * e->nvecs + e->stats[s].sumvec];
}

static double n_of(const struct engine *e, size_t gid, int s)
{
	return gd(e, gid, s)[0];
}

static void put_count(const struct engine *e, double v, cx_buf *out)
{
	(void)e;
	cx_num_put(out, v, -1);
}

static void put_value(const struct engine *e, double v, cx_buf *out)
{
	cx_num_put(out, v, e->conf->precision);
}

/* A ratio whose denominator is zero is not 0: it is missing.  The last
 * ratio written is remembered for its confidence interval (--ci). */
static void put_ratio(struct engine *e, double num, double den, cx_buf *out)
{
	e->ci_num = num;
	e->ci_den = den;
	if (den > 0)
		put_value(e, num / den, out);
}

/* A proportion not yet divided.  The rates pain_index combines each have
 * theirs in one function, which their own metric writes (put_frac) and
 * pain_index reads (frac_value): the two cannot disagree. */
struct frac {
	double num, den;
};

static void put_frac(struct engine *e, struct frac f, cx_buf *out)
{
	put_ratio(e, f.num, f.den, out);
}

/* NaN where put_ratio() writes nothing. */
static double frac_value(struct frac f)
{
	return f.den > 0 ? f.num / f.den : NAN;
}

/*
 * Exact summation (Shewchuk's algorithm, as Python's math.fsum): the sum is
 * kept as a short list of non-overlapping partial sums whose exact total
 * is the exact sum of everything added, and it is rounded once, when read.
 * So the order in which rows, groups or --partial results arrive never
 * changes a printed sum or mean.
 */
static void sum_add(struct dvec *p, double x)
{
	size_t i = 0;
	for (size_t j = 0; j < p->n; j++) {
		double y = p->v[j];
		if (fabs(x) < fabs(y)) {
			double t = x;
			x = y;
			y = t;
		}
		double hi = x + y, lo = y - (hi - x);
		if (lo != 0.0)
			p->v[i++] = lo;
		x = hi;
	}
	p->n = i;
	dvec_push(p, x);
}

static double sum_value(const struct dvec *p)
{
	size_t n = p->n;
	if (n == 0)
		return 0.0;
	double hi = p->v[--n], lo = 0.0;
	while (n > 0) {
		double x = hi, y = p->v[--n];
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0.0)
			break;
	}
	/* Round half to even across the partials left, as fsum does. */
	if (n > 0 && ((lo < 0 && p->v[n - 1] < 0) || (lo > 0 && p->v[n - 1] > 0))) {
		double y = lo * 2, x = hi + y;
		if (y == x - hi)
			hi = x;
	}
	return hi;
}

static double val_sum(const struct engine *e, size_t gid, int s)
{
	return sum_value(&e->vecs[gid * e->nvecs + e->stats[s].sumvec]);
}

/* The values of a kept stat, sorted (once per group; finishing may ask
 * several quantiles of the same list). */
static struct dvec *sorted_values(const struct engine *e, size_t gid, int s)
{
	struct dvec *d = gv(e, gid, s);
	gsl_sort(d->v, 1, d->n);
	return d;
}

static void put_quantile(const struct engine *e, size_t gid, int s, double q, double scale,
			 cx_buf *out)
{
	if (e->stats[s].sketch) {
		const cx_sketch *k = &e->sk[gid * e->nsk + e->stats[s].sk];
		if (cx_sketch_count(k) > 0)
			put_value(e, cx_sketch_quantile(k, q) / scale, out);
		return;
	}
	struct dvec *d = sorted_values(e, gid, s);
	if (d->n == 0)
		return;
	put_value(e, gsl_stats_quantile_from_sorted_data(d->v, 1, d->n, q) / scale, out);
}

/* ---- the metric table ---- */

#define PLAN(name) static void plan_##name(struct engine *e, struct metric *m)
#define FINISH(name) \
	static void finish_##name(struct engine *e, size_t gid, const struct metric *m, cx_buf *out)

PLAN(complaints) { m->a = stat_n(e); }
FINISH(complaints) { put_count(e, n_of(e, gid, m->a), out); }

PLAN(share) { m->a = stat_n(e); }
/* block_total: the complaints of the period's groups, summed by
 * write_rows() at the start of each period. */
static struct frac share_frac(const struct engine *e, size_t gid, int n)
{
	return (struct frac){ n_of(e, gid, n), e->block_total[n] };
}
FINISH(share) { put_frac(e, share_frac(e, gid, m->a), out); }

PLAN(customers) { m->a = stat_distinct(e, "customer_id", 1); }
FINISH(distinct)
{
	size_t i = gid * e->nsets + e->stats[m->a].set;
	if (e->hll[i])
		put_count(e, round(cx_hll_count(e->hll[i])), out);
	else
		put_count(e, e->distinct_n[i], out);
}

PLAN(deteriorated) { m->a = stat_deteriorated(e); }
FINISH(flag_count) { put_count(e, gd(e, gid, m->a)[0], out); }

PLAN(deterioration_rate) { m->a = stat_deteriorated(e); m->b = stat_n(e); }
/* Over all complaints, those whose flags are empty included. */
static struct frac deterioration_frac(const struct engine *e, size_t gid, int det, int n)
{
	return (struct frac){ gd(e, gid, det)[0], n_of(e, gid, n) };
}
FINISH(flag_rate) { put_frac(e, deterioration_frac(e, gid, m->a, m->b), out); }

PLAN(reopen_rate) { m->a = stat_flag(e, "reopened"); }
FINISH(reopen_rate)
{
	/* Rows whose reopened flag is missing say nothing either way. */
	put_ratio(e, gd(e, gid, m->a)[0], gd(e, gid, m->a)[1], out);
}

PLAN(fcr_rate)
{
	const char *f[3] = { need_field(e, "resolved_at"), need_field(e, "reopened"),
			     need_field(e, "escalated") };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "fcr:%s,%s,%s", f[0], f[1], f[2]);
	m->a = add_stat(e, ST_FCR, spec.p, f, 3, 0);
	cx_buf_free(&spec);
}
FINISH(fcr_rate) { put_ratio(e, gd(e, gid, m->a)[0], gd(e, gid, m->a)[1], out); }

PLAN(frt_mean) { m->a = stat_dur(e, "first_response_at", 0); }
FINISH(dur_mean_minutes)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, val_sum(e, gid, m->a) / 60.0, v[VAL_COUNT], out);
}

PLAN(frt_quantile) { m->a = stat_dur(e, "first_response_at", 1); }
FINISH(dur_quantile_minutes) { put_quantile(e, gid, m->a, m->q, 60.0, out); }

PLAN(resolution_quantile) { m->a = stat_dur(e, "resolved_at", 1); }
FINISH(dur_quantile_hours) { put_quantile(e, gid, m->a, m->q, 3600.0, out); }

PLAN(resolution_mean) { m->a = stat_dur(e, "resolved_at", 0); }
FINISH(dur_mean_hours)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, val_sum(e, gid, m->a) / 3600.0, v[VAL_COUNT], out);
}

PLAN(open)
{
	const char *f[2] = { need_field(e, "resolved_at"), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "open:%s", f[0]);
	m->a = add_stat(e, ST_OPEN, spec.p, f, 2, 0);
	cx_buf_free(&spec);
}
FINISH(open) { put_count(e, gd(e, gid, m->a)[0], out); }

/*
 * --sla FILE: targets per value of a field, e.g.
 *     severity   first_response  resolution
 *     critical   15m             4h
 * The first column names the field; first_response and resolution are
 * durations (either may be absent or empty).  Loaded once, at planning.
 */
static void load_sla_file(struct engine *e)
{
	if (e->sla_loaded)
		return;
	e->sla_loaded = 1;
	char *paths[] = { (char *)e->conf->sla_file };
	cx_reader *r = cx_reader_open(paths, 1);
	e->sla_key = cx_strdup(r->names[0]);
	int fc = cx_reader_find(r, "first_response"), rc = cx_reader_find(r, "resolution");
	if (fc < 0 && rc < 0)
		cx_die_at(CX_EXIT_USAGE, r->file, 1,
			  "expected a column first_response or resolution (durations such as 15m, 4h)");
	e->sla_has[0] = fc >= 0;
	e->sla_has[1] = rc >= 0;
	cx_buf scratch = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		int added;
		uint32_t id = cx_keys_intern(&e->sla_keys, r->f[0].p, r->f[0].n, &added);
		if (!added) {
			cx_buf_reset(&scratch);
			cx_die_at(CX_EXIT_USAGE, r->file, r->line, "a second row for %s '%s'",
				  e->sla_key, cx_shown(&scratch, r->f[0].p, r->f[0].n));
		}
		e->sla_target = cx_realloc(e->sla_target, (id + 1) * 2 * sizeof *e->sla_target);
		for (int k = 0; k < 2; k++) {
			int col = k ? rc : fc;
			e->sla_target[id * 2 + (size_t)k] = -1;
			if (col < 0)
				continue;
			cx_slice v = cx_rec_get(r, (size_t)col, &scratch);
			if (v.n == 0)
				continue;
			cx_buf_reset(&e->scratch);
			cx_buf_add(&e->scratch, v.p, v.n);
			long long secs = cx_duration_parse(e->scratch.p);
			if (secs <= 0) {
				cx_buf_reset(&scratch);
				cx_die_at(CX_EXIT_USAGE, r->file, r->line,
					  "field '%s': expected a duration such as 15m, 4h or 2d, not '%s'",
					  r->names[col], cx_shown(&scratch, r->f[col].p, r->f[col].n));
			}
			e->sla_target[id * 2 + (size_t)k] = secs;
		}
	}
	cx_buf_free(&scratch);
	cx_reader_close(r);
}

/* The SLA stat of the first-response (resolve 0) or resolution target;
 * column names the metric that needs it, for the message. */
static int stat_sla(struct engine *e, const char *column, int resolve)
{
	const cx_metrics_conf *c = e->conf;
	long long flag = resolve ? c->sla_resolve : c->sla_first;
	int from_file = 0;
	if (!flag && c->sla_file) {
		load_sla_file(e);
		from_file = e->sla_has[resolve];
	}
	if (!flag && !from_file)
		cx_usage_error("%s needs %s DURATION%s", column,
			       resolve ? "--sla-resolve" : "--sla-first",
			       c->sla_file ? ", or a column of that name in --sla FILE" :
					     " or --sla FILE");
	const char *f[3] = { need_field(e, resolve ? "resolved_at" : "first_response_at"),
			     e->time_name, from_file ? e->sla_key : NULL };
	cx_buf spec = CX_BUF_INIT;
	if (from_file)
		cx_buf_addf(&spec, "sla:%s-%s<=by:%s", f[0], f[1], e->sla_key);
	else
		cx_buf_addf(&spec, "sla:%s-%s<=%lld", f[0], f[1], flag);
	int s = add_stat(e, ST_SLA, spec.p, f, from_file ? 3 : 2, 1);
	e->stats[s].target = from_file ? -1 : flag;
	e->stats[s].sla_resolve = resolve;
	cx_buf_free(&spec);
	return s;
}

/* The one target sla_met_rate measures: 0 first response, 1 resolution,
 * -1 none given.  Both is ambiguous: a usage error saying what to do. */
static int sla_target(struct engine *e, const char *column, const char *instead)
{
	const cx_metrics_conf *c = e->conf;
	if (c->sla_file)
		load_sla_file(e);
	int first = c->sla_first || (c->sla_file && e->sla_has[0]);
	int resolve = c->sla_resolve || (c->sla_file && e->sla_has[1]);
	if (first && resolve)
		cx_usage_error("%s is ambiguous with both a first-response and a resolution target: %s",
			       column, instead);
	return first ? 0 : resolve ? 1 : -1;
}

PLAN(sla_met_rate)
{
	int resolve = sla_target(e, "sla_met_rate", "use sla_first_met_rate and sla_resolve_met_rate");
	if (resolve < 0)
		cx_usage_error("sla_met_rate needs --sla-first DURATION, --sla-resolve DURATION "
			       "or --sla FILE");
	m->a = stat_sla(e, m->column, resolve);
}
PLAN(sla_first_met_rate) { m->a = stat_sla(e, m->column, 0); }
PLAN(sla_resolve_met_rate) { m->a = stat_sla(e, m->column, 1); }
FINISH(sla_met_rate);

PLAN(csat_avg) { m->a = stat_val(e, "csat", 1, 0); }
FINISH(val_mean)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, val_sum(e, gid, m->a), v[VAL_COUNT], out);
}

/* Ratings counted against thresholds: three numbers per group, however
 * many ratings. */
static int stat_score(struct engine *e, const char *canonical, double hi_at, double lo_at)
{
	const char *f = need_field(e, canonical);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "score:%s>=%g<=%g", f, hi_at, lo_at);
	int s = add_stat(e, ST_SCORE, spec.p, &f, 1, 0);
	e->stats[s].hi_at = hi_at;
	e->stats[s].lo_at = lo_at;
	cx_buf_free(&spec);
	return s;
}

PLAN(csat_pct) { m->a = stat_score(e, "csat", 4, 3); }
FINISH(csat_pct) { put_ratio(e, gd(e, gid, m->a)[1], gd(e, gid, m->a)[0], out); }

PLAN(nps) { m->a = stat_score(e, "nps", 9, 6); }
FINISH(nps)
{
	const double *d = gd(e, gid, m->a);
	if (d[0] > 0)
		put_value(e, 100.0 * (d[1] - d[2]) / d[0], out);
}

/* Exposure: --per FILE gives the denominators. */
PLAN(orders)
{
	if (!e->conf->per && !e->conf->partial)
		cx_usage_error("%s needs --per FILE (the denominators by period and group)", m->column);
	m->a = stat_n(e);
}
FINISH(orders)
{
	(void)m;
	if (e->has_denom[gid])
		put_count(e, e->denom[gid], out);
}
FINISH(complaint_rate)
{
	e->ci_num = n_of(e, gid, m->a);
	e->ci_den = e->has_denom[gid] ? e->denom[gid] : 0;
	if (e->has_denom[gid] && e->denom[gid] > 0)
		put_value(e, e->ci_num * e->conf->scale / e->denom[gid], out);
}

/* Repeat complaints: the same customer complained within the window
 * before.  Needs every complaint's customer and time: computed at the
 * end (compute_repeats). */
static int stat_repeat(struct engine *e)
{
	const char *f[2] = { need_field(e, "customer_id"), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "repeat:%s<=%lld", f[0], e->conf->repeat_window);
	int s = add_stat(e, ST_REPEAT, spec.p, f, 2, 0);
	e->repeat_stat = s;
	cx_buf_free(&spec);
	return s;
}
PLAN(repeat) { m->a = stat_repeat(e); m->b = stat_n(e); }
FINISH(repeat) { put_count(e, gd(e, gid, m->a)[0], out); }
static struct frac repeat_frac(const struct engine *e, size_t gid, int rep, int n)
{
	return (struct frac){ gd(e, gid, rep)[0], n_of(e, gid, n) };
}
FINISH(repeat_rate) { put_frac(e, repeat_frac(e, gid, m->a, m->b), out); }

/* Any field. */
PLAN(count) { m->a = stat_n(e); }

/* count:F=V and rate:F=V */
PLAN(match)
{
	const char *eq = strchr(m->arg, '=');
	if (!eq || eq == m->arg)
		cx_usage_error("metric '%s': expected FIELD=VALUE after ':'", m->column);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "match:%s", m->arg);
	/* The field name is the part before '='; kept in the spec's copy. */
	int s = add_stat(e, ST_MATCH, spec.p, NULL, 0, 0);
	struct stat *st = &e->stats[s];
	if (!st->nfield) {
		st->owned = cx_strdup(m->arg);
		char *q = strchr(st->owned, '=');
		*q = '\0';
		st->fname[0] = st->owned;
		st->match = q + 1;
		st->nfield = 1;
	}
	cx_buf_free(&spec);
	m->a = s;
	m->b = stat_n(e);
}
FINISH(match_count) { put_count(e, gd(e, gid, m->a)[0], out); }
FINISH(match_rate) { put_ratio(e, gd(e, gid, m->a)[0], n_of(e, gid, m->b), out); }
PLAN(sum) { m->a = stat_val(e, m->arg, 0, 0); }
FINISH(val_sum)
{
	const double *v = gd(e, gid, m->a);
	if (v[VAL_COUNT] > 0)
		put_value(e, val_sum(e, gid, m->a), out);
}
PLAN(mean) { m->a = stat_val(e, m->arg, 0, 0); }
PLAN(minmax) { m->a = stat_val(e, m->arg, 0, 0); }
FINISH(val_min)
{
	const double *v = gd(e, gid, m->a);
	if (v[VAL_COUNT] > 0)
		put_value(e, v[VAL_MIN], out);
}
FINISH(val_max)
{
	const double *v = gd(e, gid, m->a);
	if (v[VAL_COUNT] > 0)
		put_value(e, v[VAL_MAX], out);
}
PLAN(quantile) { m->a = stat_val(e, m->arg, 0, 1); }
FINISH(val_quantile) { put_quantile(e, gid, m->a, m->q, 1.0, out); }
PLAN(distinct) { m->a = stat_distinct(e, m->arg, 0); }
PLAN(share_of) { m->a = stat_val(e, m->arg, 0, 0); }
FINISH(share_of);

/*
 * pain_index: one figure for how much a group hurts, 100 times the
 * weighted mean of rates that each lie in [0, 1].  Weights are a
 * judgement, not a measurement, so they are written once, here, printed
 * by --list and overridden by --pain-weights.  Deterioration counts double
 * by default: an escalated complaint is the one that costs most.
 */
static const struct pain_part {
	const char *name;	/* in --pain-weights */
	double weight;		/* its default */
} pain_parts[CX_PAIN_NPARTS] = {
	[CX_PAIN_VOLUME] = { "volume", 1 },
	[CX_PAIN_DETERIORATION] = { "deterioration", 2 },
	[CX_PAIN_REPEAT] = { "repeat", 1 },
	[CX_PAIN_SLA] = { "sla", 1 },
	[CX_PAIN_NEGATIVE] = { "negative", 1 },
};

/* Far enough below overflow that the weighted sums of five rates stay
 * finite, whatever the weights. */
#define PAIN_WEIGHT_MAX 1e6

int cx_pain_weights(const char *spec, double *w, cx_buf *why)
{
	for (int k = 0; k < CX_PAIN_NPARTS; k++)
		w[k] = pain_parts[k].weight;
	if (!spec)
		return 0;
	size_t n;
	char **items = cx_split_list(spec, &n);
	unsigned given = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = -1;
		char *eq = strchr(items[i], '=');
		if (!eq || eq == items[i]) {
			cx_buf_addf(why, "--pain-weights: expected NAME=WEIGHT, such as 'deterioration=3', not '%s'",
				    items[i]);
			break;
		}
		*eq = '\0';
		int k = 0;
		while (k < CX_PAIN_NPARTS && strcmp(pain_parts[k].name, items[i]))
			k++;
		double x;
		if (k == CX_PAIN_NPARTS) {
			cx_buf_addf(why, "--pain-weights: unknown component '%s' (", items[i]);
			for (int j = 0; j < CX_PAIN_NPARTS; j++)
				cx_buf_addf(why, "%s%s", j ? ", " : "", pain_parts[j].name);
			cx_buf_addc(why, ')');
		} else if (given & 1u << k) {
			cx_buf_addf(why, "--pain-weights: '%s' given twice", items[i]);
		} else if (cx_num_parse(eq + 1, strlen(eq + 1), &x) < 0 || x < 0 || x > PAIN_WEIGHT_MAX) {
			cx_buf_addf(why, "--pain-weights: the weight of '%s' is a number from 0 to %.0f, not '%s'",
				    items[i], PAIN_WEIGHT_MAX, eq + 1);
		} else {
			given |= 1u << k;
			w[k] = x;
			rc = 0;
		}
	}
	cx_free_list(items, n);
	if (rc == 0) {
		double sum = 0;
		for (int k = 0; k < CX_PAIN_NPARTS; k++)
			sum += w[k];
		if (sum == 0) {
			cx_buf_adds(why, "--pain-weights: every weight is 0: at least one must be more than 0");
			rc = -1;
		}
	}
	return rc;
}

double cx_pain_index(const double *c, const double *w)
{
	double num = 0, den = 0;
	for (int k = 0; k < CX_PAIN_NPARTS; k++)
		if (w[k] > 0 && !isnan(c[k])) {
			num += w[k] * c[k];
			den += w[k];
		}
	return den > 0 ? 100.0 * num / den : NAN;
}

/* Negative sentiment: cx-classify writes a score in [-1, 1] where it
 * scored the text.  The field is optional unless named: without it the
 * component is left out (-1).  A --merge input has the statistic's column
 * instead of the field. */
static int stat_negative(struct engine *e)
{
	const char *f = e->conf->sentiment_field ? e->conf->sentiment_field : "sentiment";
	cx_buf col = CX_BUF_INIT;
	cx_buf_addf(&col, "@neg:%s", f);
	int s = -1;
	if (e->conf->sentiment_field || cx_reader_find(e->r, e->conf->merge ? col.p : f) >= 0)
		s = add_stat(e, ST_NEG, col.p + 1, &f, 1, 0);
	cx_buf_free(&col);
	return s;
}

static struct frac negative_frac(const struct engine *e, size_t gid, int s)
{
	return (struct frac){ gd(e, gid, s)[0], gd(e, gid, s)[1] };
}

/* A component with weight 0 is not computed, so its fields need not
 * exist; one the run cannot compute (no SLA target, no sentiment field)
 * weighs 0 for every group. */
PLAN(pain_index)
{
	double *w = e->pain_w;
	int *st = e->pain_stat;
	m->a = stat_n(e);	/* volume, and the denominator of the rates */
	for (int k = 0; k < CX_PAIN_NPARTS; k++)
		st[k] = -1;
	if (w[CX_PAIN_VOLUME] > 0)
		st[CX_PAIN_VOLUME] = m->a;
	if (w[CX_PAIN_DETERIORATION] > 0)
		st[CX_PAIN_DETERIORATION] = stat_deteriorated(e);
	if (w[CX_PAIN_REPEAT] > 0)
		st[CX_PAIN_REPEAT] = stat_repeat(e);
	if (w[CX_PAIN_SLA] > 0) {
		int resolve = sla_target(e, m->column, "give one of them, or --pain-weights sla=0");
		if (resolve >= 0)
			st[CX_PAIN_SLA] = stat_sla(e, m->column, resolve);
	}
	if (w[CX_PAIN_NEGATIVE] > 0)
		st[CX_PAIN_NEGATIVE] = stat_negative(e);
	double sum = 0;
	for (int k = 0; k < CX_PAIN_NPARTS; k++) {
		if (st[k] < 0)
			w[k] = 0;
		sum += w[k];
	}
	if (sum == 0)
		cx_usage_error("%s: no component with a weight above 0 can be computed (sla needs an SLA "
			       "target, negative a field %s)", m->column,
			       e->conf->sentiment_field ? e->conf->sentiment_field : "sentiment");
}
FINISH(pain_index);

static const struct metric_def metric_defs[] = {
	{ .name = "complaints", .plan = plan_complaints, .finish = finish_complaints,
	  .formula = "rows (each row of a --count-field input counts as its count)" },
	{ .name = "customers", .plan = plan_customers, .finish = finish_distinct,
	  .formula = "distinct customer_id values (missing ones not counted)" },
	{ .name = "share", .plan = plan_share, .finish = finish_share, .ci = CI_WILSON,
	  .formula = "complaints / complaints of all groups in the period" },
	{ .name = "deteriorated", .plan = plan_deteriorated, .finish = finish_flag_count,
	  .formula = "complaints with any --deteriorated flag = 1 (default: escalated)" },
	{ .name = "deterioration_rate", .plan = plan_deterioration_rate, .finish = finish_flag_rate, .ci = CI_WILSON,
	  .formula = "deteriorated / complaints" },
	{ .name = "frt_mean", .plan = plan_frt_mean, .finish = finish_dur_mean_minutes,
	  .formula = "mean of first_response_at - created_at, minutes" },
	{ .name = "frt_median", .plan = plan_frt_quantile, .finish = finish_dur_quantile_minutes,
	  .formula = "median of first_response_at - created_at, minutes" },
	{ .name = "frt_p90", .plan = plan_frt_quantile, .finish = finish_dur_quantile_minutes,
	  .formula = "90th percentile of first_response_at - created_at, minutes" },
	{ .name = "resolution_mean", .plan = plan_resolution_mean, .finish = finish_dur_mean_hours,
	  .formula = "mean of resolved_at - created_at, hours" },
	{ .name = "resolution_median", .plan = plan_resolution_quantile, .finish = finish_dur_quantile_hours,
	  .formula = "median of resolved_at - created_at, hours" },
	{ .name = "resolution_p90", .plan = plan_resolution_quantile, .finish = finish_dur_quantile_hours,
	  .formula = "90th percentile of resolved_at - created_at, hours" },
	{ .name = "repeat", .plan = plan_repeat, .finish = finish_repeat,
	  .formula = "complaints whose customer_id complained before within --repeat-window (default 30d)" },
	{ .name = "repeat_rate", .plan = plan_repeat, .finish = finish_repeat_rate, .ci = CI_WILSON,
	  .formula = "repeat / complaints" },
	{ .name = "orders", .plan = plan_orders, .finish = finish_orders,
	  .formula = "the --per denominator of the group and period (sum of its --per-field)" },
	{ .name = "complaint_rate", .plan = plan_orders, .finish = finish_complaint_rate, .ci = CI_POISSON,
	  .formula = "complaints / orders x --scale (default 1000): complaints per 1,000 orders" },
	{ .name = "open", .plan = plan_open, .finish = finish_open,
	  .formula = "complaints with no resolved_at before the end of their period" },
	{ .name = "sla_met_rate", .plan = plan_sla_met_rate, .finish = finish_sla_met_rate, .ci = CI_WILSON,
	  .formula = "met / (met + missed): met when answered within the target; missed when answered later, or unanswered with the deadline before --now; unanswered and not yet due: left out" },
	{ .name = "sla_first_met_rate", .plan = plan_sla_first_met_rate, .finish = finish_sla_met_rate, .ci = CI_WILSON,
	  .formula = "sla_met_rate for the --sla-first target (first_response_at)" },
	{ .name = "sla_resolve_met_rate", .plan = plan_sla_resolve_met_rate, .finish = finish_sla_met_rate, .ci = CI_WILSON,
	  .formula = "sla_met_rate for the --sla-resolve target (resolved_at)" },
	{ .name = "reopen_rate", .plan = plan_reopen_rate, .finish = finish_reopen_rate, .ci = CI_WILSON,
	  .formula = "reopened = 1 / complaints whose reopened flag is known" },
	{ .name = "fcr_rate", .plan = plan_fcr_rate, .finish = finish_fcr_rate, .ci = CI_WILSON,
	  .formula = "resolved with reopened = 0 and escalated = 0 / resolved (first-contact resolution)" },
	{ .name = "csat_avg", .plan = plan_csat_avg, .finish = finish_val_mean,
	  .formula = "mean csat (1-5) of rated complaints" },
	{ .name = "csat_pct", .plan = plan_csat_pct, .finish = finish_csat_pct, .ci = CI_WILSON,
	  .formula = "rated 4 or 5 / rated" },
	{ .name = "nps", .plan = plan_nps, .finish = finish_nps,
	  .formula = "100 x (promoters 9-10 - detractors 0-6) / rated, from the nps field (0-10)" },
	{ .name = "pain_index", .plan = plan_pain_index, .finish = finish_pain_index,
	  .formula = "100 x sum of weight x component / sum of the weights, over the components defined for the group: volume = share, deterioration = deterioration_rate, repeat = repeat_rate, sla = 1 - sla_met_rate (with an SLA target), negative = complaints with sentiment < 0 / complaints with a sentiment (with a sentiment field); --pain-weights, by default" },
	{ .name = "count", .plan = plan_count, .finish = finish_complaints,
	  .formula = "rows, like complaints" },
	{ .name = "sum", .takes_field = 1, .plan = plan_sum, .finish = finish_val_sum,
	  .formula = "sum of FIELD" },
	{ .name = "mean", .takes_field = 1, .plan = plan_mean, .finish = finish_val_mean,
	  .formula = "mean of FIELD" },
	{ .name = "min", .takes_field = 1, .plan = plan_minmax, .finish = finish_val_min,
	  .formula = "smallest FIELD" },
	{ .name = "max", .takes_field = 1, .plan = plan_minmax, .finish = finish_val_max,
	  .formula = "largest FIELD" },
	{ .name = "median", .takes_field = 1, .plan = plan_quantile, .finish = finish_val_quantile,
	  .formula = "median of FIELD" },
	{ .name = "pNN", .takes_field = 1, .plan = plan_quantile, .finish = finish_val_quantile,
	  .formula = "NNth percentile of FIELD (p90:F, p99:F; linear interpolation, R type 7)" },
	{ .name = "distinct", .takes_field = 1, .plan = plan_distinct, .finish = finish_distinct,
	  .formula = "distinct values of FIELD" },
	{ .name = "count", .takes_field = 1, .plan = plan_match, .finish = finish_match_count,
	  .formula = "count:FIELD=VALUE: complaints whose FIELD is VALUE" },
	{ .name = "rate", .takes_field = 1, .plan = plan_match, .finish = finish_match_rate, .ci = CI_WILSON,
	  .formula = "rate:FIELD=VALUE: complaints whose FIELD is VALUE / complaints" },
	{ .name = "share", .takes_field = 1, .plan = plan_share_of, .finish = finish_share_of,
	  .formula = "sum of FIELD / sum of FIELD over all groups in the period" },
};

#define NDEFS (sizeof metric_defs / sizeof metric_defs[0])

FINISH(share_of)
{
	const double *v = gd(e, gid, m->a);
	if (v[VAL_COUNT] > 0)
		put_ratio(e, val_sum(e, gid, m->a), e->block_total[m->a], out);
}

static cx_instant now_of(const struct engine *e)
{
	return e->conf->now_set ? e->conf->now : e->latest;
}

static struct frac sla_frac(const struct engine *e, size_t gid, int s)
{
	const double *v = gd(e, gid, s);
	double met = v[0], missed = v[1];
	/* Unanswered: missed once the deadline has passed, unknown before. */
	const struct dvec *pending = gv(e, gid, s);
	cx_instant now = now_of(e);
	for (size_t i = 0; i + 1 < pending->n; i += 2)
		missed += pending->v[i] <= (double)now ? pending->v[i + 1] : 0;
	return (struct frac){ met, met + missed };
}
FINISH(sla_met_rate) { put_frac(e, sla_frac(e, gid, m->a), out); }

/* A component whose rate has no denominator in this group (no SLA
 * deadline passed yet, no sentiment scored) is left out of its mean. */
FINISH(pain_index)
{
	const int *st = e->pain_stat;
	double c[CX_PAIN_NPARTS];
	for (int k = 0; k < CX_PAIN_NPARTS; k++)
		c[k] = NAN;
	if (st[CX_PAIN_VOLUME] >= 0)
		c[CX_PAIN_VOLUME] = frac_value(share_frac(e, gid, st[CX_PAIN_VOLUME]));
	if (st[CX_PAIN_DETERIORATION] >= 0)
		c[CX_PAIN_DETERIORATION] =
			frac_value(deterioration_frac(e, gid, st[CX_PAIN_DETERIORATION], m->a));
	if (st[CX_PAIN_REPEAT] >= 0)
		c[CX_PAIN_REPEAT] = frac_value(repeat_frac(e, gid, st[CX_PAIN_REPEAT], m->a));
	if (st[CX_PAIN_SLA] >= 0)
		c[CX_PAIN_SLA] = 1 - frac_value(sla_frac(e, gid, st[CX_PAIN_SLA]));
	if (st[CX_PAIN_NEGATIVE] >= 0)
		c[CX_PAIN_NEGATIVE] = frac_value(negative_frac(e, gid, st[CX_PAIN_NEGATIVE]));
	put_value(e, cx_pain_index(c, e->pain_w), out);
}

static const char *const default_metrics = "complaints,deteriorated,deterioration_rate";

/* Look a metric up by the name written in -m: "complaints", "p90:csat". */
static void parse_metric(struct engine *e, const char *word)
{
	struct metric m = { 0 };
	const char *colon = strchr(word, ':');
	size_t len = colon ? (size_t)(colon - word) : strlen(word);
	m.q = 0.5;
	for (size_t i = 0; i < NDEFS && !m.def; i++) {
		const struct metric_def *d = &metric_defs[i];
		if (d->takes_field != (colon != NULL))
			continue;
		if (strlen(d->name) == len && !strncmp(d->name, word, len)) {
			m.def = d;
		} else if (!strcmp(d->name, "pNN") && len >= 2 && len <= 4 && word[0] == 'p') {
			char *end;
			long q = strtol(word + 1, &end, 10);
			/* p0 .. p100, without leading zeros */
			if (end == colon && q >= 0 && q <= 100 && word[1] >= '0' && word[1] <= '9' &&
			    (word[1] != '0' || len == 2)) {
				m.def = d;
				m.q = (double)q / 100.0;
			}
		}
	}
	if (!m.def)
		cx_usage_error("unknown metric '%s' (cx-metrics --list shows them)", word);
	if (colon && !colon[1])
		cx_usage_error("metric '%s' needs a field name after ':'", word);
	if (!strcmp(word, "frt_p90") || !strcmp(word, "resolution_p90"))
		m.q = 0.9;
	m.arg = colon ? colon + 1 : NULL;
	m.column = cx_strdup(word);
	m.a = m.b = -1;
	for (size_t i = 0; i < e->nmetrics; i++)
		if (!strcmp(e->metrics[i].column, word))
			cx_usage_error("metric '%s' given twice", word);
	e->metrics = cx_realloc(e->metrics, (e->nmetrics + 1) * sizeof *e->metrics);
	e->metrics[e->nmetrics] = m;
	m.def->plan(e, &e->metrics[e->nmetrics]);
	e->nmetrics++;
}

void cx_metrics_list(cx_output *o)
{
	cx_buf b = CX_BUF_INIT;
	cx_out_s(o, "metric\tformula");
	cx_out_eol(o);
	for (size_t i = 0; i < NDEFS; i++) {
		const struct metric_def *d = &metric_defs[i];
		cx_buf_reset(&b);
		cx_buf_addf(&b, "%s%s\t%s", d->name, d->takes_field ? ":FIELD" : "", d->formula);
		/* From the table the code uses, so that they cannot drift. */
		if (d->plan == plan_pain_index)
			for (int k = 0; k < CX_PAIN_NPARTS; k++)
				cx_buf_addf(&b, "%s%s=%g", k ? "," : " ", pain_parts[k].name,
					    pain_parts[k].weight);
		cx_buf_addc(&b, '\n');
		cx_out_raw(o, b.p, b.len);
	}
	cx_buf_free(&b);
}

/* Wilson's score interval for x successes in n trials. */
static void wilson(double x, double n, double z, double *lo, double *hi)
{
	double p = x / n, z2 = z * z, d = 1 + z2 / n;
	double center = (p + z2 / (2 * n)) / d;
	double half = z / d * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	*lo = x == 0 ? 0 : fmax(0, center - half);
	*hi = x == n ? 1 : fmin(1, center + half);
}

/* The exact (Garwood) interval for a Poisson count k, from the chi-square
 * quantiles.  GSL's inverse CDF is well defined for k > 0 and 2k + 2 > 0;
 * k = 0 has lower bound 0 by definition. */
static void garwood(double k, double alpha, double *lo, double *hi)
{
	*lo = k == 0 ? 0 : gsl_cdf_chisq_Pinv(alpha / 2, 2 * k) / 2;
	*hi = gsl_cdf_chisq_Pinv(1 - alpha / 2, 2 * k + 2) / 2;
}

/* The NAME_lo and NAME_hi columns of a metric with an interval. */
static void put_interval(struct engine *e, const struct metric *m, cx_buf *out)
{
	double alpha = 1 - e->conf->ci / 100.0, lo, hi;
	double num = e->ci_num, den = e->ci_den;
	cx_buf_addc(out, '\t');
	if (den <= 0) {
		cx_buf_addc(out, '\t');
		return;
	}
	if (m->def->ci == CI_WILSON) {
		/* Weighted counts may exceed what a binomial allows only by
		 * rounding; keep x within [0, n]. */
		wilson(fmin(fmax(num, 0), den), den, gsl_cdf_ugaussian_Pinv(1 - alpha / 2), &lo, &hi);
	} else {
		garwood(num, alpha, &lo, &hi);
		lo = lo * e->conf->scale / den;
		hi = hi * e->conf->scale / den;
	}
	put_value(e, lo, out);
	cx_buf_addc(out, '\t');
	put_value(e, hi, out);
}

/* ------------------------------------------------------------------ */
/* Groups                                                               */

static void grow_groups(struct engine *e, size_t gid)
{
	if (gid < e->cap)
		return;
	size_t cap = e->cap ? e->cap * 2 : 256;
	while (cap <= gid)
		cap *= 2;
	e->d = cx_realloc(e->d, cap * e->ndoubles * sizeof *e->d);
	e->vecs = cx_realloc(e->vecs, cap * e->nvecs * sizeof *e->vecs);
	e->distinct_n = cx_realloc(e->distinct_n, cap * e->nsets * sizeof *e->distinct_n);
	e->hll = cx_realloc(e->hll, cap * e->nsets * sizeof *e->hll);
	e->sk = cx_realloc(e->sk, cap * e->nsk * sizeof *e->sk);
	e->period = cx_realloc(e->period, cap * sizeof *e->period);
	e->denom = cx_realloc(e->denom, cap * sizeof *e->denom);
	e->has_denom = cx_realloc(e->has_denom, cap);
	e->is_total = cx_realloc(e->is_total, cap);
	e->cap = cap;
}

/* A new group's statistics: zero counts, min +inf, max -inf. */
static void init_group(struct engine *e, size_t gid, int64_t period, int is_total)
{
	grow_groups(e, gid);
	memset(e->d + gid * e->ndoubles, 0, e->ndoubles * sizeof *e->d);
	memset(e->vecs + gid * e->nvecs, 0, e->nvecs * sizeof *e->vecs);
	memset(e->distinct_n + gid * e->nsets, 0, e->nsets * sizeof *e->distinct_n);
	for (size_t i = 0; i < e->nsets; i++)
		e->hll[gid * e->nsets + i] = NULL;
	for (size_t i = 0; i < e->nsk; i++)
		cx_sketch_init(&e->sk[gid * e->nsk + i]);
	for (size_t s = 0; s < e->nstats; s++)
		if (e->stats[s].kind == ST_VAL || e->stats[s].kind == ST_DUR) {
			double *v = gd(e, gid, (int)s);
			v[VAL_MIN] = INFINITY;
			v[VAL_MAX] = -INFINITY;
		}
	e->period[gid] = period;
	e->is_total[gid] = (unsigned char)is_total;
	e->denom[gid] = 0;
	e->has_denom[gid] = 0;
}

/* Key: 8 bytes of period index, then each group value (escaped, so it
 * holds no TAB) followed by a TAB. */
static size_t group_of(struct engine *e, int64_t period, const cx_slice *vals, size_t nvals,
		       int is_total)
{
	cx_buf *k = &e->scratch2;
	cx_buf_reset(k);
	cx_buf_add(k, &period, sizeof period);
	cx_buf_addc(k, (char)is_total);
	for (size_t i = 0; i < nvals; i++) {
		cx_buf_add(k, vals[i].p, vals[i].n);
		cx_buf_addc(k, '\t');
	}
	int added;
	uint32_t gid = cx_keys_intern(&e->keys, k->p, k->len, &added);
	if (added)
		init_group(e, gid, period, is_total);
	return gid;
}

static void val_add(struct engine *e, size_t gid, int s, double x)
{
	double *v = gd(e, gid, s);
	v[VAL_COUNT] += 1;
	sum_add(&e->vecs[gid * e->nvecs + e->stats[s].sumvec], x);
	if (x < v[VAL_MIN])
		v[VAL_MIN] = x;
	if (x > v[VAL_MAX])
		v[VAL_MAX] = x;
	if (e->stats[s].sketch)
		cx_sketch_add(&e->sk[gid * e->nsk + e->stats[s].sk], x, 1);
	else if (e->stats[s].keep)
		dvec_push(gv(e, gid, s), x);
}

/* Past --exact-distinct values a group's set becomes a HyperLogLog: the
 * values it holds are hashed into it, and later ones go there too.  The
 * rule depends only on the number of distinct values, so one pass and a
 * merge of parts switch at the same point and agree. */
static cx_hll *to_hll(struct engine *e, size_t gid, int s)
{
	size_t i = gid * e->nsets + e->stats[s].set;
	if (e->hll[i])
		return e->hll[i];
	cx_hll *h = cx_malloc(sizeof *h);
	cx_hll_init(h);
	cx_keys *set = &e->sets[e->stats[s].set];
	for (size_t id = 0; id < set->n; id++) {
		size_t len;
		const char *k = cx_keys_get(set, (uint32_t)id, &len);
		uint32_t g;
		memcpy(&g, k, sizeof g);
		if (g == gid)
			cx_hll_add_hash(h, cx_hash(k + sizeof g, len - sizeof g));
	}
	e->hll[i] = h;
	return h;
}

static void distinct_add(struct engine *e, size_t gid, int s, const char *p, size_t n)
{
	size_t i = gid * e->nsets + e->stats[s].set;
	if (e->hll[i]) {
		cx_hll_add_hash(e->hll[i], cx_hash(p, n));
		return;
	}
	cx_buf *k = &e->scratch2;
	cx_buf_reset(k);
	uint32_t g = (uint32_t)gid;
	cx_buf_add(k, &g, sizeof g);
	cx_buf_add(k, p, n);
	int added;
	cx_keys_intern(&e->sets[e->stats[s].set], k->p, k->len, &added);
	if (added && ++e->distinct_n[i] > (double)e->conf->exact_distinct)
		to_hll(e, gid, s);
}

/* Merge group src into group dst (for --totals and --merge). */
static void merge_group(struct engine *e, size_t dst, size_t src)
{
	e->denom[dst] += e->denom[src];
	e->has_denom[dst] |= e->has_denom[src];
	for (size_t si = 0; si < e->nstats; si++) {
		const struct stat *st = &e->stats[si];
		int s = (int)si;
		double *a = gd(e, dst, s), *b = gd(e, src, s);
		switch (st->kind) {
		case ST_N: case ST_OPEN: case ST_MATCH: case ST_REPEAT:
			a[0] += b[0];
			break;
		case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG:
			a[0] += b[0];
			a[1] += b[1];
			break;
		case ST_SCORE:
			a[0] += b[0];
			a[1] += b[1];
			a[2] += b[2];
			break;
		case ST_VAL: case ST_DUR:
			a[VAL_COUNT] += b[VAL_COUNT];
			for (size_t i = 0; i < gv_sum(e, src, s)->n; i++)
				sum_add(gv_sum(e, dst, s), gv_sum(e, src, s)->v[i]);
			if (b[VAL_MIN] < a[VAL_MIN])
				a[VAL_MIN] = b[VAL_MIN];
			if (b[VAL_MAX] > a[VAL_MAX])
				a[VAL_MAX] = b[VAL_MAX];
			break;
		case ST_DISTINCT:
			break;	/* done over the whole set: merge_distinct() */
		}
		if (st->keep) {
			struct dvec *vs = gv(e, src, s), *vd = gv(e, dst, s);
			for (size_t i = 0; i < vs->n; i++)
				dvec_push(vd, vs->v[i]);
		}
		if (st->sketch)
			cx_sketch_merge(&e->sk[dst * e->nsk + st->sk], &e->sk[src * e->nsk + st->sk]);
	}
}

/* Union the distinct values of every group into the group map[gid] (if
 * map[gid] != (size_t)-1). */
static void merge_distinct(struct engine *e, const size_t *map)
{
	for (size_t si = 0; si < e->nstats; si++) {
		if (e->stats[si].kind != ST_DISTINCT)
			continue;
		cx_keys *set = &e->sets[e->stats[si].set];
		size_t n = set->n;
		for (size_t id = 0; id < n; id++) {
			size_t len;
			const char *k = cx_keys_get(set, (uint32_t)id, &len);
			uint32_t g;
			memcpy(&g, k, sizeof g);
			if (map[g] == (size_t)-1)
				continue;
			/* distinct_add() may move the set's arena: copy first. */
			cx_buf_reset(&e->scratch);
			cx_buf_add(&e->scratch, k + sizeof g, len - sizeof g);
			distinct_add(e, map[g], (int)si, e->scratch.p, e->scratch.len);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reading records                                                      */

static cx_slice value(struct engine *e, size_t field)
{
	return cx_rec_get(e->r, field, &e->scratch);
}

/* Parse a time field of the current record; 0 if empty. */
static int time_value(struct engine *e, size_t field, cx_instant *t)
{
	cx_slice v = value(e, field);
	if (v.n == 0)
		return 0;
	int rc = cx_time_parse(v.p, v.n, t);
	if (rc < 0)
		cx_rec_bad_field(e->r, field, cx_time_strerror(rc));
	return 1;
}

/* Parse a number field of the current record; 0 if empty. */
static int number_value(struct engine *e, size_t field, double *x)
{
	cx_slice v = value(e, field);
	if (v.n == 0)
		return 0;
	int rc = cx_num_parse(v.p, v.n, x);
	if (rc < 0)
		cx_rec_bad_field(e->r, field, cx_num_strerror(rc));
	return 1;
}

static int flag_value(struct engine *e, size_t field)
{
	cx_slice v = value(e, field);
	int f = cx_flag_parse(v.p, v.n);
	if (f == -2)
		cx_rec_bad_field(e->r, field, "not a 0/1 flag");
	return f;
}

static void add_event(struct engine *e, const char *cust, size_t n, cx_instant t, size_t gid,
		      double w)
{
	if (e->nev == e->evcap) {
		e->evcap = e->evcap ? e->evcap * 2 : 1024;
		e->ev_cust = cx_realloc(e->ev_cust, e->evcap * sizeof *e->ev_cust);
		e->ev_gid = cx_realloc(e->ev_gid, e->evcap * sizeof *e->ev_gid);
		e->ev_time = cx_realloc(e->ev_time, e->evcap * sizeof *e->ev_time);
		e->ev_w = cx_realloc(e->ev_w, e->evcap * sizeof *e->ev_w);
	}
	e->ev_cust[e->nev] = cx_keys_intern(&e->customers, cust, n, NULL);
	e->ev_gid[e->nev] = (uint32_t)gid;
	e->ev_time[e->nev] = t;
	e->ev_w[e->nev] = w;
	e->nev++;
}

static void update(struct engine *e, size_t gid, double w, cx_instant created, int64_t period)
{
	for (size_t si = 0; si < e->nstats; si++) {
		struct stat *st = &e->stats[si];
		int s = (int)si;
		double *d = gd(e, gid, s);
		switch (st->kind) {
		case ST_N:
			d[0] += w;
			break;
		case ST_FLAG: {
			int any = 0, known = 0;
			for (size_t i = 0; i < st->nfield; i++) {
				int f = flag_value(e, st->field[i]);
				any |= f == 1;
				known |= f >= 0;
			}
			d[0] += any ? w : 0;
			d[1] += known ? w : 0;
			break;
		}
		case ST_VAL: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			val_add(e, gid, s, x);
			break;
		}
		case ST_DUR: {
			cx_instant to;
			if (!time_value(e, st->field[0], &to))
				break;
			if (to < created) {
				/* Resolved before created: a data error that
				 * would make averages lie; counted, reported at
				 * the end, left out. */
				if (!st->negative++) {
					st->neg_file = e->r->file;
					st->neg_line = e->r->line;
				}
				break;
			}
			val_add(e, gid, s, (double)(to - created));
			break;
		}
		case ST_DISTINCT: {
			cx_slice v = value(e, st->field[0]);
			if (v.n)
				distinct_add(e, gid, s, v.p, v.n);
			break;
		}
		case ST_OPEN: {
			cx_instant res;
			int resolved = time_value(e, st->field[0], &res);
			if (e->conf->all_time) {
				d[0] += resolved ? 0 : w;
				break;
			}
			cx_period next = { e->conf->unit, period + 1 };
			d[0] += !resolved || res >= cx_period_start(next) ? w : 0;
			break;
		}
		case ST_SLA: {
			cx_instant done;
			long long target = st->target;
			if (target < 0) {
				/* --sla FILE: this complaint's target, by its value of
				 * the file's key field; none, no SLA. */
				cx_slice k = e->r->f[st->field[2]];
				long id = cx_keys_find(&e->sla_keys, k.p, k.n);
				target = id < 0 ? -1 : e->sla_target[(size_t)id * 2 + (size_t)st->sla_resolve];
				if (target < 0) {
					e->no_sla += w;
					break;
				}
			}
			if (time_value(e, st->field[0], &done)) {
				if (done < created) {
					/* As for durations: a data error, left
					 * out and counted. */
					if (!st->negative++) {
						st->neg_file = e->r->file;
						st->neg_line = e->r->line;
					}
				} else if (done - created <= target) {
					d[0] += w;
				} else {
					d[1] += w;
				}
			} else {
				/* Unanswered: its deadline and weight, judged
				 * against --now at the end. */
				dvec_push(gv(e, gid, s), (double)(created + target));
				dvec_push(gv(e, gid, s), w);
			}
			break;
		}
		case ST_REPEAT: {
			cx_slice v = value(e, st->field[0]);
			if (v.n)
				add_event(e, v.p, v.n, created, gid, w);
			break;
		}
		case ST_SCORE: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			d[0] += 1;
			d[1] += x >= st->hi_at;
			d[2] += x <= st->lo_at;
			break;
		}
		case ST_NEG: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			d[0] += x < 0 ? w : 0;
			d[1] += w;
			break;
		}
		case ST_MATCH: {
			cx_slice v = value(e, st->field[0]);
			if (v.n == strlen(st->match) && !memcmp(v.p, st->match, v.n))
				d[0] += w;
			break;
		}
		case ST_FCR: {
			cx_instant res;
			if (!time_value(e, st->field[0], &res))
				break;
			d[1] += w;
			if (flag_value(e, st->field[1]) != 1 && flag_value(e, st->field[2]) != 1)
				d[0] += w;
			break;
		}
		}
	}
}

static void reject(struct engine *e, const char *why)
{
	if (!e->rej)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "%s (use --rejects FILE to set such rows aside)",
			  why);
	e->rejected++;
	cx_out_field(e->rej, e->r->file, strlen(e->r->file));
	cx_buf *b = &e->scratch2;
	cx_buf_reset(b);
	cx_buf_addf(b, "\t%ld\t", e->r->line);
	cx_out_raw(e->rej, b->p, b->len);
	cx_out_field(e->rej, why, strlen(why));
	cx_out_c(e->rej, '\t');
	cx_slice line = cx_reader_line(e->r);
	cx_out_raw(e->rej, line.p, line.n);	/* already escaped */
	cx_out_eol(e->rej);
}

static void resolve_fields(struct engine *e)
{
	cx_reader *r = e->r;
	e->time_field = cx_reader_need(r, e->time_name);
	e->group = cx_calloc(e->ngroup + 1, sizeof *e->group);
	for (size_t i = 0; i < e->ngroup; i++)
		e->group[i] = cx_reader_need(r, e->group_names[i]);
	e->count_field = e->conf->count_field ? (long)cx_reader_need(r, e->conf->count_field) : -1;
	for (size_t s = 0; s < e->nstats; s++)
		for (size_t i = 0; i < e->stats[s].nfield; i++)
			e->stats[s].field[i] = cx_reader_need(r, e->stats[s].fname[i]);
}

/* The period of t.  Consecutive rows mostly fall in the same period, so
 * the last one's bounds are kept: [lo, hi) is exactly the instants whose
 * period is index (cxtime guarantees periods tile time in order). */
static int64_t period_of(struct engine *e, cx_instant t)
{
	if (e->conf->all_time)
		return 0;
	if (e->pc_valid && t >= e->pc_lo && t < e->pc_hi)
		return e->pc_index;
	cx_period p = cx_period_of(t, e->conf->unit), next = { p.unit, p.index + 1 };
	e->pc_lo = cx_period_start(p);
	e->pc_hi = cx_period_start(next);
	e->pc_index = p.index;
	e->pc_valid = 1;
	return p.index;
}

static void read_records(struct engine *e)
{
	resolve_fields(e);
	/* Split records only as far as the last field a metric reads. */
	size_t last = e->time_field;
	for (size_t i = 0; i < e->ngroup; i++)
		last = e->group[i] > last ? e->group[i] : last;
	if (e->count_field >= 0 && (size_t)e->count_field > last)
		last = (size_t)e->count_field;
	for (size_t s = 0; s < e->nstats; s++)
		for (size_t i = 0; i < e->stats[s].nfield; i++)
			last = e->stats[s].field[i] > last ? e->stats[s].field[i] : last;
	cx_reader_split(e->r, last + 1);
	cx_slice *gvals = cx_calloc(e->ngroup + 1, sizeof *gvals);
	cx_buf why = CX_BUF_INIT;
	while (cx_reader_next(e->r)) {
		cx_slice tv = value(e, e->time_field);
		cx_instant t;
		int rc = tv.n ? cx_time_parse(tv.p, tv.n, &t) : CX_TIME_EEMPTY;
		if (rc < 0) {
			cx_buf_reset(&why);
			cx_buf_addf(&why, "field '%s': %s", e->time_name,
				    rc == CX_TIME_EEMPTY ? "missing time" : cx_time_strerror(rc));
			if (rc != CX_TIME_EEMPTY) {
				cx_slice raw = e->r->f[e->time_field];
				cx_buf_adds(&why, ": '");
				cx_shown(&why, raw.p, raw.n);
				cx_buf_addc(&why, '\'');
			}
			reject(e, why.p);
			continue;
		}
		double w = 1;
		if (e->count_field >= 0) {
			cx_slice v = value(e, (size_t)e->count_field);
			if (cx_num_parse(v.p, v.n, &w) < 0 || w < 0 || w != floor(w))
				cx_rec_bad_field(e->r, (size_t)e->count_field, "not a whole count");
			/* Past 2^53 doubles skip whole numbers: counts would be
			 * wrong without a word. */
			if (w > 9007199254740992.0)
				cx_rec_bad_field(e->r, (size_t)e->count_field, "count too large (more than 2^53)");
		}
		if (!e->have_latest || t > e->latest) {
			e->latest = t;
			e->have_latest = 1;
		}
		int64_t period = period_of(e, t);
		for (size_t i = 0; i < e->ngroup; i++) {
			gvals[i] = e->r->f[e->group[i]];
			/* Group values are written out as they came: check them. */
			if (memchr(gvals[i].p, '\\', gvals[i].n))
				value(e, e->group[i]);
		}
		size_t gid = group_of(e, period, gvals, e->ngroup, 0);
		update(e, gid, w, t, period);
	}
	free(gvals);
	cx_buf_free(&why);
}

/* ------------------------------------------------------------------ */
/* Repeats                                                              */

static const struct engine *ev_engine;

/* By customer, then time, then input order: the order is total, so the
 * result does not depend on qsort's. */
static int cmp_events(const void *pa, const void *pb)
{
	const struct engine *e = ev_engine;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (e->ev_cust[a] != e->ev_cust[b])
		return e->ev_cust[a] < e->ev_cust[b] ? -1 : 1;
	if (e->ev_time[a] != e->ev_time[b])
		return e->ev_time[a] < e->ev_time[b] ? -1 : 1;
	return (a > b) - (a < b);
}

/* A complaint is a repeat when the customer's previous complaint (in
 * time) is at most --repeat-window before it: 0 <= t - t_prev <= window. */
static void compute_repeats(struct engine *e)
{
	if (e->repeat_stat < 0 || e->nev == 0)
		return;
	size_t *order = cx_malloc(e->nev * sizeof *order);
	for (size_t i = 0; i < e->nev; i++)
		order[i] = i;
	ev_engine = e;
	qsort(order, e->nev, sizeof *order, cmp_events);
	for (size_t k = 1; k < e->nev; k++) {
		size_t i = order[k], prev = order[k - 1];
		if (e->ev_cust[i] == e->ev_cust[prev] &&
		    e->ev_time[i] - e->ev_time[prev] <= e->conf->repeat_window)
			gd(e, e->ev_gid[i], e->repeat_stat)[0] += e->ev_w[i];
	}
	free(order);
}

/* ------------------------------------------------------------------ */
/* --per: the denominators                                              */

static void read_denominators(struct engine *e)
{
	const cx_metrics_conf *c = e->conf;
	char *paths[] = { (char *)c->per };
	cx_reader *r = cx_reader_open(paths, 1);
	size_t pf = cx_reader_need(r, "period");
	size_t vf = cx_reader_need(r, c->per_field ? c->per_field : "orders");
	size_t *gf = cx_calloc(e->ngroup + 1, sizeof *gf);
	for (size_t i = 0; i < e->ngroup; i++)
		gf[i] = cx_reader_need(r, e->group_names[i]);
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	cx_buf scratch = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		/* A period as cx-metrics writes it (2024-03), or any time
		 * (daily figures summed into months). */
		cx_slice pv = cx_rec_get(r, pf, &scratch);
		int64_t period = 0;
		if (c->all_time) {
			/* one period: every row counts */
		} else {
			cx_period p;
			cx_instant t;
			if (cx_period_parse(pv.p, pv.n, c->unit, &p) == 0)
				period = p.index;
			else if (cx_time_parse(pv.p, pv.n, &t) == 0)
				period = cx_period_of(t, c->unit).index;
			else {
				cx_buf w = CX_BUF_INIT;
				cx_buf_addf(&w, "not a %s period or a time", cx_unit_names[c->unit]);
				cx_rec_bad_field(r, pf, w.p);
			}
		}
		cx_slice v = cx_rec_get(r, vf, &scratch);
		double x;
		int rc = cx_num_parse(v.p, v.n, &x);
		if (rc < 0 || x < 0)
			cx_rec_bad_field(r, vf, rc < 0 ? cx_num_strerror(rc) : "negative");
		for (size_t i = 0; i < e->ngroup; i++)
			vals[i] = r->f[gf[i]];
		size_t gid = group_of(e, period, vals, e->ngroup, 0);
		e->denom[gid] += x;
		e->has_denom[gid] = 1;
	}
	/* Complaints without a denominator have no rate: say how many. */
	double orphans = 0;
	for (size_t g = 0; g < e->keys.n; g++)
		if (!e->has_denom[g])
			orphans += n_of(e, g, 0);
	if (orphans > 0)
		cx_warn("%.0f complaint%s in groups that %s has no row for: their complaint_rate is empty",
			orphans, orphans == 1 ? "" : "s", r->first_file);
	cx_buf_free(&scratch);
	free(vals);
	free(gf);
	cx_reader_close(r);
}

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
static void fill(struct engine *e)
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
			group_of(e, p, vals, e->ngroup, 0);
		}
	free(vals);
	cx_keys_free(&parts);
}

/* --totals: one more group per period, the merge of the period's groups. */
static void totals(struct engine *e)
{
	size_t n = e->keys.n;
	size_t *map = cx_malloc((n + 1) * sizeof *map);
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	for (size_t i = 0; i < e->ngroup; i++) {
		vals[i].p = "(all)";
		vals[i].n = 5;
	}
	for (size_t g = 0; g < n; g++) {
		size_t t = group_of(e, e->period[g], vals, e->ngroup, 1);
		merge_group(e, t, g);
		map[g] = t;
	}
	/* The new groups themselves are not merged into anything. */
	map = cx_realloc(map, (e->keys.n + 1) * sizeof *map);
	for (size_t g = n; g < e->keys.n; g++)
		map[g] = (size_t)-1;
	merge_distinct(e, map);
	/* Groups that went over to a HyperLogLog bring it along. */
	for (size_t si = 0; si < e->nstats; si++) {
		if (e->stats[si].kind != ST_DISTINCT)
			continue;
		for (size_t g = 0; g < n; g++) {
			cx_hll *h = e->hll[g * e->nsets + e->stats[si].set];
			if (h)
				cx_hll_merge(to_hll(e, map[g], (int)si), h);
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

static void write_header(struct engine *e, cx_output *o)
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

static void put_exact(cx_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		cx_buf_addf(b, "%.0f", v);
	else
		cx_buf_addf(b, "%.17g", v);
}

/* One statistic in --partial form (see cx-metrics(1), "Partial results"). */
static void put_stat(struct engine *e, size_t gid, size_t si, cx_buf *b)
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
static cx_buf *repeat_lists(struct engine *e)
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
static cx_buf *distinct_lists(struct engine *e, size_t si)
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

static void write_rows(struct engine *e, cx_output *o)
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
				dl[s] = distinct_lists(e, s);
			else if (e->stats[s].kind == ST_REPEAT)
				dl[s] = repeat_lists(e);
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
						e->block_total[s] += val_sum(e, order[j], (int)s);
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
				put_stat(e, g, s, b);
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
					put_interval(e, &e->metrics[m], b);
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

static void merge_stat(struct engine *e, size_t gid, size_t si, size_t col)
{
	const struct stat *st = &e->stats[si];
	cx_slice v = cx_rec_get(e->r, col, &e->scratch);
	const char *p = v.p, *end = v.p + v.n;
	double *d = gd(e, gid, (int)si);
	double x[VAL_NDOUBLES];
	int empty, k = 0, want;
	if (st->kind == ST_REPEAT) {
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
			add_event(e, q + 1, (size_t)len, (cx_instant)t, gid, w);
			p = q + 1 + len;
		}
		return;
	}
	if (st->kind == ST_DISTINCT && v.n >= 5 && !memcmp(p, "hll14", 5)) {
		cx_hll h;
		if (cx_hll_get(&h, p, v.n) < 0)
			bad_partial(e, col, "malformed HyperLogLog");
		cx_hll_merge(to_hll(e, gid, (int)si), &h);
		return;
	}
	if (st->kind == ST_DISTINCT) {
		while (p < end) {
			char *colon;
			unsigned long long len = strtoull(p, &colon, 10);
			if (colon == p || colon >= end || *colon != ':' || len > (size_t)(end - colon - 1))
				bad_partial(e, col, "malformed list of distinct values");
			/* distinct_add() uses scratch2, not the scratch v is in. */
			distinct_add(e, gid, (int)si, colon + 1, (size_t)len);
			p = colon + 1 + len;
		}
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
			sum_add(gv_sum(e, gid, (int)si), part);
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

static void read_partials(struct engine *e)
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
		size_t gid = group_of(e, period, vals, e->ngroup, 0);
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

/* ------------------------------------------------------------------ */

/* The output header must be a valid one: no name twice. */
static void check_columns(const struct engine *e)
{
	cx_keys seen = CX_KEYS_INIT;
	int added;
	cx_keys_intern(&seen, "period", 6, NULL);
	for (size_t i = 0; i < e->ngroup; i++) {
		cx_keys_intern(&seen, e->group_names[i], strlen(e->group_names[i]), &added);
		if (!added)
			cx_usage_error("-g: field '%s' would be an output field twice", e->group_names[i]);
	}
	if (!e->conf->partial)
		for (size_t m = 0; m < e->nmetrics; m++) {
			const char *c = e->metrics[m].column;
			cx_keys_intern(&seen, c, strlen(c), &added);
			if (!added)
				cx_usage_error("metric '%s' has the name of a -g field or of 'period'", c);
		}
	cx_keys_free(&seen);
}

static void free_engine(struct engine *e)
{
	for (size_t g = 0; g < e->keys.n; g++)
		for (size_t v = 0; v < e->nvecs; v++)
			free(e->vecs[g * e->nvecs + v].v);
	for (size_t s = 0; s < e->nstats; s++) {
		free(e->stats[s].spec);
		free(e->stats[s].owned);
	}
	for (size_t i = 0; i < e->nsets; i++)
		cx_keys_free(&e->sets[i]);
	for (size_t g = 0; g < e->keys.n; g++) {
		for (size_t i = 0; i < e->nsets; i++)
			free(e->hll[g * e->nsets + i]);
		for (size_t i = 0; i < e->nsk; i++)
			cx_sketch_free(&e->sk[g * e->nsk + i]);
	}
	free(e->hll);
	free(e->sk);
	for (size_t m = 0; m < e->nmetrics; m++)
		free(e->metrics[m].column);
	free(e->sets);
	free(e->stats);
	free(e->metrics);
	free(e->d);
	free(e->vecs);
	free(e->distinct_n);
	cx_keys_free(&e->customers);
	cx_keys_free(&e->sla_keys);
	free(e->sla_target);
	free(e->sla_key);
	free(e->ev_cust);
	free(e->ev_gid);
	free(e->ev_time);
	free(e->ev_w);
	free(e->period);
	free(e->denom);
	free(e->has_denom);
	free(e->is_total);
	free(e->group);
	free(e->block_total);
	if (e->group_names)
		cx_free_list(e->group_names, e->ngroup);
	if (e->det_names)
		cx_free_list(e->det_names, e->ndet_names);
	cx_keys_free(&e->keys);
	cx_buf_free(&e->scratch);
	cx_buf_free(&e->scratch2);
}

int cx_metrics_run(const cx_metrics_conf *c, cx_reader *r, cx_output *o)
{
	struct engine e = { .conf = c, .r = r, .repeat_stat = -1 };
	/* GSL's default handler aborts; every call here has checked input. */
	gsl_set_error_handler_off();
	e.time_name = c->time_field ? c->time_field : cx_canon("created_at");
	/* Checked whether pain_index is asked for or not: a bad option value
	 * is an error either way. */
	cx_buf why = CX_BUF_INIT;
	if (cx_pain_weights(c->pain_weights, e.pain_w, &why) < 0)
		cx_usage_error("%s", why.p);
	cx_buf_free(&why);
	if (c->group && *c->group)
		e.group_names = cx_split_list(c->group, &e.ngroup);
	size_t nwords;
	char **words = cx_split_list(c->metrics ? c->metrics : default_metrics, &nwords);
	for (size_t i = 0; i < nwords; i++)
		parse_metric(&e, words[i]);
	e.sets = cx_calloc(e.nsets + 1, sizeof *e.sets);
	check_columns(&e);

	if (c->rejects && !c->merge) {
		e.rej = cx_output_open(c->rejects);
		cx_out_s(e.rej, "file\tline\treason\traw");
		cx_out_eol(e.rej);
	}
	if (c->merge)
		read_partials(&e);
	else
		read_records(&e);
	if (!c->partial)
		compute_repeats(&e);
	if (c->per)
		read_denominators(&e);
	if (c->fill)
		fill(&e);
	if (c->totals && e.ngroup && !c->partial)
		totals(&e);

	write_header(&e, o);
	write_rows(&e, o);

	for (size_t s = 0; s < e.nstats; s++) {
		const struct stat *st = &e.stats[s];
		if (st->negative)
			cx_warn_at(st->neg_file, st->neg_line,
				   "%llu row%s with %s before %s left out of the metrics of that "
				   "duration (the first is here)",
				   st->negative, st->negative == 1 ? "" : "s", st->fname[0], st->fname[1]);
	}
	if (e.no_sla > 0)
		cx_warn("%.0f time%s a complaint's %s had no target in %s: left out of that SLA metric",
			e.no_sla, e.no_sla == 1 ? "" : "s", e.sla_key, c->sla_file);
	if (e.rej) {
		cx_output_close(e.rej);
		if (e.rejected)
			cx_warn("%llu row%s without a usable %s set aside in %s", e.rejected,
				e.rejected == 1 ? "" : "s", e.time_name, c->rejects);
	}
	cx_free_list(words, nwords);
	free_engine(&e);
	return CX_EXIT_OK;
}
