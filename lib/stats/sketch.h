/*
 * sketch: quantiles with a relative-error guarantee, in bounded memory.
 *
 * A DDSketch (Masson, Rim, Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", VLDB 2019) for the
 * percentiles of a numeric column when the values are too many to sort:
 * every quantile comes back within 1% (alpha) of the value of that rank in
 * the sorted data, from at most a few thousand bucket counts, and sketches
 * of parts merge into the sketch of the whole.
 *
 * Mapping.  A value v > 0 goes to bucket i = ceil(log_gamma(v)), gamma =
 * (1+alpha)/(1-alpha), which holds (gamma^(i-1), gamma^i]; the bucket
 * answers (1-alpha) gamma^i = 2 gamma^i / (gamma+1), within alpha of
 * anything in it.  Negative values are bucketed the same by -v in a second
 * store, zeros are a plain count.  NaN and infinities are not values: they
 * are ignored, as are weights that are not finite and > 0.
 *
 * Rank convention.  Sort the values (each with its weight; weight 1 is one
 * value); W is the total weight.  The q-quantile is the smallest value x
 * whose cumulative weight (of values <= x) exceeds q (W - 1).  With unit
 * weights that is x[floor(q (N-1))] of the 0-based sorted array: the lower
 * value, no interpolation.  The sketch answers the representative of the
 * bucket holding that value, clamped into [min, max], which are kept
 * exactly; q = 0 is min and q = 1 is max exactly.
 *
 * Collapsing.  Each store keeps at most CX_SKETCH_MAXBUCKETS buckets
 * between its lowest and its highest nonempty bucket: when hi is the
 * highest, everything below hi - CX_SKETCH_MAXBUCKETS + 1 is counted in
 * that bucket instead.  2048 buckets span a factor gamma^2048 = 6e17, so
 * this happens only when one sign of a column covers more than 17 decimal
 * orders of magnitude; then the quantiles that fall among the values that
 * were collapsed (the ones nearest to zero: the low end for positive data,
 * the high end for negative) are overestimated in magnitude, up to the
 * collapse floor (about hi/6e17), and lose the relative guarantee; the
 * others keep it.  Because the floor only depends on the highest bucket and
 * only rises, collapsing as we go gives the same counts as collapsing once
 * at the end, in whatever order values and merges come: a merge of
 * sketches of parts is exactly the sketch of the whole (same buckets, same
 * text), when the weights are integers (below 2^53).  Fractional weights
 * are summed in another order and may differ in the last bits.
 *
 * Memory.  A cx_sketch owns its bucket arrays (grown by doubling, at most
 * 2 * CX_SKETCH_MAXBUCKETS doubles a store, so adds do not allocate once
 * the range of the data has been seen); cx_sketch_free releases them and
 * leaves an empty sketch.  Copy with cx_sketch_init + cx_sketch_merge,
 * never by assignment.
 */
#ifndef CX_SKETCH_H
#define CX_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define CX_SKETCH_ALPHA 0.01
#define CX_SKETCH_MAXBUCKETS 2048

typedef struct cx_sketch_store {
	double *c;		/* c[i - off]: weight in bucket i */
	int32_t off;		/* bucket index of c[0] */
	int32_t len;		/* doubles allocated */
	int32_t lo, hi;		/* lowest, highest nonempty bucket; lo > hi: empty */
} cx_sketch_store;

typedef struct cx_sketch {
	cx_sketch_store pos;	/* v > 0 by v */
	cx_sketch_store neg;	/* v < 0 by -v */
	double zeros;		/* weight of v == 0 */
	double min, max;	/* exact; 0 while empty */
} cx_sketch;

#define CX_SKETCH_INIT { { NULL, 0, 0, 1, 0 }, { NULL, 0, 0, 1, 0 }, 0, 0, 0 }

void cx_sketch_init(cx_sketch *s);
void cx_sketch_free(cx_sketch *s);
void cx_sketch_add(cx_sketch *s, double v, double weight);	/* weight >= 0 */
void cx_sketch_merge(cx_sketch *dst, const cx_sketch *src);	/* dst may be src */
/* q in [0,1] (anything else: NaN); NaN if the sketch is empty. */
double cx_sketch_quantile(const cx_sketch *s, double q);
double cx_sketch_count(const cx_sketch *s);	/* total weight */

/*
 * Text form for a TSV field (digits, letters of numbers, - + . , = :),
 * appended to out by cx_sketch_put:
 *   dd1:ZEROS:MIN:MAX:POS:NEG
 * "dd1" names this mapping (logarithmic, alpha 0.01, at most 2048 buckets a
 * store).  ZEROS is the weight of zeros ("0" if none).  MIN and MAX are
 * empty for an empty sketch.  A store is empty, or LO=C,C,...,C: the
 * weights of buckets LO, LO+1, ... up to the highest nonempty one; an empty
 * bucket in between is an empty C, the first and last are not.  Numbers are
 * decimal, the shortest that read back as the same double: an empty sketch
 * is "dd1:0::::", the values 1, 1.01, 1.01 and 0 "dd1:1:0:1.01:0=1,2:".
 * cx_sketch_get parses p[0..n) (not NUL-terminated, never read past n),
 * strictly: bad syntax, a number not finite, a weight not > 0, a bucket no
 * double maps to, a store wider than 2048 buckets, min > max, or min and
 * max not agreeing with which stores are empty is malformed.  s must have
 * been initialised; its contents are replaced.  Returns 0, or -1 with s
 * left empty.
 */
void cx_sketch_put(const cx_sketch *s, cx_buf *out);
int cx_sketch_get(cx_sketch *s, const char *p, size_t n);

#endif
