/*
 * neardup: is a short text the same thing said again, with small changes?
 *
 * An agent who pastes one script thirteen times changes a word, a name or
 * an order number each time; a customer who files by phone and in the app
 * words it twice.  Exact comparison misses both, so a text is reduced to
 * its set of character bigrams (shingles) and two texts are compared by
 * the Jaccard similarity of their sets, |A ∩ B| / |A ∪ B|, in [0, 1].
 *
 * Before shingling the text is normalised, so that what differs between
 * copies of one message and what is shared by all messages both weigh
 * nothing:
 *   - de-identification placeholders ([数字x], [订单x]: a '[' and at most
 *     16 characters ending in "x]"), @handles, URLs (http:// or https:// up
 *     to a space) and sign-offs (^MM) are dropped, so that two different
 *     sentences that both quote an order number do not look alike;
 *   - spaces, punctuation and symbols are dropped (ASCII, Latin-1,
 *     General Punctuation, CJK and full-width punctuation);
 *   - ASCII and full-width letters are lowercased, full-width letters and
 *     digits become ASCII.
 * What is kept are the characters: each Chinese character, letter and
 * digit one unit; a text of one unit is one shingle of itself.
 *
 * Shingles are exact (the pair of code points, not a hash), so equal sets
 * mean equal normalised texts up to bigram order.  Memory: a cx_shingles
 * owns its array; filling one again reuses it, so a caller that keeps one
 * scratch set allocates nothing per text once it is large enough.
 */
#ifndef CX_NEARDUP_H
#define CX_NEARDUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct cx_shingles {
	uint64_t *v;		/* sorted, distinct */
	size_t n, cap;
	size_t units;		/* characters kept by the normalisation */
} cx_shingles;

#define CX_SHINGLES_INIT { NULL, 0, 0, 0 }

/* Normalise valid UTF-8 s[0..n) and set sh to its shingles. */
void cx_shingles_of(cx_shingles *sh, const char *s, size_t n);
void cx_shingles_copy(cx_shingles *dst, const cx_shingles *src);
void cx_shingles_free(cx_shingles *sh);

/* Jaccard similarity; 0 when either set is empty. */
double cx_jaccard(const cx_shingles *a, const cx_shingles *b);
/* Whether cx_jaccard(a, b) >= s, 0 < s <= 1, without computing it when
 * it cannot be: sets whose sizes differ by more than s allows are not
 * compared, and the merge stops once the rest cannot make up the
 * shared count needed. */
int cx_similar(const cx_shingles *a, const cx_shingles *b, double s);

#endif
