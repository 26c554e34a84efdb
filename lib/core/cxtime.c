/*
 * The zone and the calendar, which the rest of cxtime stands on.  The zone
 * is process-wide state chosen by cx_tz_set(); this file is the only one
 * that reads or changes it, and gives the others what they need of it as
 * cx_utc_offset() and the conversions between instants and local wall-clock
 * time.  Reading timestamps is in cxtime_parse.c; periods, and the writing
 * of instants and periods, in cxtime_period.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* tm_gmtoff */
#endif
#include "core/cxtime.h"
#include "core/cxtime_int.h"

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

/*
 * The instant whose wall clock reads w.  Offsets a day either side are the
 * candidates: no zone has moved its clock by a day, and none has changed
 * twice within a day.  When w is skipped, GAP_SHIFT reads it with the offset
 * from before the gap (as mktime does, keeping the distance from midnight)
 * and GAP_FIRST gives the first instant at or after w, the gap's end.
 */
cx_instant cxtime_from_wall(int64_t w, enum gap_rule rule)
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

cx_instant cx_local_to_instant(int year, int month, int day,
			       int hour, int min, int sec)
{
	return cxtime_from_wall(wall_from_fields(year, month, day, hour, min, sec),
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
