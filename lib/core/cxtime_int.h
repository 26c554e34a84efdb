/*
 * cxtime_int.h: internal to the cxtime module (lib/core/cxtime.c,
 * cxtime_parse.c and cxtime_period.c).  Not for cmd/ or other layers:
 * they use core/cxtime.h.
 *
 * cxtime.c owns the zone; the parser and the period code reach local time
 * only through wall_of() and cxtime_from_wall() below.  The small helpers
 * are static inline so that each piece compiles them into its hot paths
 * (the offset lookup, the timestamp parser) as when cxtime was one file.
 */
#ifndef CX_CXTIME_INT_H
#define CX_CXTIME_INT_H

#include <stdint.h>

#include "core/cxtime.h"

/* localtime_r() gives up where tm_year overflows; no zone has rules that
 * matter this far out, so look offsets up at the nearest sane instant. */
#define LOOKUP_MIN (CX_INSTANT_MIN - 3 * 86400)
#define LOOKUP_MAX (CX_INSTANT_MAX + 3 * 86400)

static inline cx_instant clamp_instant(cx_instant t)
{
	return t < LOOKUP_MIN ? LOOKUP_MIN : t > LOOKUP_MAX ? LOOKUP_MAX : t;
}

static inline int64_t fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return q - (a % b < 0);
}

static inline int64_t fmod64(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

static inline int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Wall-clock seconds: local date and time counted as if they were UTC. */
static inline int64_t wall_of(cx_instant t)
{
	return t + cx_utc_offset(t);
}

enum gap_rule { GAP_SHIFT, GAP_FIRST };

/* The instant whose wall clock reads w; how gaps and repeats are read is
 * described at its definition in cxtime.c. */
cx_instant cxtime_from_wall(int64_t w, enum gap_rule rule);

static inline int64_t wall_from_fields(int64_t y, int mo, int64_t d, int64_t h,
				       int64_t mi, int64_t s)
{
	return (cx_days_from_civil(y, mo, 1) + d - 1) * 86400 +
	       h * 3600 + mi * 60 + s;
}

/* A cursor over the text being parsed, for timestamps (cxtime_parse.c)
 * and periods (cxtime_period.c). */
struct cur {
	const char *p, *e;
};

static inline int at(const struct cur *c, char ch)
{
	return c->p < c->e && *c->p == ch;
}

/* A run of min..max digits, not followed by another digit. */
static inline int num(struct cur *c, int min, int max, int *val)
{
	int n = 0, v = 0;
	while (c->p + n < c->e && digit(c->p[n])) {
		if (++n > max)
			return -1;
		v = v * 10 + (c->p[n - 1] - '0');
	}
	if (n < min)
		return -1;
	c->p += n;
	*val = v;
	return 0;
}

#endif
