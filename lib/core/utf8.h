/*
 * utf8: validating UTF-8 and measuring how wide text is on a terminal.
 *
 * cx-ingest validates every field once on the way in (cx.7: the stream is
 * UTF-8), so later tools may trust it.  Display width is what aligned
 * tables need: CJK ideographs, kana, hangul and full-width forms take two
 * terminal columns, combining marks none (East Asian Width, UAX #11, for
 * the ranges complaint text actually uses).  No allocation.
 */
#ifndef CX_UTF8_H
#define CX_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 0 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF),
 * else the 1-based offset of the first bad byte. */
size_t cx_utf8_check(const char *s, size_t n);

/* Decode one code point at s (valid UTF-8 assumed, n > 0); returns its
 * length in bytes (1 for a bad byte, decoded as U+FFFD). */
size_t cx_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Terminal columns of one code point: 0, 1 or 2. */
int cx_cp_width(uint32_t cp);

/* Terminal columns of a UTF-8 string. */
size_t cx_utf8_width(const char *s, size_t n);

/* Longest prefix of s whose width is at most cols; returns its byte length
 * and its width in *w. */
size_t cx_utf8_prefix(const char *s, size_t n, size_t cols, size_t *w);

#endif
