/*
 * Reading timestamps: cx_time_parse() with the forms listed in cxtime.h,
 * and the words for the failure codes.  Every record of a cx pipeline
 * passes through here (cx-ingest parses each record's timestamp, and the
 * later tools read back the form it writes), which is why that form has a
 * fast path ahead of the general parser.  A local time becomes an instant
 * through cxtime_from_wall() in cxtime.c, which owns the zone.
 */
#include "core/cxtime.h"
#include "core/cxtime_int.h"

#include <string.h>

const char *cx_time_strerror(int code)
{
	switch (code) {
	case 0: return "success";
	case CX_TIME_ENOPERIOD: return "no such period";
	case CX_TIME_EEMPTY: return "empty";
	case CX_TIME_ESYNTAX: return "not a date or time";
	case CX_TIME_ETRAILING: return "trailing garbage";
	case CX_TIME_EYEAR: return "year out of range";
	case CX_TIME_EMONTH: return "month out of range";
	case CX_TIME_EDAY: return "day out of range for month";
	case CX_TIME_EHOUR: return "hour out of range";
	case CX_TIME_EMINUTE: return "minute out of range";
	case CX_TIME_ESECOND: return "second out of range";
	case CX_TIME_EOFFSET: return "unknown time zone offset";
	case CX_TIME_EWEEK: return "week out of range";
	case CX_TIME_EQUARTER: return "quarter out of range";
	case CX_TIME_EWEEKDAY: return "weekday does not match the date";
	}
	return "unknown error";
}

static int at_digit(const struct cur *c)
{
	return c->p < c->e && digit(*c->p);
}

/* Match one of the 3-byte UTF-8 characters in set (a concatenation). */
static int cjk(struct cur *c, const char *set)
{
	if (c->e - c->p < 3)
		return 0;
	for (; *set; set += 3)
		if (memcmp(c->p, set, 3) == 0) {
			c->p += 3;
			return 1;
		}
	return 0;
}

#define CJK_YEAR "\xE5\xB9\xB4"
#define CJK_MONTH "\xE6\x9C\x88"
#define CJK_DAY "\xE6\x97\xA5" "\xE5\x8F\xB7" "\xE8\x99\x9F"
#define CJK_HOUR "\xE6\x97\xB6" "\xE6\x99\x82" "\xE7\x82\xB9" "\xE9\xBB\x9E"
#define CJK_MIN "\xE5\x88\x86"
#define CJK_SEC "\xE7\xA7\x92"

static void skip_spaces(struct cur *c)
{
	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

struct fields {
	int y, mo, d, h, mi, s;
	int has_off, off;
};

/* 'Z' | +hh | +hhmm | +hh:mm | +hh:mm:ss */
static int parse_offset(struct cur *c, struct fields *f)
{
	int h, m = 0, s = 0;
	if (at(c, 'Z') || at(c, 'z')) {
		c->p++;
		f->has_off = 1;
		f->off = 0;
		return 0;
	}
	int sign = *c->p++ == '-' ? -1 : 1;
	if (num(c, 4, 4, &h) == 0) {
		m = h % 100;
		h /= 100;
	} else if (num(c, 2, 2, &h) == 0) {
		if (at(c, ':')) {
			c->p++;
			if (num(c, 2, 2, &m) != 0)
				return CX_TIME_EOFFSET;
			if (at(c, ':')) {
				c->p++;
				if (num(c, 2, 2, &s) != 0)
					return CX_TIME_EOFFSET;
			}
		}
	} else {
		return CX_TIME_EOFFSET;
	}
	if (h > 23 || m > 59 || s > 59)
		return CX_TIME_EOFFSET;
	f->has_off = 1;
	f->off = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int check_hms(const struct fields *f)
{
	if (f->h > 23)
		return CX_TIME_EHOUR;
	if (f->mi > 59)
		return CX_TIME_EMINUTE;
	if (f->s > 60)
		return CX_TIME_ESECOND;
	return 0;
}

/* H[H]:mm[:ss[.fff]] then an optional offset, then the end. */
static int parse_clock(struct cur *c, struct fields *f)
{
	if (num(c, 1, 2, &f->h) != 0 || !at(c, ':'))
		return CX_TIME_ESYNTAX;
	c->p++;
	if (num(c, 2, 2, &f->mi) != 0)
		return CX_TIME_ESYNTAX;
	if (at(c, ':')) {
		c->p++;
		if (num(c, 2, 2, &f->s) != 0)
			return CX_TIME_ESYNTAX;
		if (at(c, '.') || at(c, ',')) {
			c->p++;
			if (!at_digit(c))
				return CX_TIME_ESYNTAX;
			while (at_digit(c))
				c->p++;
		}
	}
	int rc = check_hms(f);
	if (rc)
		return rc;
	skip_spaces(c);
	if (at(c, 'Z') || at(c, 'z') || at(c, '+') || at(c, '-'))
		if ((rc = parse_offset(c, f)) != 0)
			return rc;
	return c->p == c->e ? 0 : CX_TIME_ETRAILING;
}

/* After a date: the end, or spaces (or T for ISO) and a clock time. */
static int parse_time_part(struct cur *c, struct fields *f, int iso)
{
	if (c->p == c->e)
		return 0;
	if (iso && (at(c, 'T') || at(c, 't'))) {
		c->p++;
	} else if (at(c, ' ') || at(c, '\t')) {
		skip_spaces(c);
		if (!at_digit(c))
			return CX_TIME_ETRAILING;
	} else {
		return CX_TIME_ETRAILING;
	}
	return parse_clock(c, f);
}

/* 14时[02分[33秒]], 14点..., or a clock time; spaces before it allowed. */
static int parse_cjk_time(struct cur *c, struct fields *f)
{
	skip_spaces(c);
	if (c->p == c->e)
		return 0;
	const char *save = c->p;
	if (num(c, 1, 2, &f->h) != 0)
		return CX_TIME_ETRAILING;
	if (at(c, ':')) {
		c->p = save;
		return parse_clock(c, f);
	}
	if (!cjk(c, CJK_HOUR))
		return CX_TIME_ESYNTAX;
	if (at_digit(c)) {
		if (num(c, 1, 2, &f->mi) != 0 || !cjk(c, CJK_MIN))
			return CX_TIME_ESYNTAX;
		if (at_digit(c) &&
		    (num(c, 1, 2, &f->s) != 0 || !cjk(c, CJK_SEC)))
			return CX_TIME_ESYNTAX;
	}
	int rc = check_hms(f);
	if (rc)
		return rc;
	return c->p == c->e ? 0 : CX_TIME_ETRAILING;
}

static int check_month(const struct fields *f)
{
	return f->mo >= 1 && f->mo <= 12 ? 0 : CX_TIME_EMONTH;
}

static int check_date(const struct fields *f)
{
	if (f->y < 1)
		return CX_TIME_EYEAR;
	int rc = check_month(f);
	if (rc)
		return rc;
	return f->d >= 1 && f->d <= cx_days_in_month(f->y, f->mo) ?
		0 : CX_TIME_EDAY;
}

/* The instant, if its local year is 0001..9999; offsets are < a day. */
static int finish(cx_instant t, cx_instant *out)
{
	if (t < CX_INSTANT_MIN - 86400 || t > CX_INSTANT_MAX + 86400)
		return CX_TIME_EYEAR;
	if (t < CX_INSTANT_MIN + 86400 || t > CX_INSTANT_MAX - 86400) {
		struct cx_civil lc;
		cx_instant_to_local(t, &lc);
		if (lc.year < 1 || lc.year > 9999)
			return CX_TIME_EYEAR;
	}
	*out = t;
	return 0;
}

/* 9-11 digits of seconds or 13 of milliseconds, optional sign and fraction. */
static int parse_unix(const char *p, const char *e, cx_instant *out)
{
	int neg = *p == '-';
	if (neg)
		p++;
	int64_t v = 0;
	int nd = 0, frac = 0;
	for (; p < e && digit(*p); p++, nd++)
		v = v * 10 + (*p - '0');
	if (p < e) {
		if (*p != '.' || ++p == e)
			return CX_TIME_ESYNTAX;
		for (; p < e; p++) {
			if (!digit(*p))
				return CX_TIME_ETRAILING;
			frac |= *p != '0';
		}
	}
	int64_t unit = nd == 13 ? 1000 : 1, sec = v / unit;
	/* Dropping a fraction rounds toward the past: -1.5 s is -2. */
	if (neg)
		sec = -sec - (frac || v % unit != 0);
	return finish(sec, out);
}

/* The 3-letter English name at c among names (3 letters each, lower
 * case), in any case: its index, or -1. */
static int abbr(struct cur *c, const char *names)
{
	if (c->e - c->p < 3)
		return -1;
	char low[3];
	for (int i = 0; i < 3; i++) {
		char ch = c->p[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
			return -1;
		low[i] = (char)(ch | 0x20);
	}
	for (int k = 0; names[3 * k]; k++)
		if (!memcmp(names + 3 * k, low, 3)) {
			c->p += 3;
			return k;
		}
	return -1;
}

/* One or more spaces or tabs. */
static int blanks(struct cur *c)
{
	if (!at(c, ' ') && !at(c, '\t'))
		return -1;
	skip_spaces(c);
	return 0;
}

/*
 * The C library's order, as Twitter writes it: "Wed Oct 11 06:55:44 +0000
 * 2017", or without the offset as asctime() does ("Wed Oct  1 06:55:44
 * 2017", local time).  The weekday is checked against the date: a record
 * whose two halves disagree is more likely mangled than right.
 */
static int parse_weekday_form(struct cur *c, cx_instant *out)
{
	struct fields f = { 0 };
	int wd = abbr(c, "sunmontuewedthufrisat"), rc;
	if (wd < 0 || blanks(c) != 0)
		return CX_TIME_ESYNTAX;
	if ((f.mo = abbr(c, "janfebmaraprmayjunjulaugsepoctnovdec") + 1) == 0 || blanks(c) != 0 ||
	    num(c, 1, 2, &f.d) != 0 || blanks(c) != 0 || num(c, 1, 2, &f.h) != 0 || !at(c, ':'))
		return CX_TIME_ESYNTAX;
	c->p++;
	if (num(c, 2, 2, &f.mi) != 0 || !at(c, ':'))
		return CX_TIME_ESYNTAX;
	c->p++;
	if (num(c, 2, 2, &f.s) != 0 || blanks(c) != 0)
		return CX_TIME_ESYNTAX;
	if ((rc = check_hms(&f)) != 0)
		return rc;
	if (at(c, 'Z') || at(c, 'z') || at(c, '+') || at(c, '-')) {
		if ((rc = parse_offset(c, &f)) != 0)
			return rc;
		if (blanks(c) != 0)
			return CX_TIME_ESYNTAX;
	}
	if (num(c, 4, 4, &f.y) != 0)
		return CX_TIME_ESYNTAX;
	if (c->p != c->e)
		return CX_TIME_ETRAILING;
	if ((rc = check_date(&f)) != 0)
		return rc;
	/* 1970-01-01 was a Thursday (4). */
	if ((cx_days_from_civil(f.y, f.mo, f.d) % 7 + 11) % 7 != wd)
		return CX_TIME_EWEEKDAY;
	int64_t w = wall_from_fields(f.y, f.mo, f.d, f.h, f.mi, f.s == 60 ? 59 : f.s);
	return finish(f.has_off ? w - f.off : cxtime_from_wall(w, GAP_SHIFT), out);
}

/* Two digits at p, or -1. */
static int two(const char *p)
{
	return digit(p[0]) && digit(p[1]) ? (p[0] - '0') * 10 + (p[1] - '0') : -1;
}

/*
 * The form cx-ingest writes, 2024-03-05T14:02:33+08:00, is nearly every
 * timestamp a cx program reads after ingest; parsing it directly is 4x
 * faster than the general parser.  Returns 1 and sets *rc when s is that
 * form (valid or not: the general parser's verdict is the same), 0 if
 * the general parser must look at it.
 */
static int parse_canonical(const char *s, size_t n, cx_instant *out, int *rc)
{
	if (n != 25 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || (s[19] != '+' && s[19] != '-') || s[22] != ':')
		return 0;
	int yh = two(s), yl = two(s + 2), mo = two(s + 5), d = two(s + 8), h = two(s + 11),
	    mi = two(s + 14), se = two(s + 17), oh = two(s + 20), om = two(s + 23);
	if (yh < 0 || yl < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0 || oh < 0 || om < 0)
		return 0;
	int y = yh * 100 + yl;
	/* Years at the ends of the range go the long way, which checks the
	 * local year. */
	if (y < 2 || y > 9998 || mo < 1 || mo > 12 || d < 1 || d > cx_days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
		return 0;
	if (se == 60)
		se = 59;
	int off = (oh * 3600 + om * 60) * (s[19] == '-' ? -1 : 1);
	*out = cx_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	*rc = 0;
	return 1;
}

int cx_time_parse(const char *s, size_t n, cx_instant *out)
{
	int fast_rc;
	if (parse_canonical(s, n, out, &fast_rc))
		return fast_rc;
	struct cur c = { s, s + n };
	while (c.p < c.e && (*c.p == ' ' || *c.p == '\t'))
		c.p++;
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	if (c.p == c.e)
		return CX_TIME_EEMPTY;
	if ((*c.p >= 'A' && *c.p <= 'Z') || (*c.p >= 'a' && *c.p <= 'z'))
		return parse_weekday_form(&c, out);

	/* Bare numbers first: a compact date or Unix time. */
	const char *q = c.p + (*c.p == '-');
	int nd = 0;
	while (q + nd < c.e && digit(q[nd]))
		nd++;
	if (nd == 0)
		return CX_TIME_ESYNTAX;
	const char *after = q + nd;
	int neg = q != c.p;
	if (after == c.e || *after == '.') {
		if (nd == 8 && !neg && after == c.e) {
			struct fields f = { 0 };
			f.y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 +
			      (q[2] - '0') * 10 + (q[3] - '0');
			f.mo = (q[4] - '0') * 10 + (q[5] - '0');
			f.d = (q[6] - '0') * 10 + (q[7] - '0');
			int rc = check_date(&f);
			if (rc)
				return rc;
			return finish(cxtime_from_wall(wall_from_fields(f.y, f.mo, f.d,
						0, 0, 0), GAP_SHIFT), out);
		}
		if ((nd >= 9 && nd <= 11) || nd == 13)
			return parse_unix(c.p, c.e, out);
		return CX_TIME_ESYNTAX;
	}
	if ((nd >= 9 && nd <= 11) || nd == 13)
		return CX_TIME_ETRAILING;
	if (neg)
		return CX_TIME_ESYNTAX;

	struct fields f = { 0 };
	f.d = 1;
	int rc;
	if (nd == 4 && (*after == '-' || *after == '/')) {
		/* year first: Y-M[-D] or Y/M/D */
		char sep = *after;
		num(&c, 4, 4, &f.y);
		c.p++;
		if (num(&c, 1, 2, &f.mo) != 0)
			return CX_TIME_ESYNTAX;
		if (sep == '-' && c.p == c.e) {
			if (f.y < 1)
				return CX_TIME_EYEAR;
			if ((rc = check_month(&f)) != 0)
				return rc;
		} else {
			if (!at(&c, sep))
				return sep == '-' ? CX_TIME_ETRAILING :
					CX_TIME_ESYNTAX;
			c.p++;
			if (num(&c, 1, 2, &f.d) != 0)
				return CX_TIME_ESYNTAX;
			if ((rc = check_date(&f)) != 0)
				return rc;
			if ((rc = parse_time_part(&c, &f, sep == '-')) != 0)
				return rc;
		}
	} else if (nd == 4 && c.e - after >= 3 &&
		   memcmp(after, CJK_YEAR, 3) == 0) {
		num(&c, 4, 4, &f.y);
		c.p += 3;
		if (num(&c, 1, 2, &f.mo) != 0 || !cjk(&c, CJK_MONTH))
			return CX_TIME_ESYNTAX;
		if (c.p == c.e) {
			if (f.y < 1)
				return CX_TIME_EYEAR;
			if ((rc = check_month(&f)) != 0)
				return rc;
		} else {
			if (num(&c, 1, 2, &f.d) != 0)
				return CX_TIME_ETRAILING;
			if (!cjk(&c, CJK_DAY))
				return CX_TIME_ESYNTAX;
			if ((rc = check_date(&f)) != 0)
				return rc;
			if ((rc = parse_cjk_time(&c, &f)) != 0)
				return rc;
		}
	} else if (nd <= 2 && *after == '/') {
		/* US: M/D/YYYY */
		num(&c, 1, 2, &f.mo);
		c.p++;
		if (num(&c, 1, 2, &f.d) != 0 || !at(&c, '/'))
			return CX_TIME_ESYNTAX;
		c.p++;
		if (num(&c, 4, 4, &f.y) != 0)
			return CX_TIME_ESYNTAX;
		if ((rc = check_date(&f)) != 0)
			return rc;
		if ((rc = parse_time_part(&c, &f, 0)) != 0)
			return rc;
	} else {
		return CX_TIME_ESYNTAX;
	}

	int sec = f.s == 60 ? 59 : f.s;
	int64_t w = wall_from_fields(f.y, f.mo, f.d, f.h, f.mi, sec);
	return finish(f.has_off ? w - f.off : cxtime_from_wall(w, GAP_SHIFT), out);
}
