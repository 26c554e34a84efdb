/*
 * libFuzzer target for cxtime: whatever cx_time_parse() accepts must format
 * and parse back to the same instant, and every period of it must format
 * and parse back to the same period and start no later than the instant.
 * The zone is $CX_FUZZ_TZ, else America/New_York for its DST gaps.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Ilib \
 *     testdata/fuzz/fuzz_time.c lib/core/cxtime.c lib/core/cxtime_parse.c \
 *     lib/core/cxtime_period.c lib/core/buf.c lib/core/err.c -o fuzz_time
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cxtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_time: %s for input \"%.*s\"\n", what, (int)size,
		(const char *)data);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		const char *z = getenv("CX_FUZZ_TZ");
		cx_buf err = CX_BUF_INIT;
		if (cx_tz_set(z && *z ? z : "America/New_York", &err) != 0)
			fail(err.p, data, 0);
		cx_buf_free(&err);
		ready = 1;
	}
	const char *s = (const char *)data;

	/* The canonical-form fast path must agree with the general parser,
	 * which a leading blank forces. */
	if (size == 25) {
		char padded[26];
		padded[0] = ' ';
		memcpy(padded + 1, s, 25);
		cx_instant a = 0, b = 0;
		int ra = cx_time_parse(s, 25, &a), rb = cx_time_parse(padded, 26, &b);
		if (ra != rb || (ra == 0 && a != b))
			fail("fast path and general parser differ", data, size);
	}

	/* Period strings straight from the input: the format is canonical. */
	for (int u = 0; u < CX_NUNITS; u++) {
		cx_period p;
		char pb[CX_PERIOD_MAX];
		if (cx_period_parse(s, size, (enum cx_unit)u, &p) != 0)
			continue;
		size_t n = cx_period_format(p, pb), i = 0, e = size;
		while (i < e && (s[i] == ' ' || s[i] == '\t'))
			i++;
		while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (n != e - i || memcmp(pb, s + i, n) != 0)
			fail("format(parse(period)) differs", data, size);
	}

	cx_instant t, t2;
	int rc = cx_time_parse(s, size, &t);
	if (rc > 0 || (rc < 0 && strcmp(cx_time_strerror(rc), "unknown error") == 0))
		fail("bad return code", data, size);
	if (rc != 0)
		return 0;
	if (t < CX_INSTANT_MIN - 86400 || t > CX_INSTANT_MAX + 86400)
		fail("instant out of range", data, size);

	char buf[CX_TIME_MAX];
	size_t n = cx_time_format(t, buf);
	if (n >= CX_TIME_MAX || strlen(buf) != n)
		fail("format length", data, size);
	if (cx_time_parse(buf, n, &t2) != 0 || t2 != t)
		fail("parse(format(t)) != t", data, size);

	for (int u = 0; u < CX_NUNITS; u++) {
		cx_period p = cx_period_of(t, (enum cx_unit)u), q, y;
		char pb[CX_PERIOD_MAX];
		size_t pn = cx_period_format(p, pb);
		if (pn >= CX_PERIOD_MAX || strlen(pb) != pn)
			fail("period format length", data, size);
		if (cx_period_parse(pb, pn, (enum cx_unit)u, &q) != 0 ||
		    q.unit != p.unit || q.index != p.index)
			fail("parse(format(p)) != p", data, size);
		cx_instant start = cx_period_start(p);
		if (start > t)
			fail("period starts after the instant", data, size);
		if (cx_period_of(start, (enum cx_unit)u).index != p.index)
			fail("period_of(start(p)) != p", data, size);
		q.index = p.index + 1;
		if (cx_period_start(q) <= t)
			fail("next period starts before the instant", data,
			     size);
		if (cx_period_prev(q).index != p.index)
			fail("prev(next(p)) != p", data, size);
		if (cx_period_year_ago(p, &y) == 0) {
			cx_period_format(y, pb);
			if (y.unit != p.unit || y.index >= p.index)
				fail("year ago not earlier", data, size);
		}
	}
	return 0;
}
