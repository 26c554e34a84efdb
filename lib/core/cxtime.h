/*
 * cxtime: instants, the time zone, the timestamps complaints arrive with,
 * and the calendar periods (hour .. year) that reports group them by.
 *
 * An instant is whole seconds since 1970-01-01T00:00:00Z.  Sub-second parts
 * are parsed and dropped toward the past (floor), so "-1.5" is -2, the same
 * as cutting ".5" off a written time.  Every "local" thing (naive times,
 * formatting, periods) is in the one zone selected by cx_tz_set(); until it
 * is called that zone is UTC.  The zone is process-wide state, so none of
 * this is thread-safe against cx_tz_set().
 *
 * Nothing here allocates.  Parsers take a (pointer, length) slice that need
 * not be NUL-terminated and never read past it; formatters write into the
 * caller's array of CX_TIME_MAX / CX_PERIOD_MAX bytes, NUL-terminate it and
 * return the length.  Functions given instants outside CX_INSTANT_MIN ..
 * CX_INSTANT_MAX clamp them into that range rather than overflow.
 *
 * Timestamp forms accepted by cx_time_parse() (after trimming ASCII spaces
 * and tabs at both ends; M, D and H may have 1 or 2 digits, mm and ss need 2):
 *     2024-03-05  2024-03  20240305 (exactly 8 digits: a date)
 *     2024-03-05T14:02  2024-03-05 14:02:33  2024-03-05T14:02:33.123
 *     2024/3/5  2024/03/05 14:02  2024/3/5 14:02:33        (year first)
 *     3/5/2024  03/05/2024 14:02:33       (US order: month/day/year)
 *     2024年3月5日  2024年3月  2024年3月5日 14:02[:33]  (号 for 日 too)
 *     2024年3月5日14时02分[33秒]  14点  14点2分  (時 點 號 as well)
 *     1709618553  -100000000  1709618553.5   (9-11 digits: Unix seconds)
 *     1709618553123                          (13 digits: Unix milliseconds)
 *     Wed Oct 11 06:55:44 +0000 2017  Wed Oct  1 06:55:44 2017
 *                     (Twitter, asctime: English weekday and month names in
 *                     any case, the weekday must match the date)
 * A date alone or a month alone means its first second.  Any form with a
 * clock time (hh:mm) may end in an offset, with or without a space before
 * it: Z, +08, +0800, +08:00, -05:00, +05:30:00 (hours <= 23).  Without an
 * offset the time is local to the cx_tz_set() zone.  Rejected: 2-digit
 * years, 12-hour clocks, hour 24 (write 00:00 of the next day), minute 60,
 * second 61, day 0 or past the month's end (2023-02-29), month 0 or 13,
 * years outside 0001..9999 (checked on the result in the local zone, so
 * every accepted instant formats back with a 4-digit year), trailing text.
 * A leap second, ss = 60, is accepted and read as 59: Unix time has none.
 *
 * Local times that do not exist (the hour skipped when DST starts) are
 * moved forward by the length of the gap: 2024-03-10 02:30 in New York is
 * 03:30 EDT.  Local times that happen twice (when DST ends) mean the first.
 */
#ifndef CX_TIME_H
#define CX_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef int64_t cx_instant;

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define CX_INSTANT_MIN ((cx_instant)-62135596800)
#define CX_INSTANT_MAX ((cx_instant)253402300799)

/* Room for cx_time_format() and cx_period_format(), NUL included. */
#define CX_TIME_MAX 40
#define CX_PERIOD_MAX 32

/* Failure codes; cx_time_strerror() gives the words. */
enum {
	CX_TIME_ENOPERIOD = -1,	/* "no such period" */
	CX_TIME_EEMPTY = -2,
	CX_TIME_ESYNTAX = -3,
	CX_TIME_ETRAILING = -4,
	CX_TIME_EYEAR = -5,
	CX_TIME_EMONTH = -6,
	CX_TIME_EDAY = -7,
	CX_TIME_EHOUR = -8,
	CX_TIME_EMINUTE = -9,
	CX_TIME_ESECOND = -10,
	CX_TIME_EOFFSET = -11,
	CX_TIME_EWEEK = -12,
	CX_TIME_EQUARTER = -13,
	CX_TIME_EWEEKDAY = -14,
};
const char *cx_time_strerror(int code);

/*
 * Select the zone for the whole process.  name is one of
 *   - an IANA name, a TZif file under $TZDIR or /usr/share/zoneinfo
 *     ("Asia/Shanghai", "America/New_York", "UTC"); names starting with
 *     '/' or containing ".." are refused;
 *   - a fixed offset, east positive as in ISO 8601: "+08:00", "+0800",
 *     "+8", "-05:00", "UTC+8", "GMT-5:30" (note: the opposite sign of
 *     POSIX TZ strings and of the zoneinfo names Etc/GMT+8);
 *   - NULL: the TZ environment variable, else UTC.  TZ may be a zone name
 *     (with or without a leading ':'), an absolute path to a TZif file, or
 *     a POSIX TZ string such as "CST-8" or "EST5EDT,M3.2.0,M11.1.0", with
 *     POSIX signs, exactly as date(1) reads it.
 * The C library's TZ is set to match, so localtime() elsewhere agrees.
 * Returns 0, or -1 with a one-line reason in err (replacing its contents;
 * err may be NULL) and the previous zone still in force.
 */
int cx_tz_set(const char *name, cx_buf *err);
/* The name the current zone was selected by ("UTC" by default). */
const char *cx_tz_name(void);

/* A local calendar date and clock time with its offset from UTC. */
struct cx_civil {
	int year, month, day;	/* month 1-12, day 1-31 */
	int hour, min, sec;
	int offset;		/* seconds east of UTC in effect at that time */
};

void cx_instant_to_local(cx_instant t, struct cx_civil *out);
/* Seconds east of UTC in the current zone at t. */
int cx_utc_offset(cx_instant t);
/*
 * The instant of a local date and time.  Fields out of range are carried
 * like mktime() does (month 13 is January next year, hour -1 the last hour
 * of the day before).  Skipped and repeated times as described above.
 */
cx_instant cx_local_to_instant(int year, int month, int day,
			       int hour, int min, int sec);

int cx_time_parse(const char *s, size_t n, cx_instant *out);
/* "2024-03-05T14:02:33+08:00"; UTC is "+00:00", not "Z".  An offset with
 * seconds (local mean time before 1900) is written "+08:05:43". */
size_t cx_time_format(cx_instant t, char *buf);

/* Proleptic Gregorian calendar, days counted from 1970-01-01. */
int cx_is_leap(int64_t year);
int cx_days_in_month(int64_t year, int month);
/* month may be out of 1-12 and day out of the month; both carry over. */
int64_t cx_days_from_civil(int64_t year, int month, int day);
void cx_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

enum cx_unit { CX_HOUR, CX_DAY, CX_WEEK, CX_MONTH, CX_QUARTER, CX_YEAR };
enum { CX_NUNITS = CX_YEAR + 1 };
/* "hour" "day" "week" "month" "quarter" "year", indexed by enum cx_unit. */
extern const char *const cx_unit_names[CX_NUNITS];
/* Exact lower-case name; 0, or -1 if it is none of them. */
int cx_unit_parse(const char *name, enum cx_unit *out);

/*
 * A period is a unit and a dense index, so index - 1 is the one before:
 *   hour     local wall-clock hours since 1970-01-01T00 (days * 24 + hour)
 *   day      local dates as days since 1970-01-01
 *   week     ISO weeks (Monday first) since the week of Monday 1969-12-29
 *   month    year * 12 + month - 1
 *   quarter  year * 4 + quarter - 1
 *   year     the year
 * Hours are wall-clock hours, not 3600-second spans: the hour skipped when
 * DST starts is a period no instant falls in (its start is the start of the
 * next hour), and the hour repeated when DST ends is one period 7200 s long.
 * Periods are meant for years 0000..9999 (0000 so that the one before 0001
 * can still be written); far beyond that indexes are clamped.
 */
typedef struct {
	enum cx_unit unit;
	int64_t index;
} cx_period;

cx_period cx_period_of(cx_instant t, enum cx_unit u);
/* 2024-03-05T14  2024-03-05  2024-W09  2024-03  2024-Q1  2024 */
size_t cx_period_format(cx_period p, char *buf);
/* Exactly what cx_period_format() writes (spaces at the ends allowed);
 * week 53 only in ISO years that have one. */
int cx_period_parse(const char *s, size_t n, enum cx_unit u, cx_period *out);
cx_period cx_period_prev(cx_period p);
/*
 * The same period a year earlier: the same month, quarter, or day and hour
 * of the month; for weeks the same ISO week number in the previous ISO
 * week-year.  Feb 29 and week 53 have no counterpart when the year before
 * lacks them: those return CX_TIME_ENOPERIOD (-1), never a neighbour.
 */
int cx_period_year_ago(cx_period p, cx_period *out);
/* The first instant whose local time falls in p: a day whose midnight is
 * skipped by DST starts at the end of the gap (01:00). */
cx_instant cx_period_start(cx_period p);

#endif
