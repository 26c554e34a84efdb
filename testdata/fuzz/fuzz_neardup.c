/*
 * libFuzzer target for neardup: for any valid UTF-8 text cut in two, the
 * shingles are sorted and distinct, a text is identical to itself, and
 * the similarity of the halves is symmetric and in [0, 1], and
 * cx_similar() agrees with it at every threshold.  Placeholders,
 * URLs and handles cut at the end of the input are where it would read
 * past n.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Ilib \
 *     testdata/fuzz/fuzz_neardup.c lib/text/neardup.c lib/core/utf8.c \
 *     lib/core/err.c lib/core/buf.c -o fuzz_neardup
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "text/neardup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (cx_utf8_check((const char *)data, size))
		return 0;	/* the callers' contract: valid UTF-8 */
	size_t cut = size / 2;
	while (cut < size && (data[cut] & 0xC0) == 0x80)
		cut++;
	/* Exact-size copies, so that ASan sees a read past either end. */
	char *x = malloc(cut ? cut : 1), *y = malloc(size - cut ? size - cut : 1);
	memcpy(x, data, cut);
	memcpy(y, data + cut, size - cut);
	cx_shingles a = CX_SHINGLES_INIT, b = CX_SHINGLES_INIT;
	cx_shingles_of(&a, x, cut);
	cx_shingles_of(&b, y, size - cut);
	for (size_t i = 1; i < a.n; i++)
		if (a.v[i - 1] >= a.v[i])
			abort();
	if (a.n > a.units || (a.units && !a.n))
		abort();
	double s = cx_jaccard(&a, &b), t = cx_jaccard(&b, &a);
	if (s != t || s < 0 || s > 1)
		abort();
	if (a.n && cx_jaccard(&a, &a) != 1)
		abort();
	/* The shortcut must give the exact answer, at thresholds that meet
	 * the sizes exactly too (k / 20). */
	for (int k = 1; k <= 20; k++) {
		double th = k / 20.0;
		if (cx_similar(&a, &b, th) != (s >= th))
			abort();
	}
	cx_shingles_free(&a);
	cx_shingles_free(&b);
	free(x);
	free(y);
	return 0;
}
