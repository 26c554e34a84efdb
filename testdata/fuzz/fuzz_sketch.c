/*
 * fuzz_sketch: libFuzzer target for the text forms of lib/stats/hll.c and
 * lib/stats/sketch.c.
 *
 * The whole input goes to cx_hll_get and to cx_sketch_get (libFuzzer's
 * buffer is exactly the input, so ASan sees any read past n).  Besides "no
 * crash, no sanitizer report", what a parser accepts must be a fixed point
 * of the text form: put, get the result, put again, and the two texts are
 * the same bytes (and the HLL registers the same).  A rejected input must
 * leave the sketch empty.  For an accepted DDSketch, every quantile lies in
 * [min, max], q = 0 and 1 are min and max, and merging it into an empty
 * sketch gives the same text.  The sketches are static so that get reuses
 * their storage, as cx-metrics does.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Ilib \
 *     testdata/fuzz/fuzz_sketch.c lib/stats/hll.c lib/stats/sketch.c lib/core/keys.c \
 *     lib/core/buf.c lib/core/err.c -lm -o fuzz_sketch
 *   ./fuzz_sketch testdata/fuzz/corpus/sketch
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "stats/hll.h"
#include "stats/sketch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cx_hll h1, h2;
static cx_sketch s1 = CX_SKETCH_INIT, s2 = CX_SKETCH_INIT;
static cx_buf a = CX_BUF_INIT, b = CX_BUF_INIT;

static int same(const cx_buf *x, const cx_buf *y)
{
	return x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

static int clean(const cx_buf *x)
{
	for (size_t i = 0; i < x->len; i++)
		if (x->p[i] == '\t' || x->p[i] == '\n' || x->p[i] == '\r' ||
		    x->p[i] == '\\' || x->p[i] == '\0')
			return 0;
	return 1;
}

static void fuzz_hll(const char *p, size_t n)
{
	if (cx_hll_get(&h1, p, n) != 0) {
		for (size_t j = 0; j < CX_HLL_M; j++)
			if (h1.reg[j])
				abort();
		return;
	}
	cx_buf_reset(&a);
	cx_buf_reset(&b);
	cx_hll_put(&h1, &a);
	if (!clean(&a) || cx_hll_get(&h2, a.p, a.len) != 0)
		abort();
	if (memcmp(h1.reg, h2.reg, sizeof h1.reg) != 0)
		abort();
	cx_hll_put(&h2, &b);
	if (!same(&a, &b))
		abort();
	double c = cx_hll_count(&h1);
	if (!(c >= 0) || !isfinite(c))
		abort();
}

static void fuzz_sketch(const char *p, size_t n)
{
	if (cx_sketch_get(&s1, p, n) != 0) {
		if (cx_sketch_count(&s1) != 0)
			abort();
		return;
	}
	cx_buf_reset(&a);
	cx_buf_reset(&b);
	cx_sketch_put(&s1, &a);
	if (!clean(&a) || cx_sketch_get(&s2, a.p, a.len) != 0)
		abort();
	cx_sketch_put(&s2, &b);
	if (!same(&a, &b))
		abort();

	if (cx_sketch_count(&s1) > 0) {
		if (cx_sketch_quantile(&s1, 0) != s1.min ||
		    cx_sketch_quantile(&s1, 1) != s1.max)
			abort();
		for (int i = 1; i < 20; i++) {
			double v = cx_sketch_quantile(&s1, i / 20.0);
			if (!(v >= s1.min && v <= s1.max))
				abort();
		}
	} else if (!isnan(cx_sketch_quantile(&s1, 0.5))) {
		abort();
	}

	/* Into an empty sketch: a copy. */
	cx_sketch c = CX_SKETCH_INIT;
	cx_sketch_merge(&c, &s1);
	cx_buf_reset(&b);
	cx_sketch_put(&c, &b);
	if (!same(&a, &b))
		abort();
	/* Into itself and into a sketch with other data: no crash. */
	cx_sketch_merge(&c, &c);
	cx_sketch_add(&c, 1e-300, 1);
	cx_sketch_add(&c, -3, 2);
	cx_sketch_merge(&s2, &c);
	(void)cx_sketch_quantile(&s2, 0.5);
	cx_sketch_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	fuzz_hll(p, size);
	fuzz_sketch(p, size);
	return 0;
}
