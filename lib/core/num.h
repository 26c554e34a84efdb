/*
 * num: numbers in and out of the stream, exactly and locale-independently.
 *
 * Parsing is strict: a whole decimal number (sign, digits, optional
 * fraction and exponent), finite, in double range.  "nan", "inf", "1e400",
 * "0x10", " 3" and "3 kg" are not numbers; a caller that meets one reports
 * it (cx_num_strerror) instead of reading it as 0, the silent error some
 * peers make.  "-0" is 0.
 *
 * Formatting never depends on the locale (cx never calls setlocale, so the
 * C library formats with a '.' point) and never prints "nan", "inf" or
 * "-0": a value that is not a finite number is the missing value, an empty
 * field.  Nothing here allocates.
 */
#ifndef CX_NUM_H
#define CX_NUM_H

#include <stddef.h>

#include "core/buf.h"

enum {
	CX_NUM_OK = 0,
	CX_NUM_EMPTY = -1,
	CX_NUM_SYNTAX = -2,
	CX_NUM_RANGE = -3,
};

/* Parse s[0..n) into *v.  Returns CX_NUM_OK or a negative code. */
int cx_num_parse(const char *s, size_t n, double *v);
const char *cx_num_strerror(int code);

/* A boolean flag: 1/0, true/false, yes/no, y/n (any case).  Returns 1 or
 * 0, -1 for empty, -2 for anything else. */
int cx_flag_parse(const char *s, size_t n);

/* Append v with `decimals` digits after the point (trailing zeros kept,
 * so a column lines up); integers-valued doubles with decimals < 0 print
 * without a point.  Non-finite values append nothing. */
void cx_num_put(cx_buf *b, double v, int decimals);

/* A duration such as "30d", "7d", "36h", "90m", "45s" (or a bare number
 * of seconds) in seconds; -1 if malformed (anything but digits and one
 * unit letter, or more than 10^12). */
long long cx_duration_parse(const char *s);

#endif
