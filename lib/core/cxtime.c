#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* tm_gmtoff */
#endif
#include "core/cxtime.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The zone.  Fixed offsets (and UTC) are answered here without asking the
 * C library, which keeps them fast and lets them work where no tzdata is
 * installed; everything else goes through localtime_r() with TZ set.
 */
static struct {
	int libc;		/* ask localtime_r(); else use fixed */
	int fixed;		/* seconds east of UTC */
	char name[256];
} zone = { 0, 0, "UTC" };

/* localtime_r() gives up where tm_year overflows; no zone has rules that
 * matter this far out, so look offsets up at the nearest sane instant. */
#define LOOKUP_MIN (CX_INSTANT_MIN - 3 * 86400)
#define LOOKUP_MAX (CX_INSTANT_MAX + 3 * 86400)

static cx_instant clamp_instant(cx_instant t)
{
	return t < LOOKUP_MIN ? LOOKUP_MIN : t > LOOKUP_MAX ? LOOKUP_MAX : t;
}

static int64_t fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return q - (a % b < 0);
}

static int64_t fmod64(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

static int libc_offset(cx_instant t)
{
	time_t tt = (time_t)clamp_instant(t);
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

/*
 * localtime_r() costs about 350 ns a call here (glibc re-reads the zone's
 * POSIX rule for dates after its last transition), which made converting
 * timestamps the largest cost of cx-ingest --tz.  Offsets change rarely:
 * a direct-mapped cache remembers the offset of each 15-minute slot whose
 * first and last second have the same offset.  A slot holding a transition
 * is never cached, so the answer is always localtime_r()'s.
 */
#define SLOT 900
#define NCACHE 4096
static struct {
	int64_t slot;
	int offset;
	int used;	/* not slot + 1 == 0 for empty: slot -1 (the last 15
			 * minutes of 1969) read as an empty entry's offset 0 */
} offset_cache[NCACHE];

static void clear_offset_cache(void)
{
	memset(offset_cache, 0, sizeof offset_cache);
}

int cx_utc_offset(cx_instant t)
{
	if (!zone.libc)
		return zone.fixed;
	t = clamp_instant(t);
	int64_t slot = fdiv(t, SLOT);
	size_t i = (size_t)((uint64_t)slot % NCACHE);
	if (offset_cache[i].used && offset_cache[i].slot == slot)
		return offset_cache[i].offset;
	int first = libc_offset(slot * SLOT), last = libc_offset(slot * SLOT + SLOT - 1);
	if (first != last)
		return libc_offset(t);
	offset_cache[i].slot = slot;
	offset_cache[i].offset = first;
	offset_cache[i].used = 1;
	return first;
}

/* ---- calendar ---- */

int cx_is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int cx_days_in_month(int64_t y, int m)
{
	static const unsigned char mdays[12] =
		{ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && cx_is_leap(y));
}

/* Far enough for any real use, near enough that days * 86400 fits. */
#define DAYS_LIMIT ((int64_t)1 << 40)

static int64_t clamp_days(int64_t d)
{
	return d < -DAYS_LIMIT ? -DAYS_LIMIT : d > DAYS_LIMIT ? DAYS_LIMIT : d;
}

/* Howard Hinnant's days_from_civil, on 400-year eras. */
int64_t cx_days_from_civil(int64_t y, int m, int d)
{
	if (y < -(DAYS_LIMIT / 366))
		y = -(DAYS_LIMIT / 366);
	if (y > DAYS_LIMIT / 366)
		y = DAYS_LIMIT / 366;
	y += fdiv(m - 1, 12);
	int64_t mm = fmod64(m - 1, 12) + 1;
	y -= mm <= 2;
	int64_t era = fdiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void cx_civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	z = clamp_days(z) + 719468;
	int64_t era = fdiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (m <= 2);
	*month = (int)m;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

/* ---- local time ---- */

/* Wall-clock seconds: local date and time counted as if they were UTC. */
static int64_t wall_of(cx_instant t)
{
	return t + cx_utc_offset(t);
}

enum gap_rule { GAP_SHIFT, GAP_FIRST };

/*
 * The instant whose wall clock reads w.  Offsets a day either side are the
 * candidates: no zone has moved its clock by a day, and none has changed
 * twice within a day.  When w is skipped, GAP_SHIFT reads it with the offset
 * from before the gap (as mktime does, keeping the distance from midnight)
 * and GAP_FIRST gives the first instant at or after w, the gap's end.
 */
static cx_instant from_wall(int64_t w, enum gap_rule rule)
{
	if (!zone.libc)
		return w - zone.fixed;
	int oa = cx_utc_offset(w - 86400), ob = cx_utc_offset(w + 86400);
	cx_instant ta = w - oa, tb = w - ob;
	int va = cx_utc_offset(ta) == oa;
	int vb = oa == ob ? va : cx_utc_offset(tb) == ob;
	if (va && vb)
		return ta < tb ? ta : tb;
	if (va)
		return ta;
	if (vb)
		return tb;
	cx_instant lo = ta < tb ? ta : tb, hi = ta < tb ? tb : ta;
	if (rule == GAP_SHIFT || wall_of(lo) >= w || wall_of(hi) < w)
		return hi;
	while (hi - lo > 1) {
		cx_instant mid = lo + (hi - lo) / 2;
		if (wall_of(mid) >= w)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static int64_t wall_from_fields(int64_t y, int mo, int64_t d, int64_t h,
				int64_t mi, int64_t s)
{
	return (cx_days_from_civil(y, mo, 1) + d - 1) * 86400 +
	       h * 3600 + mi * 60 + s;
}

cx_instant cx_local_to_instant(int year, int month, int day,
			       int hour, int min, int sec)
{
	return from_wall(wall_from_fields(year, month, day, hour, min, sec),
			 GAP_SHIFT);
}

void cx_instant_to_local(cx_instant t, struct cx_civil *out)
{
	t = clamp_instant(t);
	int off = cx_utc_offset(t);
	int64_t w = t + off, days = fdiv(w, 86400), secs = w - days * 86400;
	int64_t y;
	cx_civil_from_days(days, &y, &out->month, &out->day);
	out->year = (int)y;
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->offset = off;
}

/* ---- choosing the zone ---- */

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

static int alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* [UTC|GMT]+H[H][[:]MM], east positive. */
static int parse_fixed(const char *s, int *off)
{
	if (strncmp(s, "UTC", 3) == 0 || strncmp(s, "GMT", 3) == 0)
		s += 3;
	if (*s != '+' && *s != '-')
		return -1;
	int sign = *s++ == '-' ? -1 : 1, h = 0, m = 0, nd = 0;
	while (nd < 5 && digit(s[nd]))
		nd++;
	if (nd == 1 || nd == 2) {
		for (int i = 0; i < nd; i++)
			h = h * 10 + (s[i] - '0');
		s += nd;
		if (*s == ':') {
			if (!digit(s[1]) || !digit(s[2]))
				return -1;
			m = (s[1] - '0') * 10 + (s[2] - '0');
			s += 3;
		}
	} else if (nd == 4) {
		h = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[2] - '0') * 10 + (s[3] - '0');
		s += 4;
	} else {
		return -1;
	}
	if (*s || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/* A readable TZif file: glibc would quietly use UTC for anything else. */
static int tzif_file(const char *path)
{
	struct stat st;
	char magic[4];
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, magic, sizeof magic);
	close(fd);
	return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

static void set_name(const char *name)
{
	size_t n = strlen(name);
	if (n >= sizeof zone.name)
		n = sizeof zone.name - 1;
	memcpy(zone.name, name, n);
	zone.name[n] = '\0';
}

static int use_fixed(int off, const char *name)
{
	/* POSIX spells east as negative; the <> quotes hold the abbreviation. */
	char tz[32], *p = tz;
	int a = off < 0 ? -off : off;
	*p++ = '<';
	*p++ = off < 0 ? '-' : '+';
	*p++ = (char)('0' + a / 36000);
	*p++ = (char)('0' + a / 3600 % 10);
	*p++ = (char)('0' + a / 600 % 6);
	*p++ = (char)('0' + a / 60 % 10);
	*p++ = '>';
	*p++ = off < 0 ? '+' : '-';
	*p++ = (char)('0' + a / 36000);
	*p++ = (char)('0' + a / 3600 % 10);
	*p++ = ':';
	*p++ = (char)('0' + a / 600 % 6);
	*p++ = (char)('0' + a / 60 % 10);
	*p = '\0';
	setenv("TZ", off ? tz : "UTC0", 1);
	tzset();
	zone.libc = 0;
	zone.fixed = off;
	set_name(name);
	return 0;
}

static int use_libc(const char *tz, const char *name)
{
	setenv("TZ", tz, 1);
	tzset();
	clear_offset_cache();
	zone.libc = 1;
	set_name(name);
	return 0;
}

/* Look name up under the zoneinfo directory; 0 if it is a zone file. */
static int use_zoneinfo(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	size_t dn = strlen(dir), nn = strlen(name);
	if (dn + 1 + nn >= sizeof path)
		return -1;
	memcpy(path, dir, dn);
	path[dn] = '/';
	memcpy(path + dn + 1, name, nn + 1);
	if (!tzif_file(path))
		return -1;
	/* The full path, in case the C library looks somewhere else. */
	return use_libc(path, name);
}

/* POSIX TZ pieces: "std", "<+08>", "[+-]hh[:mm[:ss]]", rule dates. */
static const char *posix_abbr(const char *s)
{
	const char *q = s;
	if (*q == '<') {
		for (q++; *q && *q != '>'; q++)
			if (!alpha(*q) && !digit(*q) && *q != '+' && *q != '-')
				return NULL;
		return *q == '>' && q - s >= 4 ? q + 1 : NULL;
	}
	while (alpha(*q))
		q++;
	return q - s >= 3 ? q : NULL;
}

static const char *posix_num(const char *s, int maxdig)
{
	int n = 0;
	while (digit(s[n]))
		n++;
	return n >= 1 && n <= maxdig ? s + n : NULL;
}

static const char *posix_time(const char *s, int maxdig)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!(s = posix_num(s, maxdig)))
		return NULL;
	for (int i = 0; i < 2 && *s == ':'; i++)
		if (!digit(s[1]) || !digit(s[2]) || digit(s[3]))
			return NULL;
		else
			s += 3;
	return s;
}

static const char *posix_rule(const char *s)
{
	if (*s++ != ',')
		return NULL;
	if (*s == 'M') {
		for (int i = 0; i < 3; i++)
			if (!(s = posix_num(s + (i > 0 || *s == 'M'), 2)) ||
			    (i < 2 && *s != '.'))
				return NULL;
	} else {
		if (*s == 'J')
			s++;
		if (!(s = posix_num(s, 3)))
			return NULL;
	}
	return *s == '/' ? posix_time(s + 1, 3) : s;
}

static int posix_tz(const char *s)
{
	if (!(s = posix_abbr(s)) || !(s = posix_time(s, 2)))
		return 0;
	if (!*s)
		return 1;
	if (!(s = posix_abbr(s)))
		return 0;
	if (*s && *s != ',' && !(s = posix_time(s, 2)))
		return 0;
	if (!*s)
		return 1;
	if (!(s = posix_rule(s)) || !(s = posix_rule(s)))
		return 0;
	return !*s;
}

/* $TZ as the C library reads it, apart from an unset or empty TZ meaning
 * UTC here rather than /etc/localtime. */
static int use_env(cx_buf *err)
{
	const char *env = getenv("TZ");
	if (!env || !*env)
		return use_fixed(0, "UTC");
	const char *tz = *env == ':' ? env + 1 : env;
	if (strcmp(tz, "UTC") == 0)
		return use_fixed(0, "UTC");
	if (*tz == '/') {
		if (tzif_file(tz))
			return use_libc(tz, tz);
	} else if (!strstr(tz, "..") && use_zoneinfo(tz) == 0) {
		return 0;
	}
	if (posix_tz(tz))
		return use_libc(tz, tz);
	if (err) {
		cx_buf_reset(err);
		cx_buf_addf(err, "unknown time zone '%s' in $TZ", env);
	}
	return -1;
}

int cx_tz_set(const char *name, cx_buf *err)
{
	int off;
	if (!name)
		return use_env(err);
	if (strcmp(name, "UTC") == 0)
		return use_fixed(0, name);
	if (parse_fixed(name, &off) == 0)
		return use_fixed(off, name);
	if (*name && *name != '/' && !strstr(name, "..") &&
	    use_zoneinfo(name) == 0)
		return 0;
	if (err) {
		cx_buf_reset(err);
		cx_buf_addf(err, "unknown time zone '%s'", name);
	}
	return -1;
}

const char *cx_tz_name(void)
{
	return zone.name;
}

/* ---- parsing ---- */

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
	}
	return "unknown error";
}

struct cur {
	const char *p, *e;
};

static int at(const struct cur *c, char ch)
{
	return c->p < c->e && *c->p == ch;
}

static int at_digit(const struct cur *c)
{
	return c->p < c->e && digit(*c->p);
}

/* A run of min..max digits, not followed by another digit. */
static int num(struct cur *c, int min, int max, int *val)
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
			return finish(from_wall(wall_from_fields(f.y, f.mo, f.d,
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
	return finish(f.has_off ? w - f.off : from_wall(w, GAP_SHIFT), out);
}

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
	return from_wall(w, GAP_FIRST);
}
