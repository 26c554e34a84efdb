/*
 * test_utf8: validation (every kind of bad sequence and the offset it
 * reports, the 8-byte ASCII fast path at every alignment), decoding, and
 * terminal widths.  Inputs are checked from exact-size heap copies, so
 * ASan catches any read past n.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "unit.h"

static size_t checkn(const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	memcpy(copy, s, n);
	size_t r = cx_utf8_check(copy, n);
	free(copy);
	return r;
}

static size_t check(const char *s)
{
	return checkn(s, strlen(s));
}

static void test_check_valid(void)
{
	CHECK_INT(check(""), 0);
	CHECK_INT(check("a"), 0);
	CHECK_INT(check("plain ascii text, more than eight bytes"), 0);
	CHECK_INT(checkn("a\0b", 3), 0);		/* NUL is valid UTF-8 */
	CHECK_INT(check("\x7F"), 0);
	CHECK_INT(check("\xC2\x80"), 0);		/* U+0080, smallest 2-byte */
	CHECK_INT(check("\xC3\xA9"), 0);		/* é */
	CHECK_INT(check("\xDF\xBF"), 0);		/* U+07FF */
	CHECK_INT(check("\xE0\xA0\x80"), 0);		/* U+0800, smallest 3-byte */
	CHECK_INT(check("\xE4\xB8\xAD\xE6\x96\x87"), 0);	/* 中文 */
	CHECK_INT(check("\xED\x9F\xBF"), 0);		/* U+D7FF, below surrogates */
	CHECK_INT(check("\xEE\x80\x80"), 0);		/* U+E000, above surrogates */
	CHECK_INT(check("\xEF\xBF\xBF"), 0);		/* U+FFFF */
	CHECK_INT(check("\xF0\x90\x80\x80"), 0);	/* U+10000, smallest 4-byte */
	CHECK_INT(check("\xF0\x9F\x98\x80"), 0);	/* 😀 */
	CHECK_INT(check("\xF4\x8F\xBF\xBF"), 0);	/* U+10FFFF, the largest */
	CHECK_INT(check("ab\xE6\x89\x8B\xE6\x9C\xBA phone \xF0\x9F\x98\x80!"), 0);
}

static void test_check_invalid(void)
{
	/* Bytes that never start a sequence. */
	CHECK_INT(check("\x80"), 1);
	CHECK_INT(check("\xBF"), 1);
	CHECK_INT(check("\xC0\x80"), 1);		/* overlong NUL */
	CHECK_INT(check("\xC1\xBF"), 1);		/* overlong U+007F */
	CHECK_INT(check("\xF5\x80\x80\x80"), 1);
	CHECK_INT(check("\xF8\x88\x80\x80\x80"), 1);
	CHECK_INT(check("\xFE"), 1);
	CHECK_INT(check("\xFF"), 1);
	/* Overlongs of the longer forms: reported at the lead byte. */
	CHECK_INT(check("\xE0\x80\x80"), 1);
	CHECK_INT(check("\xE0\x9F\xBF"), 1);		/* overlong U+07FF */
	CHECK_INT(check("\xF0\x80\x80\x80"), 1);
	CHECK_INT(check("\xF0\x8F\xBF\xBF"), 1);	/* overlong U+FFFF */
	/* Surrogates. */
	CHECK_INT(check("\xED\xA0\x80"), 1);		/* U+D800 */
	CHECK_INT(check("\xED\xBF\xBF"), 1);		/* U+DFFF */
	CHECK_INT(check("\xED\xA0\xBD\xED\xB8\x80"), 1);	/* CESU-8 pair */
	/* Beyond U+10FFFF. */
	CHECK_INT(check("\xF4\x90\x80\x80"), 1);
	CHECK_INT(check("\xF4\xBF\xBF\xBF"), 1);
	/* Offsets are 1-based and count from the start of the string. */
	CHECK_INT(check("abc\x80"), 4);
	CHECK_INT(check("abc\xED\xA0\x80xyz"), 4);
	CHECK_INT(check("\xC3\xA9\xC3\xA9\xC3"), 5);
	CHECK_INT(check("\xE4\xB8\xAD" "abcdefghij" "\xF4\x90\x80\x80"), 14);
	/* Truncated sequences at the end of the string. */
	CHECK_INT(check("\xC3"), 1);
	CHECK_INT(check("xy\xE4\xB8"), 3);
	CHECK_INT(check("xy\xE4"), 3);
	CHECK_INT(check("\xF0\x9F\x98"), 1);
	CHECK_INT(check("12345678\xF0\x9F"), 9);
	/* A sequence cut short by n, although more bytes follow in memory. */
	CHECK_INT(cx_utf8_check("\xE4\xB8\xAD", 2), 1);
	CHECK_INT(cx_utf8_check("\xE4\xB8\xAD", 3), 0);
	/* Bad continuation bytes: the offset is that of the bad byte. */
	CHECK_INT(check("\xC3\x28"), 2);
	CHECK_INT(check("\xC3\xC3\xA9"), 2);
	CHECK_INT(check("\xE4\x41\xAD"), 2);
	CHECK_INT(check("\xE4\xB8\x41"), 3);
	CHECK_INT(check("ab\xF0\x9F\x98\x41"), 6);
	CHECK_INT(check("ab\xF0\x9F\xE4\xB8\xAD"), 5);
}

/* A bad byte at every offset 0..17 of a 24-byte ASCII string, so that it
 * is found inside the 8-byte fast path, at its edges and in the tail. */
static void test_check_fast_path(void)
{
	char s[24];
	for (size_t bad = 0; bad < 18; bad++) {
		memset(s, 'a', sizeof s);
		s[bad] = (char)0x80;
		size_t got = checkn(s, sizeof s);
		CHECK_INT(got, bad + 1);
		if (got != bad + 1)
			fprintf(stderr, "  (bad 0x80 at offset %zu)\n", bad);
		/* A valid 2-byte sequence there is fine... */
		memset(s, 'a', sizeof s);
		s[bad] = (char)0xC3;
		s[bad + 1] = (char)0xA9;
		CHECK_INT(checkn(s, sizeof s), 0);
		/* ...and a 3-byte one whose continuation is bad is not. */
		memset(s, 'a', sizeof s);
		s[bad] = (char)0xE4;
		s[bad + 1] = (char)0xB8;
		CHECK_INT(checkn(s, sizeof s), bad + 3);
	}
	/* Every length 0..17 of pure ASCII, with the bad byte just past n. */
	memset(s, 'z', sizeof s);
	for (size_t n = 0; n < 18; n++) {
		s[n] = (char)0xFF;
		CHECK_INT(cx_utf8_check(s, n), 0);
		CHECK_INT(cx_utf8_check(s, n + 1), n + 1);
		s[n] = 'z';
	}
	/* The last byte of a long string. */
	char big[1000];
	memset(big, 'q', sizeof big);
	big[999] = (char)0xC2;
	CHECK_INT(checkn(big, sizeof big), 1000);
	big[999] = 'q';
	CHECK_INT(checkn(big, sizeof big), 0);
}

static uint32_t dec(const char *s, size_t n, size_t *len)
{
	char *copy = malloc(n ? n : 1);
	memcpy(copy, s, n);
	uint32_t cp = 0;
	*len = cx_utf8_decode(copy, n, &cp);
	free(copy);
	return cp;
}

static void test_decode(void)
{
	size_t len;
	CHECK_INT(dec("A", 1, &len), 'A');
	CHECK_INT(len, 1);
	CHECK_INT(dec("\0", 1, &len), 0);
	CHECK_INT(len, 1);
	CHECK_INT(dec("\xC3\xA9xyz", 5, &len), 0xE9);
	CHECK_INT(len, 2);
	CHECK_INT(dec("\xE4\xB8\xAD", 3, &len), 0x4E2D);
	CHECK_INT(len, 3);
	CHECK_INT(dec("\xEF\xBD\xB1", 3, &len), 0xFF71);
	CHECK_INT(len, 3);
	CHECK_INT(dec("\xF0\x9F\x98\x80", 4, &len), 0x1F600);
	CHECK_INT(len, 4);
	CHECK_INT(dec("\xF4\x8F\xBF\xBF", 4, &len), 0x10FFFF);
	CHECK_INT(len, 4);
	/* Bad bytes decode as U+FFFD, one byte at a time. */
	CHECK_INT(dec("\x80", 1, &len), 0xFFFD);
	CHECK_INT(len, 1);
	CHECK_INT(dec("\xC0\x80", 2, &len), 0xFFFD);
	CHECK_INT(len, 1);
	CHECK_INT(dec("\xFF", 1, &len), 0xFFFD);
	CHECK_INT(len, 1);
	CHECK_INT(dec("\xF5\x80\x80\x80", 4, &len), 0xFFFD);
	CHECK_INT(len, 1);
	/* Truncated by n: no read past it (ASan), U+FFFD. */
	CHECK_INT(dec("\xE4\xB8", 2, &len), 0xFFFD);
	CHECK_INT(len, 1);
	CHECK_INT(dec("\xF0\x9F\x98", 3, &len), 0xFFFD);
	CHECK_INT(len, 1);
	/* A bad continuation byte. */
	CHECK_INT(dec("\xE4\x41\xAD", 3, &len), 0xFFFD);
	CHECK_INT(len, 1);
}

static void test_width(void)
{
	CHECK_INT(cx_cp_width('a'), 1);
	CHECK_INT(cx_cp_width(' '), 1);
	CHECK_INT(cx_cp_width('~'), 1);
	CHECK_INT(cx_cp_width(0), 0);
	CHECK_INT(cx_cp_width('\t'), 0);
	CHECK_INT(cx_cp_width('\n'), 0);
	CHECK_INT(cx_cp_width(0x1B), 0);
	CHECK_INT(cx_cp_width(0x7F), 0);
	CHECK_INT(cx_cp_width(0xE9), 1);		/* é */
	CHECK_INT(cx_cp_width(0x4E2D), 2);		/* 中 */
	CHECK_INT(cx_cp_width(0x4E00), 2);		/* first of the block */
	CHECK_INT(cx_cp_width(0x9FFF), 2);		/* last of the block */
	CHECK_INT(cx_cp_width(0x3000), 2);		/* ideographic space */
	CHECK_INT(cx_cp_width(0x3042), 2);		/* あ */
	CHECK_INT(cx_cp_width(0xFF71), 1);		/* ｱ halfwidth katakana */
	CHECK_INT(cx_cp_width(0xFF21), 2);		/* Ａ fullwidth */
	CHECK_INT(cx_cp_width(0xFF60), 2);		/* last fullwidth form */
	CHECK_INT(cx_cp_width(0xFF61), 1);		/* first halfwidth form */
	CHECK_INT(cx_cp_width(0x0301), 0);		/* combining acute */
	CHECK_INT(cx_cp_width(0x0300), 0);
	CHECK_INT(cx_cp_width(0x036F), 0);
	CHECK_INT(cx_cp_width(0x0370), 1);
	CHECK_INT(cx_cp_width(0x200B), 0);		/* zero width space */
	CHECK_INT(cx_cp_width(0xFE0F), 0);		/* variation selector 16 */
	CHECK_INT(cx_cp_width(0xFEFF), 0);
	CHECK_INT(cx_cp_width(0xD55C), 2);		/* 한 */
	CHECK_INT(cx_cp_width(0xAC00), 2);
	CHECK_INT(cx_cp_width(0xD7A3), 2);
	CHECK_INT(cx_cp_width(0xD7A4), 1);
	CHECK_INT(cx_cp_width(0x1100), 2);		/* hangul jamo lead */
	CHECK_INT(cx_cp_width(0x1F600), 2);		/* 😀 */
	CHECK_INT(cx_cp_width(0x1F64F), 2);
	CHECK_INT(cx_cp_width(0x1F650), 1);
	CHECK_INT(cx_cp_width(0x20000), 2);		/* CJK extension B */
	CHECK_INT(cx_cp_width(0xFFFD), 1);
	CHECK_INT(cx_cp_width(0x10FFFF), 1);

	const char *s = "\xE6\x89\x8B\xE6\x9C\xBA phone";	/* 手机 phone */
	CHECK_INT(cx_utf8_width(s, strlen(s)), 10);
	CHECK_INT(cx_utf8_width("", 0), 0);
	CHECK_INT(cx_utf8_width("e\xCC\x81", 3), 1);		/* e + U+0301 */
	CHECK_INT(cx_utf8_width("a\tb", 3), 2);
	CHECK_INT(cx_utf8_width("\xEF\xBD\xB1\xEF\xBC\xA1", 6), 3);	/* ｱＡ */
	CHECK_INT(cx_utf8_width("\xED\x95\x9C", 3), 2);		/* 한 */
	CHECK_INT(cx_utf8_width("\xF0\x9F\x98\x80", 4), 2);
	/* A bad byte counts as U+FFFD, one column. */
	CHECK_INT(cx_utf8_width("a\x80z", 3), 3);
}

static void test_prefix(void)
{
	const char *s = "ab\xE4\xB8\xAD\xE6\x96\x87" "cd";	/* ab中文cd: width 8 */
	size_t n = strlen(s), w = 99;
	CHECK_INT(cx_utf8_prefix(s, n, 0, &w), 0);
	CHECK_INT(w, 0);
	CHECK_INT(cx_utf8_prefix(s, n, 1, &w), 1);
	CHECK_INT(w, 1);
	CHECK_INT(cx_utf8_prefix(s, n, 2, &w), 2);
	CHECK_INT(w, 2);
	/* 3 columns: 中 does not fit in the one left; cut before it. */
	CHECK_INT(cx_utf8_prefix(s, n, 3, &w), 2);
	CHECK_INT(w, 2);
	CHECK_INT(cx_utf8_prefix(s, n, 4, &w), 5);
	CHECK_INT(w, 4);
	CHECK_INT(cx_utf8_prefix(s, n, 5, &w), 5);
	CHECK_INT(w, 4);
	CHECK_INT(cx_utf8_prefix(s, n, 6, &w), 8);
	CHECK_INT(w, 6);
	CHECK_INT(cx_utf8_prefix(s, n, 7, &w), 9);
	CHECK_INT(w, 7);
	CHECK_INT(cx_utf8_prefix(s, n, 8, &w), n);
	CHECK_INT(w, 8);
	CHECK_INT(cx_utf8_prefix(s, n, 100, &w), n);
	CHECK_INT(w, 8);
	/* A combining mark stays with its base when the cut is after it. */
	CHECK_INT(cx_utf8_prefix("e\xCC\x81x", 4, 1, &w), 3);
	CHECK_INT(w, 1);
	CHECK_INT(cx_utf8_prefix("", 0, 5, &w), 0);
	CHECK_INT(w, 0);
}

int main(void)
{
	test_check_valid();
	test_check_invalid();
	test_check_fast_path();
	test_decode();
	test_width();
	test_prefix();
	return unit_done("test_utf8");
}
