/* Unit tests for lib/trend: the statistical kernels against values
 * computed by hand (comments) or given in domain.md section 7 (R). */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "stats/trend.h"
#include "unit.h"

#define NEAR(got, want, tol) CHECK(fabs((got) - (want)) <= (tol))

static void test_poisson(void)
{
	/* domain.md 7: c_t against c_{t-3}, one-sided */
	NEAR(cx_trend_poisson_test(4, 1, 1, 1, CX_ALT_GREATER), 0.1875, 1e-9);	/* 6/32 */
	NEAR(cx_trend_poisson_test(12, 1, 5, 1, CX_ALT_GREATER), 9402.0 / 131072, 1e-9);
	NEAR(cx_trend_poisson_test(20, 1, 10, 1, CX_ALT_GREATER), 0.0494, 5e-5);
	/* R rateratio.test(c(2,9), c(17877,16660)): two-sided 0.05011 */
	NEAR(cx_trend_poisson_test(2, 17877, 9, 16660, CX_ALT_TWO_SIDED), 0.05011, 5e-6);
	/* 1 -> 2 is nothing: P(Y>=2 | 3, 1/2) = 1/2, doubled */
	NEAR(cx_trend_poisson_test(2, 1, 1, 1, CX_ALT_TWO_SIDED), 1.0, 1e-12);
	/* 0 and 0: no evidence either way */
	NEAR(cx_trend_poisson_test(0, 1, 0, 1, CX_ALT_TWO_SIDED), 1.0, 1e-12);
	/* 0 after 4: P(Y<=0 | 4, 1/2) = 1/16, doubled */
	NEAR(cx_trend_poisson_test(0, 1, 4, 1, CX_ALT_TWO_SIDED), 0.125, 1e-12);
	NEAR(cx_trend_poisson_test(0, 1, 4, 1, CX_ALT_LESS), 0.0625, 1e-12);
	NEAR(cx_trend_poisson_test(0, 1, 4, 1, CX_ALT_GREATER), 1.0, 1e-12);
	/* not counts, or no exposure: undefined */
	CHECK(isnan(cx_trend_poisson_test(1.5, 1, 1, 1, CX_ALT_TWO_SIDED)));
	CHECK(isnan(cx_trend_poisson_test(-1, 1, 1, 1, CX_ALT_TWO_SIDED)));
	CHECK(isnan(cx_trend_poisson_test(1, 0, 1, 1, CX_ALT_TWO_SIDED)));
	CHECK(isnan(cx_trend_poisson_test(NAN, 1, 1, 1, CX_ALT_TWO_SIDED)));
}

static void test_proportions(void)
{
	/* 3/4 against 1/4: hypergeometric weights 1,16,36,16,1 over 70 */
	NEAR(cx_trend_fisher(3, 4, 1, 4, CX_ALT_TWO_SIDED), 34.0 / 70, 1e-9);
	NEAR(cx_trend_fisher(3, 4, 1, 4, CX_ALT_GREATER), 17.0 / 70, 1e-9);
	NEAR(cx_trend_fisher(3, 4, 1, 4, CX_ALT_LESS), 69.0 / 70, 1e-9);
	/* small expected cells go to Fisher */
	NEAR(cx_trend_prop_test(3, 4, 1, 4, CX_ALT_TWO_SIDED), 34.0 / 70, 1e-9);
	/* 60/100 against 40/100: pooled z = 0.2 / sqrt(0.25 x 0.02) = 2.828427,
	 * two-sided p = erfc(2.828427 / sqrt 2) = 0.0046777 */
	NEAR(cx_trend_prop_test(60, 100, 40, 100, CX_ALT_TWO_SIDED), 0.0046777, 1e-6);
	NEAR(cx_trend_prop_test(60, 100, 40, 100, CX_ALT_GREATER), 0.0023389, 1e-6);
	CHECK(isnan(cx_trend_prop_test(1, 0, 1, 4, CX_ALT_TWO_SIDED)));
	CHECK(isnan(cx_trend_prop_test(5, 4, 1, 4, CX_ALT_TWO_SIDED)));
}

static void test_slope(void)
{
	/* y = 1,2,3,5: Sxy = 6.5, Sxx = 5, slope 1.3; SSE 0.30, se 0.173205,
	 * t = 7.50555, df 2: p = 1 - t / sqrt(2 + t^2) = 0.017292 */
	double y[] = { 1, 2, 3, 5 }, s, p;
	CHECK_INT(cx_trend_slope(y, 4, &s, &p), 0);
	NEAR(s, 1.3, 1e-12);
	NEAR(p, 0.017292, 1e-6);
	double flat[] = { 2, 2, 2 }, line[] = { 1, 2, 3 };
	cx_trend_slope(flat, 3, &s, &p);
	NEAR(s, 0, 1e-12);
	NEAR(p, 1, 1e-12);
	cx_trend_slope(line, 3, &s, &p);
	NEAR(s, 1, 1e-12);
	NEAR(p, 0, 1e-12);
	CHECK_INT(cx_trend_slope(y, 2, &s, &p), -1);
}

static void test_forecast(void)
{
	double f[6], h[6];
	/* a straight line is forecast exactly */
	double x[] = { 1, 2, 3, 4, 5, 6 };
	cx_trend_forecast(x, 6, 0.5, 0.3, 0.3, 0, f, h);
	CHECK(isnan(f[3]) && isnan(h[3]));	/* only one error before t = 3 */
	NEAR(f[4], 5, 1e-12);
	NEAR(h[4], 0, 1e-12);
	/* l = 12, b = 2; t=2: f 14, x 11 -> l 12.5, b 1.55; t=3: f 14.05,
	 * x 15 -> l 14.525, b 1.6925; t=4: f 16.2175; errors -3, 0.95:
	 * h = 1.96 sqrt((9 + 0.9025) / 2) = 4.361276 */
	double y[] = { 10, 12, 11, 15, 14 };
	cx_trend_forecast(y, 5, 0.5, 0.3, 0.3, 0, f, h);
	CHECK(isnan(f[2]) && isnan(f[3]));	/* 14 and 14.05: fewer than 2 errors */
	NEAR(f[4], 16.2175, 1e-12);
	NEAR(h[4], 4.361276, 1e-6);
	/* a missing value advances the state by its forecast */
	double z[] = { 10, 12, NAN, 16, 18, 20 };
	cx_trend_forecast(z, 6, 0.5, 0.3, 0.3, 0, f, h);
	CHECK(isnan(f[4]));	/* one error (t = 3) before it */
	NEAR(f[5], 20, 1e-12);
	NEAR(h[5], 0, 1e-12);
	/* season 2 with 2 seasons of history: Holt-Winters from t = 4 on
	 * (b = (4 - 2) / 2 = 1, l = 2 + 0.5 b = 2.5, s = -0.5, +0.5); a pure
	 * seasonal line
	 * 1,3,3,5,5,7,... is forecast exactly */
	double w[] = { 1, 3, 3, 5, 5, 7, 7, 9 }, fw[8], hw[8];
	cx_trend_forecast(w, 8, 0.5, 0.3, 0.3, 2, fw, hw);
	NEAR(fw[6], 7, 1e-9);
	NEAR(fw[7], 9, 1e-9);
	NEAR(hw[7], 0, 1e-9);
}

int main(void)
{
	gsl_set_error_handler_off();
	test_poisson();
	test_proportions();
	test_slope();
	test_forecast();
	return unit_done("test_trend");
}
