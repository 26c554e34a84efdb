#include "stats/trend.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
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
/* Kernels                                                              */

/* Counts reach GSL as unsigned int: anything else is "not a count". */
static int as_count(double v, unsigned *out)
{
	if (!isfinite(v) || v < 0 || v > (double)UINT_MAX || v != floor(v))
		return 0;
	*out = (unsigned)v;
	return 1;
}

static double combine(double less, double greater, enum cx_alt alt)
{
	switch (alt) {
	case CX_ALT_GREATER: return greater;
	case CX_ALT_LESS: return less;
	default: break;
	}
	double p = 2 * (less < greater ? less : greater);
	return p > 1 ? 1 : p;
}

double cx_trend_poisson_test(double y, double ey, double x, double ex, enum cx_alt alt)
{
	unsigned uy, ux;
	if (!as_count(y, &uy) || !as_count(x, &ux) || !(ey > 0) || !(ex > 0) ||
	    !isfinite(ey) || !isfinite(ex) || y + x > (double)UINT_MAX)
		return NAN;
	unsigned n = uy + ux;
	double pi = ey / (ey + ex);
	/* gsl_cdf_binomial_Q(k) is P(Y > k): P(Y >= y) needs k = y - 1, and
	 * there is no k below 0 (domain.md 2.1). */
	double greater = uy == 0 ? 1.0 : gsl_cdf_binomial_Q(uy - 1, pi, n);
	double less = gsl_cdf_binomial_P(uy, pi, n);
	return combine(less, greater, alt);
}

double cx_trend_fisher(unsigned x1, unsigned n1, unsigned x0, unsigned n0, enum cx_alt alt)
{
	/* K, the successes of the current row, is hypergeometric: t draws
	 * from n1 items of the current period and n0 of the reference. */
	unsigned t = x1 + x0;
	double greater = x1 == 0 ? 1.0 : gsl_cdf_hypergeometric_Q(x1 - 1, n1, n0, t);
	double less = gsl_cdf_hypergeometric_P(x1, n1, n0, t);
	if (alt != CX_ALT_TWO_SIDED)
		return alt == CX_ALT_GREATER ? greater : less;
	/* Two-sided as R's fisher.test: the tables no more likely than the
	 * observed one, with R's relative tolerance 1e-7. */
	double d0 = gsl_ran_hypergeometric_pdf(x1, n1, n0, t) * (1 + 1e-7);
	unsigned lo = t > n0 ? t - n0 : 0, hi = t < n1 ? t : n1;
	double p = 0;
	for (unsigned k = lo;; k++) {
		double d = gsl_ran_hypergeometric_pdf(k, n1, n0, t);
		if (d <= d0)
			p += d;
		if (k == hi)
			break;
	}
	return p > 1 ? 1 : p;
}

double cx_trend_prop_test(double x1, double n1, double x0, double n0, enum cx_alt alt)
{
	unsigned ux1, un1, ux0, un0;
	if (!as_count(x1, &ux1) || !as_count(n1, &un1) || !as_count(x0, &ux0) ||
	    !as_count(n0, &un0) || un1 == 0 || un0 == 0 || ux1 > un1 || ux0 > un0 ||
	    n1 + n0 > (double)UINT_MAX)
		return NAN;
	double n = n1 + n0, s = x1 + x0, f = n - s;
	double emin = fmin(fmin(n1 * s, n1 * f), fmin(n0 * s, n0 * f)) / n;
	if (emin < 5)
		return cx_trend_fisher(ux1, un1, ux0, un0, alt);
	double pp = s / n;
	double se = sqrt(pp * (1 - pp) * (1 / n1 + 1 / n0));
	double z = (x1 / n1 - x0 / n0) / se;
	return combine(gsl_cdf_ugaussian_Q(-z), gsl_cdf_ugaussian_Q(z), alt);
}

int cx_trend_slope(const double *y, size_t n, double *slope, double *p)
{
	if (n < 3)
		return -1;
	double *x = cx_malloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)i;
	double c0, c1, cov00, cov01, cov11, sumsq;
	gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	free(x);
	*slope = c1;
	if (!(cov11 > 0))	/* a perfect fit: no doubt about the slope */
		*p = c1 == 0 ? 1.0 : 0.0;
	else
		*p = 2 * gsl_cdf_tdist_Q(fabs(c1) / sqrt(cov11), (double)(n - 2));
	if (*p > 1)
		*p = 1;
	return 0;
}

void cx_trend_forecast(const double *x, size_t n, double a, double b, double g, size_t m,
		       double *f, double *h)
{
	for (size_t t = 0; t < n; t++)
		f[t] = h[t] = NAN;
	/* Holt: start at the first two consecutive values, l = x1, b = x1 - x0
	 * (as R's HoltWinters), forecast l + b.  A missing value advances the
	 * state by its own forecast. */
	size_t t0 = 0;
	while (t0 + 1 < n && (isnan(x[t0]) || isnan(x[t0 + 1])))
		t0++;
	double *fh = cx_malloc((n + 1) * sizeof *fh);
	for (size_t t = 0; t < n; t++)
		fh[t] = NAN;
	if (t0 + 1 < n) {
		double lev = x[t0 + 1], tr = x[t0 + 1] - x[t0];
		for (size_t t = t0 + 2; t < n; t++) {
			fh[t] = lev + tr;
			if (isnan(x[t])) {
				lev += tr;
				continue;
			}
			double nl = a * x[t] + (1 - a) * (lev + tr);
			tr = b * (nl - lev) + (1 - b) * tr;
			lev = nl;
		}
	}
	/* Holt-Winters additive, started from the first two seasons: b = (mean
	 * of season 2 - mean of season 1) / m. */
	double *fw = NULL;
	if (m >= 2 && n > 2 * m) {
		int ok = 1;
		for (size_t t = 0; t < 2 * m; t++)
			ok &= !isnan(x[t]);
		if (ok) {
			double m1 = 0, m2 = 0;
			for (size_t j = 0; j < m; j++) {
				m1 += x[j];
				m2 += x[m + j];
			}
			m1 /= (double)m;
			m2 /= (double)m;
			/* The mean of season 1 is the level at its middle,
			 * (m - 1) / 2: the seasonal terms are what the trend
			 * line through it leaves, and the level starts at the
			 * line's value at the season's end. */
			double tr = (m2 - m1) / (double)m, mid = (double)(m - 1) / 2;
			double *s = cx_malloc(m * sizeof *s);
			for (size_t j = 0; j < m; j++)
				s[j] = x[j] - (m1 + tr * ((double)j - mid));
			double lev = m1 + tr * mid;
			fw = cx_malloc(n * sizeof *fw);
			for (size_t t = 0; t < n; t++)
				fw[t] = NAN;
			for (size_t t = m; t < n; t++) {
				size_t j = t % m;
				fw[t] = lev + tr + s[j];
				if (isnan(x[t])) {
					lev += tr;
					continue;
				}
				double nl = a * (x[t] - s[j]) + (1 - a) * (lev + tr);
				tr = b * (nl - lev) + (1 - b) * tr;
				s[j] = g * (x[t] - nl) + (1 - g) * s[j];
				lev = nl;
			}
			free(s);
		}
	}
	/* The interval: 1.96 x the root mean square of the one-step errors
	 * before t, of the same method; at least two of them. */
	double sh = 0, sw = 0;
	size_t kh = 0, kw = 0;
	for (size_t t = 0; t < n; t++) {
		if (fw && t >= 2 * m) {
			if (kw >= 2) {
				f[t] = fw[t];
				h[t] = 1.96 * sqrt(sw / (double)kw);
			}
		} else if (kh >= 2) {
			f[t] = fh[t];
			h[t] = 1.96 * sqrt(sh / (double)kh);
		}
		if (!isnan(x[t]) && !isnan(fh[t])) {
			sh += (x[t] - fh[t]) * (x[t] - fh[t]);
			kh++;
		}
		if (fw && !isnan(x[t]) && !isnan(fw[t])) {
			sw += (x[t] - fw[t]) * (x[t] - fw[t]);
			kw++;
		}
	}
	free(fh);
	free(fw);
}

/* ------------------------------------------------------------------ */
/* The engine's data                                                    */

/* What a value column is; decides gaps, charts and tests. */
enum vkind {
	VK_COUNT,	/* integers: Poisson; c-chart; a gap is 0 */
	VK_PROP,	/* a rate in [0, 1] with --denominator: x / n; p-chart */
	VK_RATE,	/* any other rate with --denominator: c / n; u-chart */
	VK_PLAIN,	/* a rate without a denominator: individuals chart, no test */
};

struct vcol {
	const char *name;
	size_t field;
	int decimal_seen;	/* a value with '.', 'e' or 'E' */
	int outside_unit;	/* a value outside [0, 1] */
	long odd_row;		/* the first row whose value no count can be, or -1 */
	enum vkind kind;
	int exposure;		/* counts: --denominator gives the exposures */
};

struct row {
	size_t off, len;	/* the line in the arena */
	uint32_t gid, file;
	int64_t period;
	long line;
};

struct engine {
	const cx_trend_conf *conf;
	cx_reader *r;
	enum cx_unit unit;
	size_t pfield;
	size_t *gfields, ngroup;
	struct vcol *v;
	size_t nv;
	long dfield;		/* --denominator, or -1 */
	long dvcol;		/* the value column that is the denominator, or -1 */
	const struct measure_def *on[16];
	size_t non;
	size_t ncols;		/* output columns per value column */

	cx_keys groups, files;
	cx_buf arena, scratch, scratch2, key, out;
	struct row *rows;
	double *vals;		/* nrows x nv */
	double *den;		/* nrows */
	size_t nrows, cap;
};

/* One value column of one group, densely by period. */
struct series {
	const struct engine *e;
	const struct vcol *v;
	const double *x;	/* T values, NaN = missing */
	const double *n;	/* T denominators, NaN = missing */
	size_t T;
	int64_t first;		/* period index of x[0] */
};

/* ------------------------------------------------------------------ */
/* Measures: one row each                                               */

enum fmt {
	F_SAME,		/* like the value: an integer for a count column */
	F_INT,		/* always an integer */
	F_DEC,		/* --precision decimals */
};

#define MAXC 4

struct measure_def {
	const char *name;
	const char *cols[MAXC];
	const char *formulas[MAXC];
	enum fmt fmt[MAXC];
	int dflt;		/* in the default set */
	void (*compute)(const struct series *s, double **out);
};

#define COMPUTE(name) static void compute_##name(const struct series *s, double **out)

COMPUTE(prev)
{
	for (size_t t = 0; t < s->T; t++)
		out[0][t] = t ? s->x[t - 1] : NAN;
}

COMPUTE(pop)
{
	for (size_t t = 0; t < s->T; t++) {
		double p = t ? s->x[t - 1] : NAN;
		out[0][t] = s->x[t] - p;
		out[1][t] = p != 0 ? (s->x[t] - p) / p * 100 : NAN;
	}
}

/* The index in the series of the same period a year before, or -1. */
static long year_ago(const struct series *s, size_t t)
{
	cx_period p = { s->e->unit, s->first + (int64_t)t }, q;
	if (cx_period_year_ago(p, &q) < 0 || q.index < s->first)
		return -1;
	return (long)(q.index - s->first);
}

COMPUTE(yoy)
{
	for (size_t t = 0; t < s->T; t++) {
		long k = year_ago(s, t);
		double p = k < 0 ? NAN : s->x[k];
		out[0][t] = p;
		out[1][t] = p != 0 ? (s->x[t] - p) / p * 100 : NAN;
	}
}

COMPUTE(run)
{
	for (size_t t = 0; t < s->T; t++) {
		double x = s->x[t], p = t ? s->x[t - 1] : NAN;
		if (isnan(x)) {
			out[0][t] = out[1][t] = NAN;
			continue;
		}
		out[0][t] = x > p ? out[0][t - 1] + 1 : 0;
		out[1][t] = x < p ? out[1][t - 1] + 1 : 0;
	}
}

COMPUTE(ma)
{
	size_t k = (size_t)s->e->conf->ma;
	for (size_t t = 0; t < s->T; t++) {
		out[0][t] = NAN;
		if (t + 1 < k)
			continue;
		double sum = 0;
		for (size_t i = t + 1 - k; i <= t; i++)
			sum += s->x[i];
		out[0][t] = sum / (double)k;	/* NaN if one is missing */
	}
}

COMPUTE(ewma)
{
	double a = s->e->conf->ewma, z = NAN;
	for (size_t t = 0; t < s->T; t++) {
		double x = s->x[t];
		if (!isnan(x))
			z = isnan(z) ? x : a * x + (1 - a) * z;
		out[0][t] = isnan(x) ? NAN : z;
	}
}

COMPUTE(slope)
{
	size_t k = (size_t)s->e->conf->slope;
	for (size_t t = 0; t < s->T; t++) {
		out[0][t] = out[1][t] = NAN;
		if (t + 1 < k)
			continue;
		const double *y = s->x + (t + 1 - k);
		int ok = 1;
		for (size_t i = 0; i < k; i++)
			ok &= !isnan(y[i]);
		if (ok)
			cx_trend_slope(y, k, &out[0][t], &out[1][t]);
	}
}

COMPUTE(chart)
{
	size_t k = (size_t)s->e->conf->baseline;
	for (size_t t = 0; t < s->T; t++) {
		out[0][t] = out[1][t] = out[2][t] = out[3][t] = NAN;
		if (t < k)
			continue;
		const double *b = s->x + (t - k), *bn = s->n + (t - k);
		double sum = 0, nsum = 0, mr = 0, centre, sigma;
		for (size_t i = 0; i < k; i++) {
			sum += s->v->kind == VK_COUNT || s->v->kind == VK_PLAIN ? b[i] : b[i] * bn[i];
			nsum += bn[i];
			if (i)
				mr += fabs(b[i] - b[i - 1]);
		}
		int floor0 = 1;
		switch (s->v->kind) {
		case VK_COUNT:	/* c-chart */
			centre = sum / (double)k;
			sigma = sqrt(centre);
			break;
		case VK_RATE:	/* u-chart */
			centre = nsum > 0 ? sum / nsum : NAN;
			sigma = sqrt(centre / s->n[t]);
			break;
		case VK_PROP:	/* p-chart */
			centre = nsum > 0 ? sum / nsum : NAN;
			sigma = sqrt(centre * (1 - centre) / s->n[t]);
			break;
		default:	/* individuals: sigma from the mean moving range */
			centre = sum / (double)k;
			sigma = mr / (double)(k - 1) / 1.128;
			floor0 = 0;
			break;
		}
		if (isnan(centre))
			continue;
		out[0][t] = centre;
		if (!isfinite(sigma))
			continue;
		double lcl = centre - 3 * sigma;
		out[1][t] = floor0 && lcl < 0 ? 0 : lcl;
		out[2][t] = centre + 3 * sigma;
		/* A flat baseline (all zeros): limits, but no z. */
		out[3][t] = sigma > 0 ? (s->x[t] - centre) / sigma : NAN;
	}
}

/* p of period t against period k of the same series. */
static double test_against(const struct series *s, size_t t, long k)
{
	if (k < 0)
		return NAN;
	enum cx_alt alt = s->e->conf->alt;
	double y = s->x[t], x = s->x[k], ny = s->n[t], nx = s->n[k];
	switch (s->v->kind) {
	case VK_COUNT:
		if (!s->v->exposure)
			ny = nx = 1;
		return cx_trend_poisson_test(y, ny, x, nx, alt);
	case VK_RATE:	/* counts back from the rates, to the nearest integer */
		return cx_trend_poisson_test(round(y * ny), ny, round(x * nx), nx, alt);
	case VK_PROP:
		return cx_trend_prop_test(round(y * ny), ny, round(x * nx), nx, alt);
	default:
		return NAN;
	}
}

COMPUTE(test)
{
	for (size_t t = 0; t < s->T; t++) {
		out[0][t] = test_against(s, t, (long)t - 1);
		out[1][t] = test_against(s, t, year_ago(s, t));
	}
}

static size_t season_of(enum cx_unit u)
{
	switch (u) {
	case CX_HOUR: return 24;
	case CX_DAY: return 7;
	case CX_WEEK: return 52;
	case CX_MONTH: return 12;
	case CX_QUARTER: return 4;
	default: return 0;
	}
}

COMPUTE(forecast)
{
	const cx_trend_conf *c = s->e->conf;
	double *h = cx_malloc(s->T * sizeof *h);
	cx_trend_forecast(s->x, s->T, c->holt_a, c->holt_b, c->hw_gamma, season_of(s->e->unit),
			  out[0], h);
	for (size_t t = 0; t < s->T; t++) {
		out[1][t] = out[0][t] - h[t];
		out[2][t] = out[0][t] + h[t];
		double x = s->x[t];
		out[3][t] = isnan(x) || isnan(h[t]) ? NAN : (x < out[1][t] || x > out[2][t]);
	}
	free(h);
}

static const struct measure_def measure_defs[] = {
	{ .name = "prev", .dflt = 1, .compute = compute_prev,
	  .cols = { "prev" }, .fmt = { F_SAME },
	  .formulas = { "V of the period before (empty for the first)" } },
	{ .name = "pop", .dflt = 1, .compute = compute_pop,
	  .cols = { "pop_delta", "pop_pct" }, .fmt = { F_SAME, F_DEC },
	  .formulas = { "V - prev", "(V - prev) / prev x 100; empty when prev is 0 or missing" } },
	{ .name = "yoy", .dflt = 1, .compute = compute_yoy,
	  .cols = { "yoy_prev", "yoy_pct" }, .fmt = { F_SAME, F_DEC },
	  .formulas = { "V of the same period a year before (ISO week, month, quarter; day, hour); none for week 53 and Feb 29",
			"(V - yoy_prev) / yoy_prev x 100; empty when yoy_prev is 0 or missing" } },
	{ .name = "run", .dflt = 1, .compute = compute_run,
	  .cols = { "rise_run", "fall_run" }, .fmt = { F_INT, F_INT },
	  .formulas = { "periods in a row up to this one with V > the period before's (0: did not rise)",
			"periods in a row up to this one with V < the period before's (0: did not fall)" } },
	{ .name = "ma", .compute = compute_ma,
	  .cols = { "ma" }, .fmt = { F_DEC },
	  .formulas = { "mean of V over the last --ma K periods, this one included (empty until K)" } },
	{ .name = "ewma", .compute = compute_ewma,
	  .cols = { "ewma" }, .fmt = { F_DEC },
	  .formulas = { "z = A x V + (1 - A) x z of the period before, started at the first V (--ewma A)" } },
	{ .name = "slope", .compute = compute_slope,
	  .cols = { "slope", "slope_p" }, .fmt = { F_DEC, F_DEC },
	  .formulas = { "least-squares slope of V per period over the last --slope K periods",
			"two-sided p-value of slope = 0 (t test, K - 2 degrees of freedom)" } },
	{ .name = "chart", .dflt = 1, .compute = compute_chart,
	  .cols = { "center", "lcl", "ucl", "z" }, .fmt = { F_DEC, F_DEC, F_DEC, F_DEC },
	  .formulas = { "baseline mean of the --baseline K periods before (c: mean; u, p: sum x / sum n; empty until K periods)",
			"center - 3 sigma, floored at 0 (c: sqrt(center); u: sqrt(center / n); p: sqrt(center (1 - center) / n); rates without --denominator: mean moving range / 1.128, no floor)",
			"center + 3 sigma",
			"(V - center) / sigma; empty when sigma is 0" } },
	{ .name = "test", .dflt = 1, .compute = compute_test,
	  .cols = { "p_pop", "p_yoy" }, .fmt = { F_DEC, F_DEC },
	  .formulas = { "p-value of V against prev: counts exact Poisson (binomial) test; proportions Fisher or pooled z; rates without --denominator: empty",
			"the same against yoy_prev" } },
	{ .name = "forecast", .compute = compute_forecast,
	  .cols = { "forecast", "forecast_lo", "forecast_hi", "anomaly" }, .fmt = { F_DEC, F_DEC, F_DEC, F_INT },
	  .formulas = { "one-step forecast of V: Holt (--holt A,B, default 0.5,0.3); Holt-Winters additive (gamma 0.3) after 2 seasons",
			"forecast - 1.96 x root mean square of the earlier one-step errors (empty until 4 periods)",
			"forecast + 1.96 x that",
			"1 when V is outside [forecast_lo, forecast_hi], else 0" } },
};

#define NDEFS (sizeof measure_defs / sizeof measure_defs[0])

void cx_trend_list(cx_output *o)
{
	cx_buf b = CX_BUF_INIT;
	cx_out_s(o, "measure\tcolumn\tformula");
	cx_out_eol(o);
	for (size_t i = 0; i < NDEFS; i++) {
		const struct measure_def *d = &measure_defs[i];
		for (size_t j = 0; j < MAXC && d->cols[j]; j++) {
			cx_buf_reset(&b);
			cx_buf_addf(&b, "%s\tV_%s\t%s\n", d->name, d->cols[j], d->formulas[j]);
			cx_out_raw(o, b.p, b.len);
		}
	}
	cx_buf_free(&b);
}

static void select_measures(struct engine *e)
{
	const cx_trend_conf *c = e->conf;
	int on[NDEFS] = { 0 };
	if (c->measures) {
		size_t n;
		char **w = cx_split_list(c->measures, &n);
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < NDEFS && strcmp(measure_defs[j].name, w[i]))
				j++;
			if (j == NDEFS)
				cx_usage_error("unknown measure '%s' (prev, pop, yoy, run, ma, ewma, slope, chart, test, forecast)", w[i]);
			on[j] = 1;
		}
		cx_free_list(w, n);
	} else {
		for (size_t j = 0; j < NDEFS; j++)
			on[j] = measure_defs[j].dflt;
	}
	for (size_t j = 0; j < NDEFS; j++) {
		const char *nm = measure_defs[j].name;
		if ((!strcmp(nm, "ma") && c->ma) || (!strcmp(nm, "ewma") && c->has_ewma) ||
		    (!strcmp(nm, "slope") && c->slope))
			on[j] = 1;
		if (!strcmp(nm, "ma") && on[j] && !c->ma)
			cx_usage_error("measure 'ma' needs --ma K");
		if (!strcmp(nm, "ewma") && on[j] && !c->has_ewma)
			cx_usage_error("measure 'ewma' needs --ewma A");
		if (!strcmp(nm, "slope") && on[j] && !c->slope)
			cx_usage_error("measure 'slope' needs --slope K");
		if (on[j]) {
			e->on[e->non++] = &measure_defs[j];
			for (size_t k = 0; k < MAXC && measure_defs[j].cols[k]; k++)
				e->ncols++;
		}
	}
}

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
	select_measures(&e);
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
