/*
 * hll: HyperLogLog, the distinct count that stops being exact.
 *
 * A group that has seen more distinct values than a tool is willing to
 * remember exactly keeps one of these instead: 16 KiB, whatever the number
 * of values, and a relative standard error of 1.04/sqrt(2^14) = 0.81%.
 * Sketches of parts merge (register-wise max) into exactly the sketch of
 * the whole, which is what lets cx-metrics --partial run per chunk and
 * combine afterwards.
 *
 * The estimator is Ertl's improved raw estimator (O. Ertl, "New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017, algorithm 6): it
 * uses the whole register histogram, so it needs neither HLL++'s empirical
 * bias tables nor a switch to linear counting at small counts, and it has
 * no large-range correction to get wrong.  An empty sketch counts 0.
 *
 * Values are added by hash: the caller hashes with cx_hash() (keys.h), the
 * same function everywhere, or sketches from different tools would not
 * merge.  The register array lives inside the struct (no allocation, no
 * free); copy it with plain assignment.
 */
#ifndef CX_HLL_H
#define CX_HLL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define CX_HLL_P 14		/* 16384 registers: standard error 1.04/sqrt(m) = 0.81% */
#define CX_HLL_M (1 << CX_HLL_P)

typedef struct cx_hll {
	/* Register j: 1 + the leading zeros of the 50 hash bits after the
	 * 14 index bits, maximised over the values with index j; 0 if none.
	 * So 0..51. */
	uint8_t reg[1 << CX_HLL_P];
} cx_hll;

void cx_hll_init(cx_hll *h);
void cx_hll_add_hash(cx_hll *h, uint64_t hash);	/* hash = cx_hash(value) */
void cx_hll_merge(cx_hll *dst, const cx_hll *src);	/* register-wise max */
double cx_hll_count(const cx_hll *h);		/* estimate, >= 0 */

/*
 * Text form for a TSV field (letters, digits, '+', '/' and ':' only),
 * appended to out by cx_hll_put in whichever of two forms is shorter:
 *   "hll14:"  + 16384 characters, register j as base64 digit j (a register
 *             is at most 51, so one digit each; 16390 bytes in all);
 *   "hll14s:" + per nonzero register, in increasing index order, 3 base64
 *             digits of the index (big-endian, 18 bits) and 1 of the value
 *             (4 bytes a register: an empty sketch is "hll14s:").
 * The alphabet is that of RFC 4648: A-Z a-z 0-9 + /.
 * cx_hll_get parses s[0..n) (not NUL-terminated, never read past n) and
 * accepts either form; anything else -- another precision, a register over
 * 51, a sparse index out of range, repeated or out of order, a zero sparse
 * value, a wrong length, trailing bytes -- is malformed.  Returns 0, or -1
 * with *h left empty.
 */
void cx_hll_put(const cx_hll *h, cx_buf *out);
int cx_hll_get(cx_hll *h, const char *s, size_t n);

#endif
