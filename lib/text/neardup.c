#include "text/neardup.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

/* Spaces, punctuation and symbols: they separate or decorate, and copies
 * of one message differ in them more than in anything else. */
static int is_separator(uint32_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	return (c >= 0x80 && c <= 0xBF) || (c >= 0x2000 && c <= 0x2BFF) ||
	       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	       (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0xFFFD;
}

static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF10 && c <= 0xFF19)
		return c - 0xFF10 + '0';
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c - 0xFF21 + 'a';
	if (c >= 0xFF41 && c <= 0xFF5A)
		return c - 0xFF41 + 'a';
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	return c;
}

static int is_word_byte(unsigned char b)
{
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
}

/* The length of what is dropped whole at s[i], or 0. */
static size_t dropped(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	switch (s[i]) {
	case '[': {
		/* A placeholder: '[' and at most 16 characters up to "x]". */
		for (int chars = 0; j < n && chars <= 16; chars++) {
			if (s[j] == '[')
				return 0;
			if (s[j] == ']')
				return j > i + 1 && s[j - 1] == 'x' ? j + 1 - i : 0;
			uint32_t c;
			j += cx_utf8_decode(s + j, n - j, &c);
		}
		return 0;
	}
	case '@':
	case '^':
		while (j < n && is_word_byte((unsigned char)s[j]))
			j++;
		return j > i + 1 ? j - i : 0;
	case 'h':
		if ((n - i >= 7 && !memcmp(s + i, "http://", 7)) ||
		    (n - i >= 8 && !memcmp(s + i, "https://", 8))) {
			while (j < n && s[j] != ' ' && s[j] != '\n' && s[j] != '\t')
				j++;
			return j - i;
		}
		return 0;
	}
	return 0;
}

static void add(cx_shingles *sh, uint64_t v)
{
	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? 2 * sh->cap : 64;
		sh->v = cx_realloc(sh->v, sh->cap * sizeof *sh->v);
	}
	sh->v[sh->n++] = v;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Replies are a few dozen shingles: insertion sort beats qsort's calls. */
static void sort_values(uint64_t *v, size_t n)
{
	if (n > 64) {
		qsort(v, n, sizeof *v, by_value);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void cx_shingles_of(cx_shingles *sh, const char *s, size_t n)
{
	sh->n = 0;
	sh->units = 0;
	uint32_t prev = 0;
	for (size_t i = 0; i < n;) {
		size_t skip = dropped(s, n, i);
		if (skip) {
			i += skip;
			continue;
		}
		uint32_t c;
		i += cx_utf8_decode(s + i, n - i, &c);
		if (is_separator(c))
			continue;
		c = fold(c);
		if (sh->units++)
			add(sh, (uint64_t)prev << 21 | c);
		prev = c;
	}
	if (sh->units == 1)
		add(sh, (uint64_t)prev << 21);
	if (sh->n > 1)	/* qsort of a NULL array is undefined, even of 0 */
		sort_values(sh->v, sh->n);
	size_t k = 0;
	for (size_t i = 0; i < sh->n; i++)
		if (!k || sh->v[k - 1] != sh->v[i])
			sh->v[k++] = sh->v[i];
	sh->n = k;
}

void cx_shingles_copy(cx_shingles *dst, const cx_shingles *src)
{
	if (dst->cap < src->n) {
		dst->cap = src->n;
		dst->v = cx_realloc(dst->v, dst->cap * sizeof *dst->v);
	}
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof *src->v);
	dst->n = src->n;
	dst->units = src->units;
}

void cx_shingles_free(cx_shingles *sh)
{
	free(sh->v);
	memset(sh, 0, sizeof *sh);
}

/* The shingles a and b share, or -1 as soon as the rest of the merge
 * cannot bring them up to need. */
static long shared(const cx_shingles *a, const cx_shingles *b, double need)
{
	size_t i = 0, j = 0, both = 0;
	while (i < a->n && j < b->n) {
		size_t left = a->n - i < b->n - j ? a->n - i : b->n - j;
		if ((double)(both + left) < need - 1e-9)
			return -1;
		if (a->v[i] < b->v[j]) {
			i++;
		} else if (a->v[i] > b->v[j]) {
			j++;
		} else {
			both++;
			i++;
			j++;
		}
	}
	return (long)both;
}

static double jaccard_of(const cx_shingles *a, const cx_shingles *b, long both)
{
	return (double)both / (double)(a->n + b->n - (size_t)both);
}

double cx_jaccard(const cx_shingles *a, const cx_shingles *b)
{
	if (!a->n || !b->n)
		return 0;
	return jaccard_of(a, b, shared(a, b, 0));
}

int cx_similar(const cx_shingles *a, const cx_shingles *b, double s)
{
	if (!a->n || !b->n)
		return 0;
	size_t lo = a->n < b->n ? a->n : b->n, hi = a->n + b->n - lo;
	if ((double)lo < s * (double)hi - 1e-9)
		return 0;	/* J <= lo / hi < s */
	/* J >= s  <=>  both >= s (|A| + |B|) / (1 + s). */
	long both = shared(a, b, s * (double)(a->n + b->n) / (1 + s));
	return both >= 0 && jaccard_of(a, b, both) >= s;
}
