/* Unit tests for lib/text/sentiment.c and lib/text/classify.c: the built-in data
 * parses, scores follow the documented formula, and the prefilter never
 * changes an answer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/classify.h"
#include "text/sentiment.h"
#include "unit.h"

static double score(const cx_lexicon *lx, const char *s, int *emo, int *anger)
{
	cx_senti se;
	cx_sentiment(lx, s, strlen(s), &se);
	if (emo)
		*emo = se.emotion;
	if (anger)
		*anger = se.anger;
	return se.raw;
}

#define NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-9)

int main(void)
{
	cx_buf err = CX_BUF_INIT;
	cx_lexicon *lx = cx_lex_new();
	CHECK_INT(cx_lex_parse(lx, cx_sentiment_seed_lexicon, strlen(cx_sentiment_seed_lexicon), "seed",
			       CX_LEX_CX, 0, &err), 0);
	CHECK(cx_lex_size(lx) > 300);

	int emo, anger;
	NEAR(score(lx, "满意", &emo, &anger), 1);
	CHECK_INT(emo, CX_EMO_JOY);
	NEAR(score(lx, "不满意", NULL, NULL), -1.5);	/* a word of its own */
	NEAR(score(lx, "不是满意", &emo, NULL), -1);	/* negated: no joy */
	CHECK_INT(emo, CX_EMO_NONE);
	NEAR(score(lx, "不不满意", NULL, NULL), 1.5);	/* 不 + 不满意 */
	NEAR(score(lx, "非常慢", NULL, NULL), -2);
	NEAR(score(lx, "很慢", NULL, NULL), -1.5);
	NEAR(score(lx, "有点慢", NULL, NULL), -0.5);
	NEAR(score(lx, "不一二三慢", NULL, NULL), 1);	/* 3 units apart: in the window */
	NEAR(score(lx, "不一二三四慢", NULL, NULL), -1);	/* 4: out of it */
	NEAR(score(lx, "不，慢", NULL, NULL), -1);	/* a clause ends the window */
	NEAR(score(lx, "不错", NULL, NULL), 1);
	NEAR(score(lx, "不好意思", NULL, NULL), 0);
	NEAR(score(lx, "not good", NULL, NULL), -1);
	NEAR(score(lx, "NOT GOOD", NULL, NULL), -1);
	NEAR(score(lx, "isn't good", NULL, NULL), -1);
	NEAR(score(lx, "very very slow", NULL, NULL), -2.25);
	score(lx, "气死我了", &emo, &anger);
	CHECK_INT(emo, CX_EMO_ANGER);
	CHECK_INT(anger, 1);
	score(lx, "不生气", &emo, &anger);
	CHECK_INT(anger, 0);
	cx_senti se;
	cx_sentiment(lx, "太差", 6, &se);
	NEAR(se.score, -2 / sqrt(8));
	cx_sentiment(lx, "", 0, &se);
	NEAR(se.score, 0);

	/* Other formats. */
	cx_lexicon *h = cx_lex_new();
	const char hn[] = "中文正面评价词语\t2\n\n灵光\n顺手\n";
	CHECK_INT(cx_lex_parse(h, hn, strlen(hn), "x/pos_eval.txt", CX_LEX_HOWNET, 0, &err), 0);
	CHECK_INT(cx_lex_size(h), 2);
	const char deg[] = "中文程度级别词语\t3\n\n1. “极其|extreme / 最|most”\t2\n贼\n2. “很|very”\t1\n蛮\n";
	CHECK_INT(cx_lex_parse(h, deg, strlen(deg), "程度级别词语.txt", CX_LEX_HOWNET, 0, &err), 0);
	NEAR(score(h, "贼灵光", NULL, NULL), 2);
	NEAR(score(h, "蛮灵光", NULL, NULL), 1.5);
	CHECK_INT(cx_lex_parse(h, "x", 1, "words.txt", CX_LEX_NTUSD, 0, &err), -1);
	CHECK_INT(cx_lex_parse(h, "闹心\r\n", 8, "w.txt", CX_LEX_NTUSD, -1, &err), 0);
	NEAR(score(h, "闹心", NULL, NULL), -1);
	CHECK_INT(cx_lex_parse(h, "好 +1 x\n", 8, "l", CX_LEX_CX, 0, &err), -1);
	CHECK_STR(err.p, "l:1: unknown emotion 'x' (anger, anxiety, disappointment, joy)");
	cx_lex_free(h);

	/* The default rules parse; the prefilter changes no answer. */
	cx_crules rs = CX_CRULES_INIT;
	CHECK_INT(cx_crules_parse(&rs, cx_classify_default_rules, strlen(cx_classify_default_rules), "d",
				  &err), 0);
	cx_crules_finish(&rs);
	CHECK(rs.any != NULL);
	static const char *const texts[] = {
		"快递三天了还没到", "退款一直没到账，去12315", "I will call my lawyer", "今天天气不错",
		"the fee was wrong", "质量太差", "hello", "", "送餐太慢", "系统反应很慢",
	};
	cx_cmatch m;
	cx_cmatch_init(&m, &rs);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		size_t n = strlen(texts[i]);
		size_t k1 = cx_cmatch_run(&m, texts[i], n, 1);
		const cx_crule *first = k1 ? m.hits[0].rule : NULL;
		void *any = rs.any;
		rs.any = NULL;
		size_t k2 = cx_cmatch_run(&m, texts[i], n, 1);
		rs.any = any;
		CHECK_INT(k1, k2);
		CHECK(!k1 || first == m.hits[0].rule);
	}
	CHECK_INT(cx_cmatch_run(&m, "送餐太慢", strlen("送餐太慢"), 0), 1);
	CHECK_STR(m.hits[0].rule->name, "delivery_slow");
	CHECK_INT(cx_cmatch_run(&m, "系统反应很慢", strlen("系统反应很慢"), 0), 1);
	CHECK_STR(m.hits[0].rule->name, "quality");	/* delivery_slow's except */
	cx_cmatch_free(&m);
	cx_crules_free(&rs);

	/* Errors name the line and the PCRE2 offset. */
	cx_crules bad = CX_CRULES_INIT;
	const char br[] = "a category x match /y/\n\nb category y \\\n match /(z/\n";
	CHECK_INT(cx_crules_parse(&bad, br, strlen(br), "r", &err), -1);
	CHECK_STR(err.p, "r:3: rule 'b': bad regular expression /(z/: missing closing parenthesis at offset 2");
	cx_crules_free(&bad);

	cx_lex_free(lx);
	cx_buf_free(&err);
	return unit_done("sentiment");
}
