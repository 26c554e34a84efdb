/*
 * trend: measures over a series per group (the engine of cx-trend).
 *
 * The input is a small table: one row per period and group, such as
 * cx-metrics writes.  The engine reads it whole, sorts the rows of each
 * group by period, fills the periods missing between a group's first and
 * last one, and computes for every value column V the measures asked for:
 * period over period, year over year, runs, moving averages, slopes,
 * control limits, significance tests and a one-step forecast.
 *
 * Every measure group is a row of one table (trend_measures.c): its name, the
 * columns it adds (V_prev, V_pop_pct, ...), the formula of each column in
 * words (what --list prints and the man page shows) and the function that
 * computes them over one group's series.  The statistical kernels are
 * exported below for the unit tests.
 *
 * Memory: the engine owns everything.  It holds the whole table: each
 * input line (escaped, as read) and, per value column, a few doubles per
 * period of each group's series.  That is periods x groups rows, small by
 * construction; rows are not streamed.
 */
#ifndef CX_TREND_H
#define CX_TREND_H

#include <stddef.h>

#include "io/output.h"
#include "io/stream.h"

enum cx_alt { CX_ALT_TWO_SIDED, CX_ALT_GREATER, CX_ALT_LESS };

typedef struct cx_trend_conf {
	const char *values;	/* -v: comma list of value columns (required) */
	const char *group;	/* -g: comma list, or NULL */
	const char *period_field;	/* -p: default "period" */
	const char *measures;	/* -m: comma list of groups, or NULL (default set) */
	const char *counts;	/* --counts: the count columns, or NULL (guess) */
	const char *denominator;	/* --denominator FIELD, or NULL */
	int ma;			/* --ma K, 0 if not given */
	int has_ewma;
	double ewma;		/* --ewma A */
	int slope;		/* --slope K, 0 if not given */
	int baseline;		/* --baseline K, default 8 */
	double holt_a, holt_b;	/* --holt A,B, default 0.5,0.3 */
	double hw_gamma;	/* seasonal smoothing, 0.3 */
	enum cx_alt alt;	/* --alternative */
	int precision;		/* decimals, default 4 */
} cx_trend_conf;

/* Print the measure table (--list) to o. */
void cx_trend_list(cx_output *o);

/* The whole run: read r, write the table to o.  Returns the exit status.
 * Dies on bad data before writing anything. */
int cx_trend_run(const cx_trend_conf *c, cx_reader *r, cx_output *o);

/* ---- kernels (NaN when undefined) ---- */

/* Exact conditional test of two Poisson counts: y now with exposure ey,
 * x before with exposure ex; Y | X+Y ~ Binomial(x+y, ey/(ey+ex)). */
double cx_trend_poisson_test(double y, double ey, double x, double ex, enum cx_alt alt);
/* Two proportions, x1/n1 now against x0/n0 before: Fisher's exact test when
 * an expected cell is below 5, else the pooled z-test. */
double cx_trend_prop_test(double x1, double n1, double x0, double n0, enum cx_alt alt);
double cx_trend_fisher(unsigned x1, unsigned n1, unsigned x0, unsigned n0, enum cx_alt alt);
/* Least-squares slope of y[0..n) against 0..n-1 and the two-sided p-value
 * of slope = 0 (t, n-2 df).  Returns 0, or -1 if n < 3. */
int cx_trend_slope(const double *y, size_t n, double *slope, double *p);
/* One-step-ahead forecasts f[t] of x[t] from x[0..t) (Holt's linear trend,
 * Holt-Winters additive with season m > 0 once 2 seasons are past), and
 * the prediction interval half-width h[t] (1.96 x RMS of the earlier
 * one-step errors); NaN where there is not enough history. */
void cx_trend_forecast(const double *x, size_t n, double a, double b, double g, size_t m,
		       double *f, double *h);

#endif
