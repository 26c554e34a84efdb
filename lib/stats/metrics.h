/*
 * metrics: complaint KPIs by period and group, in one pass (the engine of
 * cx-metrics).
 *
 * Every metric is a row of one table (metrics.c): its name, its formula
 * in words (what --list prints and the man page shows), the statistics it
 * needs, and the function that turns those statistics into the printed
 * value.  Statistics are mergeable by construction: counts and sums add,
 * minima and maxima compare, value lists and distinct sets concatenate.
 * That is what lets --partial write them out and --merge read them back
 * into exactly the result of a single pass.
 *
 * A pass: for each record, its period (the time field bucketed in the
 * --tz zone) and its group values form a key; the key's state is found in
 * a cx_keys table (made on first sight) and each statistic is updated.  At
 * the end the groups are sorted by period, then by group values, and one
 * row is written per group.
 *
 * Memory: the engine owns all state.  It grows with the number of groups;
 * metrics that need every value (median, pNN, exact distinct counts, SLA
 * deadlines still open) keep those values per group, and say so in --list.
 */
#ifndef CX_METRICS_H
#define CX_METRICS_H

#include <stddef.h>

#include "core/cxtime.h"
#include "io/output.h"
#include "io/stream.h"

typedef struct cx_metrics_conf {
	int all_time;		/* -p all: one period */
	enum cx_unit unit;
	const char *time_field;	/* default created_at */
	const char *group;	/* comma list, or NULL */
	const char *metrics;	/* comma list, or NULL for the default set */
	const char *deteriorated;	/* flag fields, default "escalated" */
	const char *count_field;	/* pre-aggregated input: rows stand for N */
	const char *customer_field;	/* default customer_id */
	const char *rejects;	/* rows without a usable time go here */
	int totals;
	int fill;
	int precision;		/* decimals of non-count values */
	double ci;		/* --ci LEVEL in percent (95), or 0 */
	long long sla_first;	/* seconds, or 0 */
	long long sla_resolve;	/* seconds, or 0 */
	const char *sla_file;	/* --sla FILE: targets per value of a field */
	int now_set;
	cx_instant now;		/* for SLA and open: default latest time seen */
	const char *per;	/* --per FILE: denominators */
	const char *per_field;	/* their column, default orders */
	double scale;		/* complaint_rate per this many, default 1000 */
	long long repeat_window;	/* seconds, default 30 days */
	const char *pain_weights;	/* --pain-weights "NAME=W,...", or NULL */
	const char *sentiment_field;	/* given: required; NULL: "sentiment" if present */
	long long maturation;	/* --maturation: seconds, or 0 for no provisional column */
	int sketch;		/* quantiles from DDSketches (1% relative error) */
	double exact_distinct;	/* distinct counts exact up to this many per group */
	int partial;		/* write mergeable statistics */
	int merge;		/* read statistics instead of records */
} cx_metrics_conf;

/*
 * pain_index: a weighted mean of components that each lie in [0, 1].  The
 * default weights are one table in metrics.c; --list prints them.
 */
enum cx_pain_part {
	CX_PAIN_VOLUME,		/* share */
	CX_PAIN_DETERIORATION,	/* deterioration_rate */
	CX_PAIN_REPEAT,		/* repeat_rate */
	CX_PAIN_SLA,		/* 1 - sla_met_rate */
	CX_PAIN_NEGATIVE,	/* share of sentiment < 0 */
	CX_PAIN_NPARTS
};

/* The weights of --pain-weights SPEC ("deterioration=3,sla=0"; NULL for
 * none) over the defaults, into w[CX_PAIN_NPARTS].  Returns 0, or -1 with
 * the reason in *why (an unknown or repeated name, a weight that is not a
 * number from 0 to 1000000, every weight 0). */
int cx_pain_weights(const char *spec, double *w, cx_buf *why);

/* 100 x sum(w[k] c[k]) / sum(w[k]) over the components with w[k] > 0 and
 * c[k] a number (NaN: not defined for the group); NaN if there is none. */
double cx_pain_index(const double *c, const double *w);

/* Print the metric table (--list) to o. */
void cx_metrics_list(cx_output *o);

/* The whole run: read r, write the result (or the partial statistics)
 * to o.  Returns the exit status.  Dies on bad data with no output. */
int cx_metrics_run(const cx_metrics_conf *c, cx_reader *r, cx_output *o);

#endif
