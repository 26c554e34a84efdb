/*
 * Calendar periods (hour .. year), what reports group instants by, and the
 * text form of instants and periods.  cx_time_format() is here rather than
 * beside the parser because it shares the digit writers (put2, put_year,
 * put_date) with cx_period_format(); cx_period_parse() reads back exactly
 * what cx_period_format() writes.
 */
#include "core/cxtime.h"
#include "core/cxtime_int.h"

#include <string.h>

/* ---- formatting ---- */

static char *put2(char *b, int v)
{
	b[0] = (char)('0' + v / 10 % 10);
	b[1] = (char)('0' + v % 10);
	return b + 2;
}

/* At least four digits, a '-' before negative years. */
static char *put_year(char *b, int64_t y)
{
	char tmp[24];
	int n = 0;
	uint64_t a = y < 0 ? 0 - (uint64_t)y : (uint64_t)y;
	do {
		tmp[n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a || n < 4);
	if (y < 0)
		*b++ = '-';
	while (n)
		*b++ = tmp[--n];
	return b;
}

static char *put_date(char *b, int64_t y, int m, int d)
{
	b = put_year(b, y);
	*b++ = '-';
	b = put2(b, m);
	*b++ = '-';
	return put2(b, d);
}

size_t cx_time_format(cx_instant t, char *buf)
{
	struct cx_civil lc;
	cx_instant_to_local(t, &lc);
	char *b = put_date(buf, lc.year, lc.month, lc.day);
	*b++ = 'T';
	b = put2(b, lc.hour);
	*b++ = ':';
	b = put2(b, lc.min);
	*b++ = ':';
	b = put2(b, lc.sec);
	int a = lc.offset < 0 ? -lc.offset : lc.offset;
	*b++ = lc.offset < 0 ? '-' : '+';
	b = put2(b, a / 3600);
	*b++ = ':';
	b = put2(b, a / 60 % 60);
	if (a % 60) {
		*b++ = ':';
		b = put2(b, a % 60);
	}
	*b = '\0';
	return (size_t)(b - buf);
}

/* ---- periods ---- */

const char *const cx_unit_names[CX_NUNITS] = {
	"hour", "day", "week", "month", "quarter", "year",
};

int cx_unit_parse(const char *name, enum cx_unit *out)
{
	for (int u = 0; u < CX_NUNITS; u++)
		if (strcmp(name, cx_unit_names[u]) == 0) {
			*out = (enum cx_unit)u;
			return 0;
		}
	return -1;
}

/* Index limits keeping every unit within about a billion years, where the
 * day and second arithmetic below cannot overflow. */
static int64_t clamp_index(cx_period p)
{
	static const int64_t lim[CX_NUNITS] = {
		(int64_t)366000000000 * 24, 366000000000, 53000000000,
		12000000000, 4000000000, 1000000000,
	};
	int64_t l = lim[(unsigned)p.unit < CX_NUNITS ? p.unit : CX_YEAR];
	return p.index < -l ? -l : p.index > l ? l : p.index;
}

/* Week index of the ISO week containing the given day. */
static int64_t week_of_day(int64_t days)
{
	return fdiv(days + 3, 7);
}

/* Index of week 1 of ISO year y: the week with January 4th in it. */
static int64_t week1(int64_t y)
{
	return week_of_day(cx_days_from_civil(y, 1, 4));
}

static int64_t iso_weeks(int64_t y)
{
	return week1(y + 1) - week1(y);
}

/* ISO week-year and week number of a week index: its Thursday decides. */
static void iso_week(int64_t idx, int64_t *y, int *w)
{
	int m, d;
	cx_civil_from_days(idx * 7, y, &m, &d);
	*w = (int)(idx - week1(*y) + 1);
}

cx_period cx_period_of(cx_instant t, enum cx_unit u)
{
	int64_t w = wall_of(clamp_instant(t)), days = fdiv(w, 86400), y;
	int m, d;
	cx_period p = { u, 0 };
	switch (u) {
	case CX_HOUR:
		p.index = fdiv(w, 3600);
		return p;
	case CX_DAY:
		p.index = days;
		return p;
	case CX_WEEK:
		p.index = week_of_day(days);
		return p;
	case CX_MONTH:
	case CX_QUARTER:
	case CX_YEAR:
		break;
	}
	cx_civil_from_days(days, &y, &m, &d);
	p.index = u == CX_MONTH ? y * 12 + m - 1 :
		  u == CX_QUARTER ? y * 4 + (m - 1) / 3 : y;
	return p;
}

size_t cx_period_format(cx_period p, char *buf)
{
	int64_t idx = clamp_index(p), y;
	int m, d, w;
	char *b = buf;
	switch (p.unit) {
	case CX_HOUR:
		cx_civil_from_days(fdiv(idx, 24), &y, &m, &d);
		b = put_date(b, y, m, d);
		*b++ = 'T';
		b = put2(b, (int)fmod64(idx, 24));
		break;
	case CX_DAY:
		cx_civil_from_days(idx, &y, &m, &d);
		b = put_date(b, y, m, d);
		break;
	case CX_WEEK:
		iso_week(idx, &y, &w);
		b = put_year(b, y);
		*b++ = '-';
		*b++ = 'W';
		b = put2(b, w);
		break;
	case CX_MONTH:
		b = put_year(b, fdiv(idx, 12));
		*b++ = '-';
		b = put2(b, (int)fmod64(idx, 12) + 1);
		break;
	case CX_QUARTER:
		b = put_year(b, fdiv(idx, 4));
		*b++ = '-';
		*b++ = 'Q';
		*b++ = (char)('1' + fmod64(idx, 4));
		break;
	case CX_YEAR:
		b = put_year(b, idx);
		break;
	}
	*b = '\0';
	return (size_t)(b - buf);
}

int cx_period_parse(const char *s, size_t n, enum cx_unit u, cx_period *out)
{
	struct cur c = { s, s + n };
	int y, m = 1, d = 1, h = 0, w = 0, q = 0;
	while (c.p < c.e && (*c.p == ' ' || *c.p == '\t'))
		c.p++;
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	if (c.p == c.e)
		return CX_TIME_EEMPTY;
	if (num(&c, 4, 4, &y) != 0)
		return CX_TIME_ESYNTAX;
	if (u != CX_YEAR) {
		if (!at(&c, '-'))
			return c.p == c.e ? CX_TIME_ESYNTAX : CX_TIME_ETRAILING;
		c.p++;
		if (u == CX_WEEK || u == CX_QUARTER) {
			if (!at(&c, u == CX_WEEK ? 'W' : 'Q'))
				return CX_TIME_ESYNTAX;
			c.p++;
			if (u == CX_WEEK ? num(&c, 2, 2, &w) : num(&c, 1, 1, &q))
				return CX_TIME_ESYNTAX;
		} else {
			if (num(&c, 2, 2, &m) != 0)
				return CX_TIME_ESYNTAX;
			if (m < 1 || m > 12)
				return CX_TIME_EMONTH;
			if (u != CX_MONTH) {
				if (!at(&c, '-'))
					return CX_TIME_ESYNTAX;
				c.p++;
				if (num(&c, 2, 2, &d) != 0)
					return CX_TIME_ESYNTAX;
				if (d < 1 || d > cx_days_in_month(y, m))
					return CX_TIME_EDAY;
			}
			if (u == CX_HOUR) {
				if (!at(&c, 'T'))
					return CX_TIME_ESYNTAX;
				c.p++;
				if (num(&c, 2, 2, &h) != 0)
					return CX_TIME_ESYNTAX;
				if (h > 23)
					return CX_TIME_EHOUR;
			}
		}
	}
	if (c.p != c.e)
		return CX_TIME_ETRAILING;
	if (u == CX_WEEK && (w < 1 || w > iso_weeks(y)))
		return CX_TIME_EWEEK;
	if (u == CX_QUARTER && (q < 1 || q > 4))
		return CX_TIME_EQUARTER;
	int64_t days = cx_days_from_civil(y, m, d);
	out->unit = u;
	switch (u) {
	case CX_HOUR: out->index = days * 24 + h; break;
	case CX_DAY: out->index = days; break;
	case CX_WEEK: out->index = week1(y) + w - 1; break;
	case CX_MONTH: out->index = (int64_t)y * 12 + m - 1; break;
	case CX_QUARTER: out->index = (int64_t)y * 4 + q - 1; break;
	case CX_YEAR: out->index = y; break;
	}
	return 0;
}

cx_period cx_period_prev(cx_period p)
{
	p.index = clamp_index(p) - 1;
	return p;
}

int cx_period_year_ago(cx_period p, cx_period *out)
{
	int64_t idx = clamp_index(p), y, days, hour = 0;
	int m, d, w;
	switch (p.unit) {
	case CX_HOUR:
	case CX_DAY:
		if (p.unit == CX_HOUR) {
			days = fdiv(idx, 24);
			hour = idx - days * 24;
		} else {
			days = idx;
		}
		cx_civil_from_days(days, &y, &m, &d);
		if (m == 2 && d == 29)
			return CX_TIME_ENOPERIOD;
		days = cx_days_from_civil(y - 1, m, d);
		idx = p.unit == CX_HOUR ? days * 24 + hour : days;
		break;
	case CX_WEEK:
		iso_week(idx, &y, &w);
		if (w > iso_weeks(y - 1))
			return CX_TIME_ENOPERIOD;
		idx = week1(y - 1) + w - 1;
		break;
	case CX_MONTH:
		idx -= 12;
		break;
	case CX_QUARTER:
		idx -= 4;
		break;
	case CX_YEAR:
		idx -= 1;
		break;
	}
	out->unit = p.unit;
	out->index = idx;
	return 0;
}

cx_instant cx_period_start(cx_period p)
{
	int64_t idx = clamp_index(p), w = 0;
	switch (p.unit) {
	case CX_HOUR: w = idx * 3600; break;
	case CX_DAY: w = idx * 86400; break;
	case CX_WEEK: w = (idx * 7 - 3) * 86400; break;
	case CX_MONTH:
		w = cx_days_from_civil(fdiv(idx, 12),
				       (int)fmod64(idx, 12) + 1, 1) * 86400;
		break;
	case CX_QUARTER:
		w = cx_days_from_civil(fdiv(idx, 4),
				       (int)fmod64(idx, 4) * 3 + 1, 1) * 86400;
		break;
	case CX_YEAR:
		w = cx_days_from_civil(idx, 1, 1) * 86400;
		break;
	}
	return cxtime_from_wall(w, GAP_FIRST);
}
