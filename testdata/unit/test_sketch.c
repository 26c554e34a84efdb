/*
 * test_sketch: the two approximate aggregates, HyperLogLog (lib/stats/hll.c)
 * and DDSketch (lib/stats/sketch.c).
 *
 * Small cases are checked exactly (empty, one value, merges against the
 * sketch of the union, the text forms and what they reject); accuracy is
 * measured against the exact answer and printed, so that a change to a
 * hash or a mapping shows up as numbers, not only as pass or fail:
 *   HLL: 20 seeds at 1e3..1e6 distinct, mean |relative error| < 2% and
 *        max < 4% (the standard error at p = 14 is 0.81%);
 *   DDSketch: p50, p90, p99 of 1e5 lognormal, uniform and exponential
 *        values within alpha = 1% of the exact value of the same rank.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "stats/hll.h"
#include "core/keys.h"
#include "stats/sketch.h"
#include "unit.h"

/* splitmix64: a fixed, seedable stream of test data. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unif(void)
{
	return (double)(rng() >> 11) * 0x1p-53;
}

static double normal(void)
{
	double u = unif(), v = unif();
	return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
}

/* The hash of distinct value i of data set seed, as a tool would hash a
 * field: the bytes of its decimal text. */
static uint64_t item(unsigned seed, unsigned long i)
{
	char b[48];
	int n = snprintf(b, sizeof b, "%u-%lu", seed, i);
	return cx_hash(b, (size_t)n);
}

static cx_hll *hll_of(unsigned seed, unsigned long from, unsigned long to)
{
	cx_hll *h = malloc(sizeof *h);
	cx_hll_init(h);
	for (unsigned long i = from; i < to; i++)
		cx_hll_add_hash(h, item(seed, i));
	return h;
}

/* A copy without the NUL, so ASan sees any read past n. */
static char *exact_copy(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, s, n);
	return p;
}

static int hll_get(cx_hll *h, const char *s, size_t n)
{
	char *p = exact_copy(s, n);
	int r = cx_hll_get(h, p, n);
	free(p);
	return r;
}

static int sketch_get(cx_sketch *s, const char *str, size_t n)
{
	char *p = exact_copy(str, n);
	int r = cx_sketch_get(s, p, n);
	free(p);
	return r;
}

static void test_hll_small(void)
{
	cx_hll *h = hll_of(1, 0, 0);
	CHECK(cx_hll_count(h) == 0);

	cx_hll_add_hash(h, item(1, 0));
	CHECK(fabs(cx_hll_count(h) - 1) < 0.001);
	cx_hll_add_hash(h, item(1, 0));	/* again: nothing changes */
	CHECK(fabs(cx_hll_count(h) - 1) < 0.001);
	free(h);

	/* 1000 of 16384 registers: the small-range end is all but exact. */
	h = hll_of(1, 0, 1000);
	double c = cx_hll_count(h);
	CHECK(fabs(c - 1000) < 10);
	printf("hll: n=1000 (seed 1) estimate %.1f\n", c);
	free(h);

	/* Extreme hashes: index 0 with all 50 bits zero (register 51) and
	 * the last index with a leading one (register 1). */
	h = hll_of(1, 0, 0);
	cx_hll_add_hash(h, 0);
	cx_hll_add_hash(h, ~0ull);
	CHECK_INT(h->reg[0], 51);
	CHECK_INT(h->reg[CX_HLL_M - 1], 1);
	free(h);
}

static void test_hll_merge(void)
{
	cx_hll *all = hll_of(2, 0, 10000);
	/* Disjoint halves. */
	cx_hll *a = hll_of(2, 0, 5000), *b = hll_of(2, 5000, 10000);
	cx_hll_merge(a, b);
	CHECK(memcmp(a->reg, all->reg, sizeof a->reg) == 0);
	free(a);
	free(b);
	/* Overlapping parts, merged the other way round. */
	a = hll_of(2, 0, 7000);
	b = hll_of(2, 3000, 10000);
	cx_hll_merge(b, a);
	CHECK(memcmp(b->reg, all->reg, sizeof b->reg) == 0);
	/* With itself and with an empty sketch: no change. */
	cx_hll_merge(b, b);
	cx_hll *e = hll_of(2, 0, 0);
	cx_hll_merge(b, e);
	CHECK(memcmp(b->reg, all->reg, sizeof b->reg) == 0);
	CHECK(fabs(cx_hll_count(all) / 10000 - 1) < 0.04);
	free(a);
	free(b);
	free(e);
	free(all);
}

static void round_trip_hll(const cx_hll *h, const char *tag)
{
	cx_buf out = CX_BUF_INIT, again = CX_BUF_INIT;
	cx_hll *g = malloc(sizeof *g);
	cx_hll_put(h, &out);
	CHECK(strncmp(out.p, tag, strlen(tag)) == 0);
	CHECK(strpbrk(out.p, "\t\n\r\\") == NULL);
	CHECK_INT(hll_get(g, out.p, out.len), 0);
	CHECK(memcmp(g->reg, h->reg, sizeof g->reg) == 0);
	cx_hll_put(g, &again);
	CHECK(out.len == again.len && memcmp(out.p, again.p, out.len) == 0);
	cx_buf_free(&out);
	cx_buf_free(&again);
	free(g);
}

static void test_hll_text(void)
{
	cx_buf out = CX_BUF_INIT;
	cx_hll *h = hll_of(3, 0, 0);
	cx_hll_put(h, &out);
	CHECK_STR(out.p, "hll14s:");
	round_trip_hll(h, "hll14s:");
	cx_hll_add_hash(h, 0);			/* index 0, register 51 */
	cx_hll_add_hash(h, ~0ull);		/* index 16383 = "D//", 1 */
	cx_buf_reset(&out);
	cx_hll_put(h, &out);
	CHECK_STR(out.p, "hll14s:AAAzD//B");
	free(h);

	h = hll_of(3, 0, 100);
	round_trip_hll(h, "hll14s:");
	free(h);
	/* 4095 nonzero registers is the last sparse size. */
	h = hll_of(3, 0, 5000);
	round_trip_hll(h, "hll14:");
	free(h);
	h = hll_of(3, 0, 1000000);
	round_trip_hll(h, "hll14:");

	/* A dense text of a known sketch, then broken in every way. */
	cx_buf_reset(&out);
	cx_hll_put(h, &out);
	cx_hll *g = malloc(sizeof *g);
	CHECK_INT(hll_get(g, out.p, out.len), 0);
	CHECK_INT(hll_get(g, out.p, out.len - 1), -1);	/* short */
	cx_buf_addc(&out, 'A');
	CHECK_INT(hll_get(g, out.p, out.len), -1);	/* long */
	out.len--;
	out.p[100] = '0';		/* 52: over the top register */
	CHECK_INT(hll_get(g, out.p, out.len), -1);
	out.p[100] = '=';
	CHECK_INT(hll_get(g, out.p, out.len), -1);
	out.p[100] = 'z';		/* 51 is fine */
	CHECK_INT(hll_get(g, out.p, out.len), 0);
	CHECK_INT(g->reg[100 - 6], 51);
	out.p[3] = '2';			/* hll12: */
	CHECK_INT(hll_get(g, out.p, out.len), -1);
	/* A failed get leaves the sketch empty. */
	CHECK(cx_hll_count(g) == 0);

	static const char *bad[] = {
		"", "hll", "hll14", "hll14s", "HLL14s:", "hll14s: ",
		"hll14s:AAAB=", "hll14s:AAA", "hll14s:AAABAAAB",	/* repeated */
		"hll14s:AABBAAAB",	/* out of order */
		"hll14s:AAAA",		/* zero value */
		"hll14s:AAA0",		/* value 52 */
		"hll14s:EAAB",		/* index 16384 */
		"hll14s:AAA-", "hll14s:AAAB\n", "hll14:", "hll14:AAAA",
		"hll14s:AAAB ", "hll14s:AAABAAA", "hll14s:\0AAB",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t n = strlen(bad[i]);
		if (i == sizeof bad / sizeof *bad - 1)
			n = 11;
		if (hll_get(g, bad[i], n) != -1) {
			unit_fail++;
			fprintf(stderr, "FAIL: hll accepted \"%s\"\n", bad[i]);
		} else {
			unit_pass++;
		}
	}
	CHECK_INT(hll_get(g, "hll14s:AAAzD//B", 15), 0);
	CHECK_INT(g->reg[0], 51);
	CHECK_INT(g->reg[CX_HLL_M - 1], 1);
	CHECK_INT(hll_get(g, "hll14s:AAAzD//Bxx", 15), 0);	/* n is the end */
	free(g);
	free(h);
	cx_buf_free(&out);
}

static void test_hll_accuracy(void)
{
	static const unsigned long ns[] = { 1000, 10000, 100000, 1000000 };
	cx_hll *h = malloc(sizeof *h);
	for (size_t k = 0; k < 4; k++) {
		double sum = 0, worst = 0;
		for (unsigned seed = 100; seed < 120; seed++) {
			cx_hll_init(h);
			for (unsigned long i = 0; i < ns[k]; i++)
				cx_hll_add_hash(h, item(seed, i));
			double e = fabs(cx_hll_count(h) / (double)ns[k] - 1);
			sum += e;
			if (e > worst)
				worst = e;
		}
		double mean = sum / 20;
		printf("hll: n=%lu mean |err| %.2f%% max %.2f%%\n", ns[k],
		       100 * mean, 100 * worst);
		CHECK(mean < 0.02);
		CHECK(worst < 0.04);
	}
	free(h);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The exact q-quantile by the rank convention of sketch.h. */
static double exact_quantile(const double *sorted, size_t n, double q)
{
	return sorted[(size_t)floor(q * (double)(n - 1))];
}

static double rel_err(double got, double want)
{
	if (want == 0)
		return got == 0 ? 0 : INFINITY;
	return fabs(got - want) / fabs(want);
}

/* Alpha, and the rounding of log() at a bucket boundary. */
#define ALPHA_OK (CX_SKETCH_ALPHA * (1 + 1e-9))

static int put_equal(const cx_sketch *a, const cx_sketch *b)
{
	cx_buf x = CX_BUF_INIT, y = CX_BUF_INIT;
	cx_sketch_put(a, &x);
	cx_sketch_put(b, &y);
	int eq = x.len == y.len && memcmp(x.p, y.p, x.len) == 0;
	if (!eq)
		fprintf(stderr, "sketch texts differ:\n%.300s\n%.300s\n", x.p, y.p);
	cx_buf_free(&x);
	cx_buf_free(&y);
	return eq;
}

static void round_trip_sketch(const cx_sketch *s)
{
	cx_buf out = CX_BUF_INIT, again = CX_BUF_INIT;
	cx_sketch g = CX_SKETCH_INIT;
	cx_sketch_put(s, &out);
	CHECK(strpbrk(out.p, "\t\n\r\\") == NULL);
	CHECK_INT(sketch_get(&g, out.p, out.len), 0);
	cx_sketch_put(&g, &again);
	CHECK(out.len == again.len && memcmp(out.p, again.p, out.len) == 0);
	static const double qs[] = { 0, 0.001, 0.25, 0.5, 0.9, 0.99, 1 };
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		double a = cx_sketch_quantile(s, qs[i]);
		double b = cx_sketch_quantile(&g, qs[i]);
		CHECK(a == b || (isnan(a) && isnan(b)));
	}
	CHECK(cx_sketch_count(s) == cx_sketch_count(&g));
	cx_sketch_free(&g);
	cx_buf_free(&out);
	cx_buf_free(&again);
}

/* 1e5 values of a distribution: p50, p90, p99 against the sorted data,
 * and the sketch of 4 parts merged against the sketch of the whole. */
static void check_distribution(const char *name, double (*gen)(void))
{
	enum { N = 100000 };
	static double v[N];
	static const double qs[] = { 0.5, 0.9, 0.99 };
	cx_sketch whole = CX_SKETCH_INIT, merged = CX_SKETCH_INIT;
	cx_sketch part[4];
	for (int k = 0; k < 4; k++)
		cx_sketch_init(&part[k]);
	for (size_t i = 0; i < N; i++) {
		v[i] = gen();
		cx_sketch_add(&whole, v[i], 1);
		cx_sketch_add(&part[(rng() >> 7) % 4], v[i], 1);
	}
	for (int k = 3; k >= 0; k--)
		cx_sketch_merge(&merged, &part[k]);
	CHECK(put_equal(&whole, &merged));
	CHECK(cx_sketch_count(&whole) == N);
	round_trip_sketch(&whole);

	qsort(v, N, sizeof *v, cmp_double);
	double worst = 0, worst_q = 0;
	for (size_t i = 0; i < 3; i++) {
		double e = rel_err(cx_sketch_quantile(&whole, qs[i]),
				   exact_quantile(v, N, qs[i]));
		CHECK(e <= ALPHA_OK);
		if (e >= worst) {
			worst = e;
			worst_q = qs[i];
		}
	}
	CHECK(cx_sketch_quantile(&whole, 0) == v[0]);
	CHECK(cx_sketch_quantile(&whole, 1) == v[N - 1]);
	printf("sketch: %s n=%d worst |err| %.3f%% (p%g), %d buckets\n", name, N,
	       100 * worst, 100 * worst_q, whole.pos.hi - whole.pos.lo + 1);
	cx_sketch_free(&whole);
	cx_sketch_free(&merged);
	for (int k = 0; k < 4; k++)
		cx_sketch_free(&part[k]);
}

static double gen_lognormal(void)
{
	return exp(normal());
}

static double gen_uniform(void)
{
	return 1000 * unif();
}

static double gen_exponential(void)
{
	return -log(1 - unif());
}

static void test_sketch_small(void)
{
	cx_sketch s;
	cx_sketch_init(&s);
	CHECK(isnan(cx_sketch_quantile(&s, 0.5)));
	CHECK(isnan(cx_sketch_quantile(&s, 0)));
	CHECK(cx_sketch_count(&s) == 0);

	cx_sketch_add(&s, 42, 1);
	CHECK(cx_sketch_quantile(&s, 0) == 42);
	CHECK(cx_sketch_quantile(&s, 0.5) == 42);	/* clamped to min = max */
	CHECK(cx_sketch_quantile(&s, 1) == 42);
	CHECK(isnan(cx_sketch_quantile(&s, 1.5)));
	CHECK(isnan(cx_sketch_quantile(&s, -0.1)));
	CHECK(isnan(cx_sketch_quantile(&s, NAN)));

	/* Not values, not weights: nothing happens. */
	cx_sketch_add(&s, NAN, 1);
	cx_sketch_add(&s, INFINITY, 1);
	cx_sketch_add(&s, 7, 0);
	cx_sketch_add(&s, 7, -1);
	cx_sketch_add(&s, 7, NAN);
	cx_sketch_add(&s, 7, INFINITY);
	CHECK(cx_sketch_count(&s) == 1);
	CHECK(cx_sketch_quantile(&s, 0) == 42);
	cx_sketch_free(&s);

	/* -5, 0, 0, 3: rank q*3 rounded down. */
	cx_sketch_add(&s, 3, 1);
	cx_sketch_add(&s, 0, 1);
	cx_sketch_add(&s, -0.0, 1);
	cx_sketch_add(&s, -5, 1);
	CHECK(cx_sketch_count(&s) == 4);
	CHECK(s.zeros == 2);
	CHECK(cx_sketch_quantile(&s, 0) == -5);
	CHECK(rel_err(cx_sketch_quantile(&s, 0.3), -5) <= ALPHA_OK);
	CHECK(cx_sketch_quantile(&s, 0.34) == 0);
	CHECK(cx_sketch_quantile(&s, 0.5) == 0);
	CHECK(cx_sketch_quantile(&s, 0.66) == 0);
	CHECK(cx_sketch_quantile(&s, 0.99) == 0);	/* rank 2.97: the second 0 */
	CHECK(cx_sketch_quantile(&s, 1) == 3);
	round_trip_sketch(&s);
	cx_sketch_free(&s);

	/* Only zeros; -0 is 0 as min and max. */
	cx_sketch_add(&s, -0.0, 2);
	CHECK(cx_sketch_quantile(&s, 0.5) == 0);
	CHECK(!signbit(cx_sketch_quantile(&s, 0)));
	cx_buf out = CX_BUF_INIT;
	cx_sketch_put(&s, &out);
	CHECK_STR(out.p, "dd1:2:0:0::");
	cx_sketch_free(&s);

	/* The example of sketch.h. */
	cx_sketch_add(&s, 1, 1);
	cx_sketch_add(&s, 1.01, 1);
	cx_sketch_add(&s, 1.01, 1);
	cx_sketch_add(&s, 0, 1);
	cx_buf_reset(&out);
	cx_sketch_put(&s, &out);
	CHECK_STR(out.p, "dd1:1:0:1.01:0=1,2:");
	cx_sketch_free(&s);
	cx_buf_reset(&out);
	cx_sketch_put(&s, &out);
	CHECK_STR(out.p, "dd1:0::::");
	round_trip_sketch(&s);
	cx_buf_free(&out);
}

static void test_sketch_negative(void)
{
	enum { N = 100000 };
	static double v[N];
	cx_sketch s = CX_SKETCH_INIT, parts[3];
	for (int k = 0; k < 3; k++)
		cx_sketch_init(&parts[k]);
	/* A third negative, a tenth zero, the rest positive, heavy-tailed. */
	for (size_t i = 0; i < N; i++) {
		double u = unif();
		v[i] = u < 0.1 ? 0 : (u < 0.43 ? -1 : 1) * exp(3 * normal());
		cx_sketch_add(&s, v[i], 1);
		cx_sketch_add(&parts[i % 3], v[i], 1);
	}
	cx_sketch_merge(&parts[1], &parts[2]);
	cx_sketch_merge(&parts[0], &parts[1]);
	CHECK(put_equal(&s, &parts[0]));
	round_trip_sketch(&s);
	qsort(v, N, sizeof *v, cmp_double);
	double worst = 0;
	for (int i = 1; i < 100; i++) {
		double q = i / 100.0;
		double e = rel_err(cx_sketch_quantile(&s, q), exact_quantile(v, N, q));
		CHECK(e <= ALPHA_OK);
		if (e > worst)
			worst = e;
	}
	printf("sketch: signed with zeros n=%d worst |err| %.3f%% (p1..p99)\n",
	       N, 100 * worst);
	cx_sketch_free(&s);
	for (int k = 0; k < 3; k++)
		cx_sketch_free(&parts[k]);
}

static void test_sketch_weights(void)
{
	cx_sketch a = CX_SKETCH_INIT, b = CX_SKETCH_INIT;
	/* A weight is that many copies. */
	cx_sketch_add(&a, 10, 3);
	cx_sketch_add(&a, -20, 2);
	cx_sketch_add(&a, 0, 4);
	for (int i = 0; i < 3; i++)
		cx_sketch_add(&b, 10, 1);
	for (int i = 0; i < 2; i++)
		cx_sketch_add(&b, -20, 1);
	for (int i = 0; i < 4; i++)
		cx_sketch_add(&b, 0, 1);
	CHECK(put_equal(&a, &b));
	CHECK(cx_sketch_count(&a) == 9);
	cx_sketch_free(&a);

	/* Fractional weights: the cumulative weight must pass q (W - 1). */
	cx_sketch_add(&a, 1, 0.25);
	cx_sketch_add(&a, 100, 0.5);
	cx_sketch_add(&a, 1000, 1.25);
	CHECK(cx_sketch_count(&a) == 2);
	/* rank 0.4 * 1 = 0.4: 0.25 is not past it, 0.75 is. */
	CHECK(rel_err(cx_sketch_quantile(&a, 0.4), 100) <= ALPHA_OK);
	CHECK(rel_err(cx_sketch_quantile(&a, 0.2), 1) <= ALPHA_OK);
	CHECK(rel_err(cx_sketch_quantile(&a, 0.8), 1000) <= ALPHA_OK);
	round_trip_sketch(&a);

	/* Merging a sketch into itself doubles every weight. */
	cx_sketch_free(&b);
	cx_sketch_add(&b, 1, 0.5);
	cx_sketch_add(&b, 100, 1);
	cx_sketch_add(&b, 1000, 2.5);
	cx_sketch_merge(&a, &a);
	CHECK(put_equal(&a, &b));
	cx_sketch_free(&a);
	cx_sketch_free(&b);
}

/* Data over 60 decimal orders of magnitude: the store collapses, merging
 * in any order still gives the same sketch, the high quantiles keep the
 * guarantee and the low ones are overestimated, never below the truth. */
static void test_sketch_collapse(void)
{
	enum { N = 20000 };
	static double v[N];
	cx_sketch whole = CX_SKETCH_INIT, merged = CX_SKETCH_INIT, part[4];
	for (int k = 0; k < 4; k++)
		cx_sketch_init(&part[k]);
	for (size_t i = 0; i < N; i++) {
		v[i] = pow(10, 60 * unif() - 30);
		cx_sketch_add(&whole, v[i], 1);
		cx_sketch_add(&part[(rng() >> 9) % 4], v[i], 1);
	}
	CHECK_INT(whole.pos.hi - whole.pos.lo + 1, CX_SKETCH_MAXBUCKETS);
	CHECK(whole.pos.len <= 2 * CX_SKETCH_MAXBUCKETS);
	cx_sketch_merge(&merged, &part[2]);
	cx_sketch_merge(&merged, &part[0]);
	cx_sketch_merge(&merged, &part[3]);
	cx_sketch_merge(&merged, &part[1]);
	CHECK(put_equal(&whole, &merged));
	round_trip_sketch(&whole);

	/* Collapsing once at the end (sorted ascending: the top comes last)
	 * agrees too. */
	qsort(v, N, sizeof *v, cmp_double);
	cx_sketch sorted = CX_SKETCH_INIT;
	for (size_t i = 0; i < N; i++)
		cx_sketch_add(&sorted, v[i], 1);
	CHECK(put_equal(&whole, &sorted));

	double floor_v = v[N - 1] / pow(1.01 / 0.99, CX_SKETCH_MAXBUCKETS);
	for (int i = 1; i < 100; i++) {
		double q = i / 100.0;
		double want = exact_quantile(v, N, q);
		double got = cx_sketch_quantile(&whole, q);
		if (want > floor_v * 1.03)
			CHECK(rel_err(got, want) <= ALPHA_OK);
		else
			CHECK(got >= want * (1 - ALPHA_OK));
	}
	CHECK(cx_sketch_quantile(&whole, 0) == v[0]);
	cx_sketch_free(&whole);
	cx_sketch_free(&merged);
	cx_sketch_free(&sorted);
	for (int k = 0; k < 4; k++)
		cx_sketch_free(&part[k]);

	/* The negative store collapses toward zero the same way. */
	cx_sketch neg = CX_SKETCH_INIT;
	for (int i = -300; i <= 300; i++)
		cx_sketch_add(&neg, -pow(10, i / 10.0), 1);
	CHECK_INT(neg.neg.hi - neg.neg.lo + 1, CX_SKETCH_MAXBUCKETS);
	CHECK(cx_sketch_quantile(&neg, 1) == -pow(10, -300 / 10.0));
	/* rank 0.01 * 600 = 6: the 7th most negative, not collapsed. */
	CHECK(rel_err(cx_sketch_quantile(&neg, 0.01), -pow(10, 294 / 10.0)) <= ALPHA_OK);
	round_trip_sketch(&neg);
	cx_sketch_free(&neg);
}

static void test_sketch_text(void)
{
	cx_sketch s = CX_SKETCH_INIT;
	CHECK_INT(sketch_get(&s, "dd1:0::::", 9), 0);
	CHECK(cx_sketch_count(&s) == 0);
	CHECK_INT(sketch_get(&s, "dd1:1:0:1.01:0=1,2:", 19), 0);
	CHECK(cx_sketch_count(&s) == 4);
	CHECK(cx_sketch_quantile(&s, 1) == 1.01);
	round_trip_sketch(&s);
	/* Gaps, negatives, weights that are not integers: -2 is in negative
	 * bucket 35, 1.03 in bucket 2. */
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(&t, "dd1:0.5:-2:1.03:0=1,,2.5:0=1e-3");
	for (int i = 0; i < 35; i++)
		cx_buf_addc(&t, ',');
	cx_buf_adds(&t, "7");
	CHECK_INT(sketch_get(&s, t.p, t.len), 0);
	CHECK(s.neg.lo == 0 && s.neg.hi == 35);
	CHECK(fabs(cx_sketch_count(&s) - 11.001) < 1e-12);
	CHECK(cx_sketch_quantile(&s, 0) == -2);
	round_trip_sketch(&s);
	/* n ends the text. */
	CHECK_INT(sketch_get(&s, "dd1:0::::junk", 9), 0);

	static const char *bad[] = {
		"", "dd1", "dd1:", "dd2:0::::", "dd1:0:::", "dd1:0:::::",
		"dd1:0::::x", "dd1::::", "dd1:-1::::", "dd1:0::: :",
		"dd1:0:1:1:0=:", "dd1:0:1:1:0=1,:", "dd1:0:1:1:0=,1:",
		"dd1:0:1:1:0=0:", "dd1:0:1:1:0=-1:", "dd1:0:1:1:0=1e999:",
		"dd1:0:1:1:0=nan:", "dd1:0:1:1:0=inf:", "dd1:0:1:1:0=1.:",
		"dd1:0:1:1:0=.5:", "dd1:0:1:1:0=1e:", "dd1:0:1:1:0=+1:",
		"dd1:0:1:1:=1:", "dd1:0:1:1:0:", "dd1:0:1:1:-0=1:x",
		"dd1:0:1:1:99999=1:", "dd1:0:1:1:000000=1:",
		"dd1:0:1:1::",		/* min and max but nothing */
		"dd1:0::1:0=1:",	/* no min */
		"dd1:0:1::0=1:",	/* no max */
		"dd1:0:1.01:1:0=1,1:",	/* min > max */
		"dd1:0:5:5:0=1:",	/* 5 is not in bucket 0 */
		"dd1:0:1:1.01:0=1:",	/* max is not at the top */
		"dd1:0:1.01:1.01:0=1,1:",	/* min is not at the bottom */
		"dd1:1:1:1:0=1:",	/* zeros but min > 0 */
		"dd1:0:-1:1:0=1:",	/* min < 0, no negatives */
		"dd1:0:0:1:0=1:",	/* min 0, no zeros */
		"dd1:1:0:0:0=1:",	/* max 0 but positives */
		"dd1:0:1:1:0=1:\t",
		"dd1:0:1:1:0=1,,:", "dd1:0:1:1:0=1;", "dd1:0:1:1:0=1 :",
		"dd1:0:0x1:1:0=1:", "dd1:0:1:1:0=1:0=1:",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (sketch_get(&s, bad[i], strlen(bad[i])) != -1) {
			unit_fail++;
			fprintf(stderr, "FAIL: sketch accepted \"%s\"\n", bad[i]);
		} else {
			unit_pass++;
		}
		CHECK(cx_sketch_count(&s) == 0);	/* left empty */
	}
	CHECK_INT(sketch_get(&s, "dd1:0:-1:-1::0=1", 16), 0);	/* the good one */

	/* A store may span 2048 buckets, not 2049. */
	cx_buf_reset(&t);
	double hi = exp((CX_SKETCH_MAXBUCKETS - 1) * log(1.01 / 0.99)) * 0.99;
	cx_buf_addf(&t, "dd1:0:1:%.17g:0=1", hi);
	for (int i = 1; i < CX_SKETCH_MAXBUCKETS; i++)
		cx_buf_addc(&t, ',');
	cx_buf_adds(&t, "1:");
	CHECK_INT(sketch_get(&s, t.p, t.len), 0);
	CHECK_INT(s.pos.hi, CX_SKETCH_MAXBUCKETS - 1);
	round_trip_sketch(&s);
	cx_buf_reset(&t);
	hi = exp(CX_SKETCH_MAXBUCKETS * log(1.01 / 0.99)) * 0.99;
	cx_buf_addf(&t, "dd1:0:1:%.17g:0=1", hi);
	for (int i = 0; i < CX_SKETCH_MAXBUCKETS; i++)
		cx_buf_addc(&t, ',');
	cx_buf_adds(&t, "1:");
	CHECK_INT(sketch_get(&s, t.p, t.len), -1);
	cx_buf_free(&t);
	cx_sketch_free(&s);

	/* The extremes of the doubles have buckets and survive the text. */
	cx_sketch_add(&s, 4.9406564584124654e-324, 1);
	cx_sketch_add(&s, 1.7976931348623157e308, 2);
	cx_sketch_add(&s, -1.7976931348623157e308, 1);
	CHECK(cx_sketch_quantile(&s, 0) == -1.7976931348623157e308);
	/* rank 1.5: the smallest, in the collapse floor, far above it. */
	CHECK(cx_sketch_quantile(&s, 0.5) > 1e280);
	/* rank 2.7: the top bucket of the doubles. */
	CHECK(rel_err(cx_sketch_quantile(&s, 0.9), 1.7976931348623157e308) <= ALPHA_OK);
	round_trip_sketch(&s);
	cx_sketch_free(&s);
}

int main(void)
{
	rng_state = 12345;
	test_hll_small();
	test_hll_merge();
	test_hll_text();
	test_hll_accuracy();
	test_sketch_small();
	check_distribution("lognormal", gen_lognormal);
	check_distribution("uniform", gen_uniform);
	check_distribution("exponential", gen_exponential);
	test_sketch_negative();
	test_sketch_weights();
	test_sketch_collapse();
	test_sketch_text();
	return unit_done("test_sketch");
}
