/* Unit tests for lib/stats/top: ranking, shares, the Pareto boundary, the
 * rest's row, exact sums of decimals, and the codes of bad values. */
#include <string.h>

#include "core/num.h"
#include "stats/top.h"
#include "unit.h"

/* Add a record of one parent value p (NULL: no parent) and one group
 * value g, with the value text v (NULL: count 1). */
static int add(cx_top *t, const char *p, const char *g, const char *v)
{
	cx_slice vals[2];
	size_t k = 0;
	if (p)
		vals[k++] = (cx_slice){ p, strlen(p) };
	vals[k++] = (cx_slice){ g, strlen(g) };
	return cx_top_add(t, vals, v, v ? strlen(v) : 0);
}

/* A row's group key without its TAB, "(other)" for the rest. */
static const char *group_of(const cx_top *t, const cx_top_row *r)
{
	static char s[64];
	if (r->group == CX_TOP_OTHERS)
		return "(other)";
	size_t n;
	const char *k = cx_top_group_key(t, r->group, &n);
	memcpy(s, k, n - 1);
	s[n - 1] = '\0';
	return s;
}

static const char *value_of(const cx_top *t, const cx_top_row *r)
{
	static cx_buf b = CX_BUF_INIT;
	cx_buf_reset(&b);
	cx_top_put_value(t, r, &b);
	return b.p ? b.p : "";
}

static void test_ranking(void)
{
	cx_top *t = cx_top_new(0, 1);
	/* b 3, a 3, c 1, d 3: ties by key, so a b d c */
	const char *recs[] = { "b", "a", "c", "d", "b", "a", "d", "b", "a", "d" };
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++)
		CHECK_INT(add(t, NULL, recs[i], NULL), 0);
	size_t n;
	const cx_top_row *r = cx_top_rows(t, 0, 0.8, 0, &n);
	CHECK_INT(n, 4);
	CHECK_STR(group_of(t, &r[0]), "a");
	CHECK_STR(group_of(t, &r[1]), "b");
	CHECK_STR(group_of(t, &r[2]), "d");
	CHECK_STR(group_of(t, &r[3]), "c");
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(r[i].rank, i + 1);
	CHECK_STR(value_of(t, &r[0]), "3");
	CHECK_STR(value_of(t, &r[3]), "1");
	/* 3/10, 6/10, 9/10: the third reaches 0.8 and is the last vital */
	CHECK(r[0].share == 0.3 && r[1].cum_share == 0.6 && r[2].cum_share == 0.9);
	CHECK(r[3].cum_share == 1.0);
	CHECK(r[0].vital && r[1].vital && r[2].vital && !r[3].vital);
	cx_top_free(t);
}

/* A cum_share exactly equal to SHARE is reached: 8 of 10 is 0.8, and
 * so is 0.4 + 0.4 of 1.0 (exact decimal sums), 0.5 + 0.3 too. */
static void test_boundary(void)
{
	const char *sets[][3] = { { "4", "4", "2" }, { "0.4", "0.4", "0.2" }, { "0.5", "0.3", "0.2" } };
	for (size_t s = 0; s < 3; s++) {
		cx_top *t = cx_top_new(0, 1);
		add(t, NULL, "x", sets[s][0]);
		add(t, NULL, "y", sets[s][1]);
		add(t, NULL, "z", sets[s][2]);
		size_t n;
		const cx_top_row *r = cx_top_rows(t, 0, 0.8, 0, &n);
		CHECK_INT(n, 3);
		CHECK(r[1].cum_share == 0.8);
		CHECK(r[0].vital && r[1].vital && !r[2].vital);
		/* just above the boundary, the next group is needed too */
		r = cx_top_rows(t, 0, 0.8000001, 0, &n);
		CHECK(r[0].vital && r[1].vital && r[2].vital);
		/* SHARE 1: every group up to the last */
		r = cx_top_rows(t, 0, 1.0, 0, &n);
		CHECK(r[2].vital && r[2].cum_share == 1.0);
		cx_top_free(t);
	}
	/* zero groups after the total is reached are not vital; a parent
	 * whose total is 0 has no shares and no vital group */
	cx_top *t = cx_top_new(1, 1);
	add(t, "p", "a", "5");
	add(t, "p", "b", "0");
	add(t, "q", "a", "0");
	size_t n;
	const cx_top_row *r = cx_top_rows(t, 0, 1.0, 0, &n);
	CHECK_INT(n, 3);
	CHECK(r[0].vital && !r[1].vital && r[1].has_share && r[1].share == 0);
	CHECK(!r[2].has_share && !r[2].vital);
	cx_top_free(t);
}

static void test_others(void)
{
	cx_top *t = cx_top_new(1, 1);
	/* parent n: a 5, b 3, c 2; parent m: x 1 */
	const char *recs[][3] = { { "n", "a", "5" }, { "n", "b", "3" }, { "n", "c", "2" }, { "m", "x", "1" } };
	for (size_t i = 0; i < 4; i++)
		add(t, recs[i][0], recs[i][1], recs[i][2]);
	size_t n;
	const cx_top_row *r = cx_top_rows(t, 1, 0.8, 1, &n);
	/* m first (byte order of parents); m has no rest, so no row for it */
	CHECK_INT(n, 3);
	size_t pn;
	const char *pk = cx_top_parent_key(t, r[0].parent, &pn);
	CHECK_MEM(pk, pn, "m\t");
	CHECK_STR(group_of(t, &r[1]), "a");
	CHECK_STR(group_of(t, &r[2]), "(other)");
	CHECK_STR(value_of(t, &r[2]), "5");
	CHECK_INT(r[2].rank, 0);
	CHECK(r[1].share == 0.5 && r[2].share == 0.5 && r[2].cum_share == 1.0);
	/* b is vital (0.5, then 0.8): the rest holds a vital group */
	CHECK(r[2].vital);
	/* top 2: the rest is c alone, not vital */
	r = cx_top_rows(t, 2, 0.8, 1, &n);
	CHECK_INT(n, 4);
	CHECK_STR(group_of(t, &r[3]), "(other)");
	CHECK(!r[3].vital && r[3].share == 0.2);
	/* without --others the rest is dropped; the shares stay the parent's */
	r = cx_top_rows(t, 1, 0.8, 0, &n);
	CHECK_INT(n, 2);
	CHECK(r[1].share == 0.5);
	cx_top_free(t);
}

static void test_values(void)
{
	cx_top *t = cx_top_new(0, 1);
	CHECK_INT(add(t, NULL, "a", "1"), 0);
	CHECK_INT(add(t, NULL, "a", "2.50"), 0);	/* rescales the 1 to 100 hundredths */
	CHECK_INT(add(t, NULL, "b", "25e-1"), 0);
	CHECK_INT(add(t, NULL, "b", "1.5e1"), 0);
	CHECK_INT(add(t, NULL, "c", "-0"), 0);
	CHECK_INT(add(t, NULL, "c", ""), CX_TOP_MISSING);
	CHECK_INT(add(t, NULL, "d", ""), CX_TOP_MISSING);	/* no group d */
	CHECK_INT(add(t, NULL, "a", "-1"), CX_TOP_NEGATIVE);
	CHECK_INT(add(t, NULL, "a", "-0.01"), CX_TOP_NEGATIVE);
	CHECK_INT(add(t, NULL, "a", "x"), CX_NUM_SYNTAX);
	CHECK_INT(add(t, NULL, "a", "1e999"), CX_NUM_RANGE);
	size_t n;
	const cx_top_row *r = cx_top_rows(t, 0, 0.8, 0, &n);
	CHECK_INT(n, 3);
	CHECK_STR(group_of(t, &r[0]), "b");
	CHECK_STR(value_of(t, &r[0]), "17.50");
	CHECK_STR(value_of(t, &r[1]), "3.50");
	CHECK_STR(value_of(t, &r[2]), "0.00");
	cx_top_free(t);

	/* 0.1 ten times is 1.0, exactly */
	t = cx_top_new(0, 1);
	for (int i = 0; i < 10; i++)
		add(t, NULL, "a", "0.1");
	add(t, NULL, "b", "1.0");
	r = cx_top_rows(t, 0, 0.5, 0, &n);
	CHECK_STR(group_of(t, &r[0]), "a");	/* a tie, by key */
	CHECK_STR(value_of(t, &r[0]), "1.0");
	CHECK(r[0].share == 0.5 && r[0].vital && !r[1].vital);
	cx_top_free(t);

	/* more decimals than exact sums keep: doubles, 15 decimals */
	t = cx_top_new(0, 1);
	add(t, NULL, "a", "1");
	add(t, NULL, "a", "0.0000000000000001");
	r = cx_top_rows(t, 0, 0.8, 0, &n);
	CHECK_STR(value_of(t, &r[0]), "1.000000000000000");
	cx_top_free(t);

	/* too many units for 64 bits: doubles too, still whole */
	t = cx_top_new(0, 1);
	add(t, NULL, "a", "9000000000000000000");
	add(t, NULL, "b", "1");
	r = cx_top_rows(t, 0, 0.8, 0, &n);
	CHECK_STR(value_of(t, &r[0]), "9000000000000000000");
	CHECK_STR(value_of(t, &r[1]), "1");
	cx_top_free(t);
}

/* Keys compare value by value: "a" < "a\x01" < "ab", though TAB (0x09)
 * sorts after \x01 in the whole key; an empty value first. */
static void test_key_order(void)
{
	cx_top *t = cx_top_new(1, 1);
	add(t, "ab", "g", NULL);
	add(t, "a\x01", "g", NULL);
	add(t, "a", "g", NULL);
	add(t, "", "g", NULL);
	size_t n, pn;
	const cx_top_row *r = cx_top_rows(t, 0, 0.8, 0, &n);
	CHECK_INT(n, 4);
	const char *want[] = { "\t", "a\t", "a\x01\t", "ab\t" };
	for (size_t i = 0; i < 4; i++) {
		const char *k = cx_top_parent_key(t, r[i].parent, &pn);
		CHECK_MEM(k, pn, want[i]);
		CHECK(r[i].share == 1.0 && r[i].vital);
	}
	cx_top_free(t);
}

int main(void)
{
	test_ranking();
	test_boundary();
	test_others();
	test_values();
	test_key_order();
	return unit_done("top");
}
