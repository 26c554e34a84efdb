/*
 * What cx-trend computes: the statistical kernels (exported in trend.h for
 * the unit tests) and the table of measure groups built on them, a row and
 * a compute function for each.  Adding a measure means a function and a
 * row here; the engine in trend.c only walks the table.  This is the one
 * file of the module that uses GSL.
 */
#include "stats/trend.h"
#include "stats/trend_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
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
/* Measures: one row each                                               */

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

void trend_select_measures(struct engine *e)
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
