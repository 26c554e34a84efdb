/*
 * metrics.c: the metrics cx-metrics knows, as one table (metric_defs):
 * for each its name, its formula in words, how it plans the statistics it
 * needs and how it turns them into the printed value.  A metric over the
 * existing kinds of statistic is added here alone (its PLAN, its FINISH
 * and its row): the rest of the engine walks statistics and calls FINISH
 * functions, and knows no metric by name.  Also here: the pain_index
 * weights, --list, and the --ci intervals of the rates.
 */
#include "stats/metrics.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/opt.h"
#include "stats/hll.h"
#include "stats/metrics_int.h"
#include "stats/sketch.h"

/* ---- reading statistics ---- */

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

PLAN(complaints) { m->a = metrics_stat_n(e); }
FINISH(complaints) { put_count(e, n_of(e, gid, m->a), out); }

PLAN(share) { m->a = metrics_stat_n(e); }
/* block_total: the complaints of the period's groups, summed by
 * metrics_write_rows() at the start of each period. */
static struct frac share_frac(const struct engine *e, size_t gid, int n)
{
	return (struct frac){ n_of(e, gid, n), e->block_total[n] };
}
FINISH(share) { put_frac(e, share_frac(e, gid, m->a), out); }

PLAN(customers) { m->a = metrics_stat_distinct(e, "customer_id", 1); }
FINISH(distinct)
{
	size_t i = gid * e->nsets + e->stats[m->a].set;
	if (e->hll[i])
		put_count(e, round(cx_hll_count(e->hll[i])), out);
	else
		put_count(e, e->distinct_n[i], out);
}

PLAN(deteriorated) { m->a = metrics_stat_deteriorated(e); }
FINISH(flag_count) { put_count(e, gd(e, gid, m->a)[0], out); }

PLAN(deterioration_rate) { m->a = metrics_stat_deteriorated(e); m->b = metrics_stat_n(e); }
/* Over all complaints, those whose flags are empty included. */
static struct frac deterioration_frac(const struct engine *e, size_t gid, int det, int n)
{
	return (struct frac){ gd(e, gid, det)[0], n_of(e, gid, n) };
}
FINISH(flag_rate) { put_frac(e, deterioration_frac(e, gid, m->a, m->b), out); }

PLAN(reopen_rate) { m->a = metrics_stat_flag(e, "reopened"); }
FINISH(reopen_rate)
{
	/* Rows whose reopened flag is missing say nothing either way. */
	put_ratio(e, gd(e, gid, m->a)[0], gd(e, gid, m->a)[1], out);
}

PLAN(fcr_rate)
{
	const char *f[3] = { metrics_need_field(e, "resolved_at"), metrics_need_field(e, "reopened"),
			     metrics_need_field(e, "escalated") };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "fcr:%s,%s,%s", f[0], f[1], f[2]);
	m->a = metrics_add_stat(e, ST_FCR, spec.p, f, 3, 0);
	cx_buf_free(&spec);
}
FINISH(fcr_rate) { put_ratio(e, gd(e, gid, m->a)[0], gd(e, gid, m->a)[1], out); }

PLAN(frt_mean) { m->a = metrics_stat_dur(e, "first_response_at", 0); }
FINISH(dur_mean_minutes)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, metrics_val_sum(e, gid, m->a) / 60.0, v[VAL_COUNT], out);
}

PLAN(frt_quantile) { m->a = metrics_stat_dur(e, "first_response_at", 1); }
FINISH(dur_quantile_minutes) { put_quantile(e, gid, m->a, m->q, 60.0, out); }

PLAN(resolution_quantile) { m->a = metrics_stat_dur(e, "resolved_at", 1); }
FINISH(dur_quantile_hours) { put_quantile(e, gid, m->a, m->q, 3600.0, out); }

PLAN(resolution_mean) { m->a = metrics_stat_dur(e, "resolved_at", 0); }
FINISH(dur_mean_hours)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, metrics_val_sum(e, gid, m->a) / 3600.0, v[VAL_COUNT], out);
}

PLAN(open)
{
	const char *f[2] = { metrics_need_field(e, "resolved_at"), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "open:%s", f[0]);
	m->a = metrics_add_stat(e, ST_OPEN, spec.p, f, 2, 0);
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
	const char *f[3] = { metrics_need_field(e, resolve ? "resolved_at" : "first_response_at"),
			     e->time_name, from_file ? e->sla_key : NULL };
	cx_buf spec = CX_BUF_INIT;
	if (from_file)
		cx_buf_addf(&spec, "sla:%s-%s<=by:%s", f[0], f[1], e->sla_key);
	else
		cx_buf_addf(&spec, "sla:%s-%s<=%lld", f[0], f[1], flag);
	int s = metrics_add_stat(e, ST_SLA, spec.p, f, from_file ? 3 : 2, 1);
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

PLAN(csat_avg) { m->a = metrics_stat_val(e, "csat", 1, 0); }
FINISH(val_mean)
{
	const double *v = gd(e, gid, m->a);
	put_ratio(e, metrics_val_sum(e, gid, m->a), v[VAL_COUNT], out);
}

/* Ratings counted against thresholds: three numbers per group, however
 * many ratings. */
static int stat_score(struct engine *e, const char *canonical, double hi_at, double lo_at)
{
	const char *f = metrics_need_field(e, canonical);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "score:%s>=%g<=%g", f, hi_at, lo_at);
	int s = metrics_add_stat(e, ST_SCORE, spec.p, &f, 1, 0);
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
	m->a = metrics_stat_n(e);
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
 * end (metrics_compute_repeats). */
static int stat_repeat(struct engine *e)
{
	const char *f[2] = { metrics_need_field(e, "customer_id"), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "repeat:%s<=%lld", f[0], e->conf->repeat_window);
	int s = metrics_add_stat(e, ST_REPEAT, spec.p, f, 2, 0);
	e->repeat_stat = s;
	cx_buf_free(&spec);
	return s;
}
PLAN(repeat) { m->a = stat_repeat(e); m->b = metrics_stat_n(e); }
FINISH(repeat) { put_count(e, gd(e, gid, m->a)[0], out); }
static struct frac repeat_frac(const struct engine *e, size_t gid, int rep, int n)
{
	return (struct frac){ gd(e, gid, rep)[0], n_of(e, gid, n) };
}
FINISH(repeat_rate) { put_frac(e, repeat_frac(e, gid, m->a, m->b), out); }

/* Any field. */
PLAN(count) { m->a = metrics_stat_n(e); }

/* count:F=V and rate:F=V */
PLAN(match)
{
	const char *eq = strchr(m->arg, '=');
	if (!eq || eq == m->arg)
		cx_usage_error("metric '%s': expected FIELD=VALUE after ':'", m->column);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "match:%s", m->arg);
	/* The field name is the part before '='; kept in the spec's copy. */
	int s = metrics_add_stat(e, ST_MATCH, spec.p, NULL, 0, 0);
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
	m->b = metrics_stat_n(e);
}
FINISH(match_count) { put_count(e, gd(e, gid, m->a)[0], out); }
FINISH(match_rate) { put_ratio(e, gd(e, gid, m->a)[0], n_of(e, gid, m->b), out); }
PLAN(sum) { m->a = metrics_stat_val(e, m->arg, 0, 0); }
FINISH(val_sum)
{
	const double *v = gd(e, gid, m->a);
	if (v[VAL_COUNT] > 0)
		put_value(e, metrics_val_sum(e, gid, m->a), out);
}
PLAN(mean) { m->a = metrics_stat_val(e, m->arg, 0, 0); }
PLAN(minmax) { m->a = metrics_stat_val(e, m->arg, 0, 0); }
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
PLAN(quantile) { m->a = metrics_stat_val(e, m->arg, 0, 1); }
FINISH(val_quantile) { put_quantile(e, gid, m->a, m->q, 1.0, out); }
PLAN(distinct) { m->a = metrics_stat_distinct(e, m->arg, 0); }
PLAN(share_of) { m->a = metrics_stat_val(e, m->arg, 0, 0); }
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
		s = metrics_add_stat(e, ST_NEG, col.p + 1, &f, 1, 0);
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
	m->a = metrics_stat_n(e);	/* volume, and the denominator of the rates */
	for (int k = 0; k < CX_PAIN_NPARTS; k++)
		st[k] = -1;
	if (w[CX_PAIN_VOLUME] > 0)
		st[CX_PAIN_VOLUME] = m->a;
	if (w[CX_PAIN_DETERIORATION] > 0)
		st[CX_PAIN_DETERIORATION] = metrics_stat_deteriorated(e);
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
		put_ratio(e, metrics_val_sum(e, gid, m->a), e->block_total[m->a], out);
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


/* Look a metric up by the name written in -m: "complaints", "p90:csat". */
void metrics_parse_metric(struct engine *e, const char *word)
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
void metrics_put_interval(struct engine *e, const struct metric *m, cx_buf *out)
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

