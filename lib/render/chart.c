/* chart: the axis, value and Pareto arithmetic both writers share. */
#include <math.h>
#include <stdio.h>

#include "core/num.h"
#include "render/chart_int.h"

double cx_chart_clamp(double v)
{
	if (v > CX_CHART_HUGE)
		return CX_CHART_HUGE;
	if (v < -CX_CHART_HUGE)
		return -CX_CHART_HUGE;
	return v;
}

void cx_chart_nice_axis(cx_chart_axis *a, double lo, double hi, int want)
{
	if (!isfinite(lo) && !isfinite(hi))
		lo = 0, hi = 1;
	else if (!isfinite(lo))
		lo = hi;
	else if (!isfinite(hi))
		hi = lo;
	lo = cx_chart_clamp(lo);
	hi = cx_chart_clamp(hi);
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (want < 1)
		want = 1;
	/* One value: a range around it, so it is drawn in the middle. */
	if (hi - lo <= fabs(hi) * 1e-12) {
		double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
		lo -= d;
		hi += d;
	}
	double raw = (hi - lo) / want;
	double e = floor(log10(raw));
	double p = pow(10, e);
	double f = raw / p;
	double m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	double step = m * p;
	double l = floor(lo / step) * step, h = ceil(hi / step) * step;
	/* ceil/floor at 1e300 may step past the clamp; the axis stays finite */
	if (!isfinite(l) || !isfinite(h) || !isfinite(step) || step <= 0) {
		l = lo, h = hi, step = hi - lo;
	}
	double cnt = round((h - l) / step);
	a->lo = l;
	a->hi = h;
	a->step = step;
	a->count = cnt >= 1 && cnt <= 1000 ? (int)cnt : 1;
	if (a->count == 1)
		a->step = h - l;
	/* m * 10^e with m in {1, 2, 5}: -e digits when e < 0 (0.5 and 0.2
	 * need one, 0.05 two).  10 * 10^e is 10^(e+1). */
	int dec = m == 10 ? (int)-(e + 1) : (int)-e;
	a->decimals = dec > 0 ? (dec > 12 ? 12 : dec) : 0;
}

void cx_chart_number(cx_buf *b, double v, int decimals)
{
	if (!isfinite(v))
		return;
	/* Past 1e15 fixed notation is a wall of digits and a double has no
	 * more than 17 significant ones anyway. */
	if (fabs(v) >= 1e15) {
		cx_buf_addf(b, "%.3e", v);
		return;
	}
	if (decimals >= 0) {
		cx_num_put(b, v, decimals > 12 ? 12 : decimals);
		return;
	}
	if (v == floor(v)) {
		cx_num_put(b, v, -1);
		return;
	}
	/* four significant digits, at most six after the point, trailing
	 * zeros dropped: 1234.5678 -> 1235, 0.012345 -> 0.01235 */
	int mag = (int)floor(log10(fabs(v)));
	int d = 3 - mag;
	d = d < 0 ? 0 : d > 6 ? 6 : d;
	size_t at = b->len;
	cx_num_put(b, v, d);
	if (d > 0) {
		while (b->len > at && b->p[b->len - 1] == '0')
			b->len--;
		if (b->len > at && b->p[b->len - 1] == '.')
			b->len--;
		b->p[b->len] = '\0';
		/* "-0.00001" at six digits is "-0": zero is written once */
		if (b->len - at == 2 && b->p[at] == '-' && b->p[at + 1] == '0') {
			b->p[at] = '0';
			b->len = at + 1;
			b->p[b->len] = '\0';
		}
	}
}

void cx_chart_tick(cx_buf *b, const cx_chart_axis *a, double v)
{
	/* lo + k * step leaves 1e-17 crumbs: -0.000 is 0 */
	if (fabs(v) < a->step * 1e-9)
		v = 0;
	cx_chart_number(b, v, a->decimals);
}

void cx_chart_value(cx_buf *b, const cx_chart *c, double v)
{
	if (!isfinite(v))
		return;
	cx_chart_number(b, v, c->decimals);
	if (c->unit)
		cx_buf_adds(b, c->unit);
}

static void widen(double v, double *lo, double *hi, size_t *k)
{
	if (!isfinite(v))
		return;
	v = cx_chart_clamp(v);
	if (*k == 0 || v < *lo)
		*lo = v;
	if (*k == 0 || v > *hi)
		*hi = v;
	(*k)++;
}

size_t cx_chart_range(const cx_chart *c, double *lo, double *hi)
{
	size_t k = 0;
	*lo = *hi = 0;
	if (c->kind == CX_CHART_HEATMAP) {
		if (c->cells)
			for (size_t i = 0; i < c->nrows * c->n; i++)
				widen(c->cells[i], lo, hi, &k);
		return k;
	}
	for (size_t s = 0; s < c->nseries; s++)
		if (c->series[s].y)
			for (size_t i = 0; i < c->n; i++)
				widen(c->series[s].y[i], lo, hi, &k);
	if (c->kind == CX_CHART_LINE) {
		const double *lim[3] = { c->center, c->lower, c->upper };
		for (int j = 0; j < 3; j++)
			if (lim[j])
				for (size_t i = 0; i < c->n; i++)
					widen(lim[j][i], lo, hi, &k);
	}
	return k;
}

void cx_chart_pareto(const cx_chart *c, double *cum, unsigned char *vital)
{
	const double *y = c->nseries > 0 ? c->series[0].y : NULL;
	double total = 0;
	for (size_t i = 0; y && i < c->n; i++)
		if (isfinite(y[i]) && y[i] > 0)
			total += cx_chart_clamp(y[i]);
	double run = 0, before = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (y && isfinite(y[i]) && y[i] > 0)
			run += cx_chart_clamp(y[i]);
		double share = total > 0 ? run / total : 0;
		if (c->cum) {
			share = c->cum[i];
			/* a share from the input is drawn within the axis */
			share = isfinite(share) ? (share < 0 ? 0 : share > 1 ? 1 : share) : NAN;
		}
		cum[i] = share;
		if (c->vital)
			vital[i] = c->vital[i] != 0;
		else
			vital[i] = c->threshold > 0 && before < c->threshold && total > 0;
		if (isfinite(share))
			before = share;
	}
}
