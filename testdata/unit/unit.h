/*
 * unit.h: the smallest test harness that says what failed.
 *
 * Each test file is one program.  CHECK* macros count passes and failures
 * and print the failing expression with file and line; unit_done() prints
 * "N passed, N failed" and returns the exit status for main().
 */
#ifndef CX_UNIT_H
#define CX_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond) do { \
	if (cond) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ == w_) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s == %lld, want %lld\n", \
		__FILE__, __LINE__, #got, g_, w_); } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s == \"%s\", want \"%s\"\n", \
		__FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

/* Compare a (pointer, length) slice with a C string. */
#define CHECK_MEM(p, n, want) do { \
	const char *w_ = (want); size_t n_ = (n); \
	if (strlen(w_) == n_ && memcmp((p), w_, n_) == 0) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s == \"%.*s\", want \"%s\"\n", \
		__FILE__, __LINE__, #p, (int)n_, (const char *)(p), w_); } \
} while (0)

static inline int unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}

#endif
