#include "core/num.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cx_num_parse(const char *s, size_t n, double *v)
{
	if (n == 0)
		return CX_NUM_EMPTY;
	/* Check the grammar ourselves: strtod also takes hex, "inf", "nan"
	 * and leading blanks, none of which is a number in a complaint
	 * export. */
	size_t i = 0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	size_t digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return CX_NUM_SYNTAX;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t ed = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, ed++;
		if (!ed)
			return CX_NUM_SYNTAX;
	}
	if (i != n)
		return CX_NUM_SYNTAX;
	char tmp[64];
	const char *p = s;
	if (n < sizeof tmp) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		p = tmp;
	} else {
		return CX_NUM_RANGE;	/* 64 digits is no complaint metric */
	}
	errno = 0;
	double d = strtod(p, NULL);
	if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
		return CX_NUM_RANGE;
	if (!isfinite(d))
		return CX_NUM_RANGE;
	*v = d == 0 ? 0.0 : d;	/* no -0 */
	return CX_NUM_OK;
}

const char *cx_num_strerror(int code)
{
	switch (code) {
	case CX_NUM_EMPTY: return "empty";
	case CX_NUM_SYNTAX: return "not a number";
	case CX_NUM_RANGE: return "number out of range";
	default: return "ok";
	}
}

int cx_flag_parse(const char *s, size_t n)
{
	if (n == 0)
		return -1;
	if (n == 1) {
		switch (s[0]) {
		case '1': case 'y': case 'Y': return 1;
		case '0': case 'n': case 'N': return 0;
		}
		return -2;
	}
	char w[8];
	if (n >= sizeof w)
		return -2;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	w[n] = '\0';
	if (!strcmp(w, "true") || !strcmp(w, "yes"))
		return 1;
	if (!strcmp(w, "false") || !strcmp(w, "no"))
		return 0;
	return -2;
}

void cx_num_put(cx_buf *b, double v, int decimals)
{
	if (!isfinite(v))
		return;
	if (decimals < 0) {
		if (v == floor(v) && fabs(v) < 9e15) {
			cx_buf_addf(b, "%.0f", v == 0 ? 0.0 : v);
			return;
		}
		decimals = 6;
	}
	char tmp[512];
	int k = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	if (k <= 0 || (size_t)k >= sizeof tmp)
		return;
	/* "-0.0000": a tiny negative rounded to zero is zero. */
	if (tmp[0] == '-' && strspn(tmp + 1, "0.") == (size_t)k - 1) {
		cx_buf_add(b, tmp + 1, (size_t)k - 1);
		return;
	}
	cx_buf_add(b, tmp, (size_t)k);
}

long long cx_duration_parse(const char *s)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')	/* strtoll would take " 5m" and "+5m" */
		return -1;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	long long unit = 1;
	if (*end) {
		switch (*end) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > (long long)1e12)
		return -1;
	return v * unit;
}
