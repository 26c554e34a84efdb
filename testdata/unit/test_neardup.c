/*
 * test_neardup: the normalisation (placeholders, handles, URLs, sign-offs,
 * punctuation, case and full-width forms) and the Jaccard similarity of
 * character bigrams, with values worked out by hand.
 */
#include <math.h>
#include <string.h>

#include "text/neardup.h"
#include "unit.h"

static cx_shingles a = CX_SHINGLES_INIT, b = CX_SHINGLES_INIT;

static double sim(const char *x, const char *y)
{
	cx_shingles_of(&a, x, strlen(x));
	cx_shingles_of(&b, y, strlen(y));
	return cx_jaccard(&a, &b);
}

static size_t units(const char *x)
{
	cx_shingles_of(&a, x, strlen(x));
	return a.units;
}

#define CHECK_SIM(x, y, want) CHECK(fabs(sim(x, y) - (want)) < 1e-12)

static void test_normalise(void)
{
	CHECK_INT(units(""), 0);
	CHECK_INT(units("您好"), 2);
	CHECK_INT(a.n, 1);
	CHECK_INT(units("好"), 1);
	CHECK_INT(a.n, 1);		/* one unit: one shingle of itself */
	CHECK_INT(units("[订单x]"), 0);
	CHECK_INT(units("[数字x][金额x]，。！？"), 0);
	CHECK_INT(units("[重要]通知"), 4);	/* not a placeholder: only the brackets go */
	CHECK_INT(units("[订单编号:[订单x]，…]"), 4);	/* the outer one is text */
	CHECK_INT(units("@105836 DM us https://t.co/xyz ^MM"), 4);
	CHECK_INT(a.n, 3);		/* dm mu us */
	CHECK_INT(units("a@b"), 1);	/* "@b" is a handle */
	CHECK_INT(units("^ hi"), 2);	/* a caret alone is punctuation */
	CHECK_INT(units("http"), 4);	/* not a URL */
	CHECK_INT(units("Ｈｉ，１２"), 4);
	/* A placeholder cut short, or too long, is text. */
	CHECK_INT(units("[订单x"), 3);
	CHECK_INT(units("[一二三四五六七八九十一二三四五六七x]"), 18);
}

static void test_similarity(void)
{
	CHECK_SIM("", "", 0);
	CHECK_SIM("abc", "", 0);
	CHECK_SIM("好", "好", 1);
	CHECK_SIM("我们会尽快为您处理", "我们会尽快为您处理", 1);
	CHECK_SIM("我们会尽快为您处理", "我们会尽快为您处理的", 8.0 / 9.0);
	/* The placeholders weigh nothing: 4 shared bigrams of 8. */
	CHECK_SIM("您的订单[订单x]已发货", "您的订单[订单x]已取消", 0.5);
	CHECK_SIM("您的订单已发货", "您的订单已取消", 0.5);
	/* Not a placeholder ("y]"): its text counts, 5 bigrams shared of 9. */
	CHECK_SIM("您的订单已发货", "您的订单[订单y]已发货", 5.0 / 9.0);
	CHECK_SIM("您的订单[订单x]已发货", "您的订单已发货", 1);
	CHECK_SIM("Thanks for reaching out!", "thanks, for REACHING out", 1);
	CHECK_SIM("ＡＢＣ１", "abc1", 1);
	CHECK_SIM("abab", "ab", 0.5);	/* sets: {ab, ba} against {ab} */
}

static void test_similar(void)
{
	/* 8 of 9: J = 0.888...; the sizes 8 and 9 pass the size filter. */
	cx_shingles_of(&a, "我们会尽快为您处理", strlen("我们会尽快为您处理"));
	cx_shingles_of(&b, "我们会尽快为您处理的", strlen("我们会尽快为您处理的"));
	CHECK(cx_similar(&a, &b, 0.8));
	CHECK(cx_similar(&a, &b, 8.0 / 9.0));	/* at the value exactly */
	CHECK(!cx_similar(&a, &b, 0.9));
	/* 4 of 8 = 0.5: equal sizes, so only the merge can say no. */
	cx_shingles_of(&a, "您的订单已发货", strlen("您的订单已发货"));
	cx_shingles_of(&b, "您的订单已取消", strlen("您的订单已取消"));
	CHECK(cx_similar(&a, &b, 0.5));
	CHECK(!cx_similar(&a, &b, 0.51));
	/* Sizes 1 and 4: J <= 0.25 whatever they hold. */
	cx_shingles_of(&a, "好的", strlen("好的"));
	cx_shingles_of(&b, "好的好的呢亲", strlen("好的好的呢亲"));
	CHECK(!cx_similar(&a, &b, 0.8));
	CHECK(cx_similar(&a, &b, 0.2) == (cx_jaccard(&a, &b) >= 0.2));
}

static void test_sets(void)
{
	cx_shingles_of(&a, "abab", 4);
	CHECK_INT(a.n, 2);
	CHECK(a.v[0] < a.v[1]);
	cx_shingles c = CX_SHINGLES_INIT;
	cx_shingles_copy(&c, &a);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.units, 4);
	CHECK(cx_jaccard(&a, &c) == 1);
	cx_shingles_free(&c);
	CHECK(c.v == NULL);
}

int main(void)
{
	test_normalise();
	test_similarity();
	test_similar();
	test_sets();
	cx_shingles_free(&a);
	cx_shingles_free(&b);
	return unit_done("test_neardup");
}
