/*
 * test_keys: interning gives dense ids in first-seen order, finds them
 * again after any number of rehashes, and treats keys as bytes (NUL
 * inside, empty key).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keys.h"
#include "unit.h"

static void test_basic(void)
{
	cx_keys t = CX_KEYS_INIT;
	int added = -1;
	size_t n = 99;

	CHECK_INT(cx_keys_find(&t, "x", 1), -1);	/* empty table */
	CHECK_INT(cx_keys_intern(&t, "alpha", 5, &added), 0);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "beta", 4, &added), 1);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "alpha", 5, &added), 0);
	CHECK_INT(added, 0);
	CHECK_INT(cx_keys_intern(&t, "gamma", 5, NULL), 2);	/* added may be NULL */
	CHECK_INT(cx_keys_intern(&t, "beta", 4, NULL), 1);
	CHECK_INT(t.n, 3);

	/* Prefixes and extensions of a key are other keys. */
	CHECK_INT(cx_keys_intern(&t, "alph", 4, &added), 3);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "alphab", 6, &added), 4);
	CHECK_INT(added, 1);
	/* The length decides, not a NUL: "alpha" within a longer buffer. */
	CHECK_INT(cx_keys_intern(&t, "alphabet", 5, &added), 0);
	CHECK_INT(added, 0);

	CHECK_INT(cx_keys_find(&t, "alpha", 5), 0);
	CHECK_INT(cx_keys_find(&t, "beta", 4), 1);
	CHECK_INT(cx_keys_find(&t, "gamma", 5), 2);
	CHECK_INT(cx_keys_find(&t, "delta", 5), -1);
	CHECK_INT(cx_keys_find(&t, "bet", 3), -1);
	CHECK_INT(cx_keys_find(&t, "Alpha", 5), -1);	/* case matters */

	const char *k = cx_keys_get(&t, 1, &n);
	CHECK_MEM(k, n, "beta");
	CHECK_INT(k[n], '\0');
	k = cx_keys_get(&t, 2, &n);	/* the last id: length from the arena */
	CHECK_MEM(k, n, "gamma");
	k = cx_keys_get(&t, 4, &n);
	CHECK_MEM(k, n, "alphab");
	CHECK_STR(cx_keys_get(&t, 3, NULL), "alph");	/* n may be NULL */

	/* The table copies the key: the caller's buffer may change. */
	char buf[8] = "temp";
	CHECK_INT(cx_keys_intern(&t, buf, 4, &added), 5);
	memcpy(buf, "XXXX", 4);
	CHECK_STR(cx_keys_get(&t, 5, NULL), "temp");
	CHECK_INT(cx_keys_find(&t, "temp", 4), 5);
	CHECK_INT(cx_keys_find(&t, buf, 4), -1);

	cx_keys_free(&t);
	CHECK(t.n == 0 && t.slots == NULL && t.arena.p == NULL);
	/* A freed table is an empty table again. */
	CHECK_INT(cx_keys_find(&t, "alpha", 5), -1);
	CHECK_INT(cx_keys_intern(&t, "again", 5, &added), 0);
	CHECK_INT(added, 1);
	cx_keys_free(&t);
}

static void test_bytes(void)
{
	cx_keys t = CX_KEYS_INIT;
	int added = -1;
	size_t n = 99;

	/* The empty key is a key like any other. */
	CHECK_INT(cx_keys_intern(&t, "", 0, &added), 0);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "", 0, &added), 0);
	CHECK_INT(added, 0);
	CHECK_INT(cx_keys_find(&t, "", 0), 0);
	const char *k = cx_keys_get(&t, 0, &n);
	CHECK_INT(n, 0);
	CHECK_INT(k[0], '\0');

	/* Keys with NUL bytes: "a\0b", "a\0c", "a", "a\0" all differ. */
	CHECK_INT(cx_keys_intern(&t, "a\0b", 3, &added), 1);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "a\0c", 3, &added), 2);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "a", 1, &added), 3);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "a\0", 2, &added), 4);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "\0", 1, &added), 5);
	CHECK_INT(added, 1);
	CHECK_INT(cx_keys_intern(&t, "a\0b", 3, &added), 1);
	CHECK_INT(added, 0);
	CHECK_INT(cx_keys_find(&t, "a\0c", 3), 2);
	CHECK_INT(cx_keys_find(&t, "a\0", 2), 4);
	CHECK_INT(cx_keys_find(&t, "\0", 1), 5);
	CHECK_INT(cx_keys_find(&t, "a\0d", 3), -1);
	k = cx_keys_get(&t, 1, &n);
	CHECK_INT(n, 3);
	CHECK(memcmp(k, "a\0b", 3) == 0);
	k = cx_keys_get(&t, 4, &n);
	CHECK_INT(n, 2);
	CHECK(memcmp(k, "a\0", 2) == 0);
	k = cx_keys_get(&t, 5, &n);	/* the last id */
	CHECK_INT(n, 1);
	CHECK_INT(k[0], '\0');

	/* Bytes that are not UTF-8 are keys too. */
	CHECK_INT(cx_keys_intern(&t, "\xFF\xFE", 2, &added), 6);
	CHECK_INT(cx_keys_find(&t, "\xFF\xFE", 2), 6);
	cx_keys_free(&t);
}

#define MANY 100000

static void test_many(void)
{
	cx_keys t = CX_KEYS_INIT;
	char key[32];
	int added, bad_id = 0, bad_added = 0;
	for (uint32_t i = 0; i < MANY; i++) {
		int len = snprintf(key, sizeof key, "key-%u", i * 7919u);
		uint32_t id = cx_keys_intern(&t, key, (size_t)len, &added);
		if (id != i)
			bad_id++;
		if (added != 1)
			bad_added++;
	}
	CHECK_INT(bad_id, 0);
	CHECK_INT(bad_added, 0);
	CHECK_INT(t.n, MANY);
	/* The table stayed at most 3/4 full and is a power of two. */
	CHECK(t.nslots >= (size_t)MANY * 4 / 3);
	CHECK_INT(t.nslots & (t.nslots - 1), 0);

	/* After every rehash, each key is found with its id, re-interning
	 * adds nothing, and get returns the key. */
	int bad_find = 0, bad_again = 0, bad_get = 0;
	for (uint32_t i = 0; i < MANY; i++) {
		int len = snprintf(key, sizeof key, "key-%u", i * 7919u);
		if (cx_keys_find(&t, key, (size_t)len) != (long)i)
			bad_find++;
		if (cx_keys_intern(&t, key, (size_t)len, &added) != i || added)
			bad_again++;
		size_t n;
		const char *k = cx_keys_get(&t, i, &n);
		if (n != (size_t)len || memcmp(k, key, n))
			bad_get++;
	}
	CHECK_INT(bad_find, 0);
	CHECK_INT(bad_again, 0);
	CHECK_INT(bad_get, 0);
	CHECK_INT(t.n, MANY);

	/* Keys never interned are not found. */
	int false_hits = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		int len = snprintf(key, sizeof key, "key-%u", i * 7919u + 1);
		if (cx_keys_find(&t, key, (size_t)len) != -1)
			false_hits++;
	}
	CHECK_INT(false_hits, 0);
	cx_keys_free(&t);
}

static void test_hash(void)
{
	CHECK(cx_hash("ab", 2) != cx_hash("ba", 2));
	CHECK(cx_hash("", 0) != cx_hash("\0", 1));
	CHECK(cx_hash("a", 1) != cx_hash("a\0", 2));
	/* Words of 8 and the tail both count. */
	CHECK(cx_hash("abcdefgh1", 9) != cx_hash("abcdefgh2", 9));
	CHECK(cx_hash("1bcdefgh", 8) != cx_hash("2bcdefgh", 8));
	CHECK(cx_hash("abcdefghabcdefgh", 16) != cx_hash("abcdefgh", 8));
	/* Deterministic, and a function of the bytes only. */
	char a[] = "same key", b[] = "same key";
	CHECK(cx_hash(a, 8) == cx_hash(b, 8));
	/* Low bits (the slot index) differ for nearby keys. */
	int same_low = 0;
	char k1[16], k2[16];
	for (int i = 0; i < 1000; i++) {
		int n1 = snprintf(k1, sizeof k1, "%d", i);
		int n2 = snprintf(k2, sizeof k2, "%d", i + 1);
		if ((cx_hash(k1, (size_t)n1) & 63) == (cx_hash(k2, (size_t)n2) & 63))
			same_low++;
	}
	CHECK(same_low < 100);	/* about 1000/64 expected */
}

int main(void)
{
	test_basic();
	test_bytes();
	test_many();
	test_hash();
	return unit_done("test_keys");
}
