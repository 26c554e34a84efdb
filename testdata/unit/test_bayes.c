/*
 * test_bayes: the naive Bayes classifier (lib/text/bayes.c).
 *
 *   build/unit/test_bayes                    the unit tests
 *   build/unit/test_bayes --eval LABEL TEXT [FOLDS [SEED]] < STREAM
 *       k-fold cross-validation of a cx stream (default 5 folds, seed 1),
 *       the report on standard output: the driver scripts/eval-classify
 *       uses until cx-classify eval exists.
 *   build/unit/test_bayes --train LABEL TEXT < STREAM > MODEL
 *       train on a cx stream, write the model.
 */
#define TESTIO_TMP "/tmp/cx-test-bayes"
#include <math.h>
#include <stdlib.h>

#include "text/bayes.h"
#include "core/err.h"
#include "io/output.h"
#include "io/stream.h"
#include "testio.h"

/* ---- n-grams ---- */

static cx_buf got;

static void collect(void *arg, const char *g, size_t n)
{
	(void)arg;
	if (got.len)
		cx_buf_addc(&got, '|');
	cx_buf_add(&got, g, n);
}

static const char *grams_of(const char *s)
{
	cx_buf_reset(&got);
	cx_buf_grow(&got, 1);
	cx_bayes_grams(s, strlen(s), collect, NULL);
	return got.p;
}

static void test_grams(void)
{
	CHECK_STR(grams_of("你好吗"), "你|好|你好|吗|好吗|你好吗");
	CHECK_STR(grams_of("好"), "好");
	CHECK_STR(grams_of(""), "");
	/* Punctuation (ASCII and full-width), whitespace and U+FEFF break. */
	CHECK_STR(grams_of("\xEF\xBB\xBF好，坏。 很差!"), "好|坏|很|差|很差");
	CHECK_STR(grams_of("送餐慢"), "送|餐|送餐|慢|餐慢|送餐慢");
	/* Latin: lower-cased ASCII letter/digit runs. */
	CHECK_STR(grams_of("Hello, World 42! it's"), "hello|world|42|it|s");
	/* Full-width letters and digits are folded to ASCII. */
	CHECK_STR(grams_of("ＡＢｃ１２"), "abc12");
	/* Other letters are kept as they are. */
	CHECK_STR(grams_of("Café au lait"), "café|au|lait");
	/* Mixed: a switch of script ends the run. */
	CHECK_STR(grams_of("iPhone屏幕很好!Good"),
		  "iphone|屏|幕|屏幕|很|幕很|屏幕很|好|很好|幕很好|good");
	CHECK_STR(grams_of("买了3斤"), "买|了|买了|3|斤");
	/* Kana and hangul are CJK; the katakana middle dot breaks. */
	CHECK_STR(grams_of("カナ・한국"), "カ|ナ|カナ|한|국|한국");
	/* A bad byte is a breaker. */
	CHECK_STR(grams_of("好\xff坏"), "好|坏");
	/* Tabs, newlines and backslashes never reach a gram. */
	CHECK_STR(grams_of("a\tb\nc\\d"), "a|b|c|d");
}

/* ---- the hand-computed model ----
 * pos: 好; 很好        counts 好 2, 很 1, 很好 1: N_pos = 4, D_pos = 2
 * neg: 差              counts 差 1:           N_neg = 1, D_neg = 1
 * V = 4 (好 很 很好 差).  "很差": grams 很, 差 (很差 unseen), so
 *   neg ~ 1/3 * (1/5) * (2/5) = 2/75,  pos ~ 2/3 * (2/8) * (1/8) = 1/48
 * and P(neg) = 32/57, P(pos) = 25/57. */

static cx_bayes *tiny(int reversed)
{
	cx_bayes *m = cx_bayes_new();
	if (!reversed) {
		cx_bayes_add(m, "pos", 3, "好", strlen("好"));
		cx_bayes_add(m, "neg", 3, "差", strlen("差"));
		cx_bayes_add(m, "pos", 3, "很好", strlen("很好"));
	} else {
		cx_bayes_add(m, "pos", 3, "很好", strlen("很好"));
		cx_bayes_add(m, "neg", 3, "差", strlen("差"));
		cx_bayes_add(m, "pos", 3, "好", strlen("好"));
	}
	cx_bayes_finish(m);
	return m;
}

static const char tiny_model[] =
	"kind\tclass\tfeature\tcount\n"
	"format\t\tcx-bayes\t1\n"
	"vocab\t\t\t4\n"
	"class\tneg\t\t1\n"
	"class\tpos\t\t2\n"
	"feature\tpos\t好\t2\n"
	"feature\tneg\t差\t1\n"
	"feature\tpos\t很\t1\n"
	"feature\tpos\t很好\t1\n";

#define NEAR(a, b) (fabs((a) - (b)) < 1e-12)

static void test_tiny(void)
{
	cx_bayes *m = tiny(0);
	CHECK_INT(cx_bayes_nlabels(m), 2);
	CHECK_INT(cx_bayes_nfeatures(m), 4);
	CHECK_STR(cx_bayes_label(m, 0), "neg");
	CHECK_STR(cx_bayes_label(m, 1), "pos");
	CHECK(cx_bayes_label(m, 2) == NULL);
	double p[2];
	CHECK_INT(cx_bayes_classify(m, "很差", strlen("很差"), p), 0);
	CHECK(NEAR(p[0], 32.0 / 57));
	CHECK(NEAR(p[1], 25.0 / 57));
	CHECK_INT(cx_bayes_classify(m, "很差", strlen("很差"), NULL), 0);
	/* Nothing known: the prior, 1/3 and 2/3. */
	CHECK_INT(cx_bayes_classify(m, "abc 的", strlen("abc 的"), p), 1);
	CHECK(NEAR(p[0], 1.0 / 3));
	CHECK(NEAR(p[1], 2.0 / 3));
	/* "好好": pos ~ 2/3 (3/8)^2, neg ~ 1/3 (1/5)^2: 0.09375 vs 1/75. */
	CHECK_INT(cx_bayes_classify(m, "好好", strlen("好好"), p), 1);
	double a = 2.0 / 3 * 9 / 64, b = 1.0 / 3 / 25;
	CHECK(NEAR(p[1], a / (a + b)));
	CHECK(NEAR(p[0] + p[1], 1));
	cx_bayes_free(m);

	/* A tie goes to the label first in byte order. */
	m = cx_bayes_new();
	cx_bayes_add(m, "b", 1, "x", 1);
	cx_bayes_add(m, "a", 1, "y", 1);
	cx_bayes_finish(m);
	CHECK_STR(cx_bayes_label(m, 0), "a");
	CHECK_INT(cx_bayes_classify(m, "", 0, p), 0);
	CHECK(p[0] == 0.5 && p[1] == 0.5);
	CHECK_INT(cx_bayes_classify(m, "X!", 2, p), 1);
	/* b ~ 1/2 * 2/3, a ~ 1/2 * 1/3 */
	CHECK(NEAR(p[1], 2.0 / 3));
	cx_bayes_free(m);

	/* Latin words, and a stable softmax far from 1. */
	m = cx_bayes_new();
	for (int i = 0; i < 3; i++)
		cx_bayes_add(m, "en", 2, "The parcel was LATE", 19);
	cx_bayes_add(m, "zh", 2, "快递很慢", strlen("快递很慢"));
	cx_bayes_finish(m);
	cx_buf big = CX_BUF_INIT;
	for (int i = 0; i < 2000; i++)
		cx_buf_adds(&big, "late ");
	CHECK_INT(cx_bayes_classify(m, big.p, big.len, p), 0);
	CHECK(p[0] == 1.0 && p[1] >= 0 && p[1] < 1e-300);
	cx_buf_free(&big);
	cx_bayes_free(m);

	/* Nothing trained. */
	m = cx_bayes_new();
	cx_bayes_finish(m);
	CHECK_INT(cx_bayes_nlabels(m), 0);
	CHECK_INT(cx_bayes_classify(m, "好", 3, p), 0);
	cx_bayes_free(m);
}

/* ---- save and load ---- */

static char *save_tmp(const cx_bayes *m)
{
	char *path = tmp_file("", 0);
	cx_output *o = cx_output_open(path);
	cx_bayes_save(m, o);
	cx_output_close(o);
	return path;
}

static void test_save_load(void)
{
	cx_buf b1 = CX_BUF_INIT, b2 = CX_BUF_INIT;
	cx_bayes *m = tiny(0);
	char *p1 = save_tmp(m);
	slurp(p1, &b1);
	CHECK_STR(b1.p, tiny_model);

	/* The documents in another order: the same bytes. */
	cx_bayes *r = tiny(1);
	slurp(save_tmp(r), &b2);
	CHECK_STR(b2.p, tiny_model);
	cx_bayes_free(r);

	/* load -> save: the same bytes, the same probabilities. */
	cx_bayes *l = cx_bayes_load(p1);
	slurp(save_tmp(l), &b2);
	CHECK_STR(b2.p, b1.p);
	const char *texts[] = { "很差", "好好", "", "差不多很好" };
	for (size_t i = 0; i < 4; i++) {
		double pa[2], pb[2];
		size_t n = strlen(texts[i]);
		CHECK_INT(cx_bayes_classify(l, texts[i], n, pb), cx_bayes_classify(m, texts[i], n, pa));
		CHECK(pa[0] == pb[0] && pa[1] == pb[1]);
	}
	cx_bayes_free(l);
	cx_bayes_free(m);

	/* A bigger model with escapes in labels and Latin words. */
	m = cx_bayes_new();
	const char *labels[] = { "物流\t慢", "a\\b", "质量", "z" };
	const char *docs[] = { "快递太慢了，三天才到 SF express", "Refund NOT received!!",
			       "质量很差，穿了一次就破了", "服务态度好 great service 10/10",
			       "物流很快", "还可以吧" };
	for (size_t i = 0; i < 24; i++)
		cx_bayes_add(m, labels[i % 4], strlen(labels[i % 4]), docs[i % 6], strlen(docs[i % 6]));
	cx_bayes_finish(m);
	CHECK_STR(cx_bayes_label(m, 0), "a\\b");
	p1 = save_tmp(m);
	slurp(p1, &b1);
	l = cx_bayes_load(p1);
	CHECK_INT(cx_bayes_nlabels(l), 4);
	CHECK_STR(cx_bayes_label(l, 2), "物流\t慢");
	CHECK_INT(cx_bayes_nfeatures(l), cx_bayes_nfeatures(m));
	slurp(save_tmp(l), &b2);
	CHECK(b1.len == b2.len && memcmp(b1.p, b2.p, b1.len) == 0);
	for (size_t i = 0; i < 6; i++) {
		double pa[4], pb[4];
		size_t n = strlen(docs[i]);
		CHECK_INT(cx_bayes_classify(l, docs[i], n, pb), cx_bayes_classify(m, docs[i], n, pa));
		CHECK(memcmp(pa, pb, sizeof pa) == 0);
	}
	cx_bayes_free(l);
	cx_bayes_free(m);

	/* gzip'd, and a model with classes but no feature. */
	const char *gz[] = { tiny_model };
	l = cx_bayes_load(tmp_gzip(gz, 1));
	CHECK_INT(cx_bayes_nfeatures(l), 4);
	cx_bayes_free(l);
	l = cx_bayes_load(tmp_text("kind\tclass\tfeature\tcount\nformat\t\tcx-bayes\t1\n"
				   "vocab\t\t\t0\nclass\tonly\t\t7\n"));
	double p;
	CHECK_INT(cx_bayes_classify(l, "好", 3, &p), 0);
	CHECK(p == 1.0);
	cx_bayes_free(l);
	cx_buf_free(&b1);
	cx_buf_free(&b2);
}

/* ---- bad model files ---- */

static void child_load(void *arg)
{
	cx_bayes_load(arg);
}

#define H "kind\tclass\tfeature\tcount\n"
#define F "format\t\tcx-bayes\t1\n"
#define V4 "vocab\t\t\t4\n"
#define CL "class\tneg\t\t1\nclass\tpos\t\t2\n"

static const struct bad {
	const char *text;
	const char *where;	/* ":LINE: " */
	const char *msg;
} bad[] = {
	{ "", ":", "" },
	{ "kind\tclass\tfeature\n" F, ":1: ", "header must be" },
	{ "kind\tlabel\tfeature\tcount\n" F, ":1: ", "header must be" },
	{ H, ":1: ", "no 'format' record" },
	{ H F, ":2: ", "no 'vocab' record" },
	{ H V4 F, ":2: ", "first record must be 'format'" },
	{ H "format\t\tcx-bayes\t2\n", ":2: ", "version 2 is not supported" },
	{ H "format\t\tcx-bayes\t01\n", ":2: ", "bad model version '01'" },
	{ H "format\t\tcx-bayes\t\n", ":2: ", "bad model version ''" },
	{ H "format\t\tcx-bayez\t1\n", ":2: ", "first record must be" },
	{ H F "vocab\t\t\t-4\n", ":3: ", "bad vocabulary size '-4'" },
	{ H F "vocab\t\t\t99999999999\n", ":3: ", "bad vocabulary size" },
	{ H F "class\tneg\t\t1\n", ":3: ", "expected the 'vocab' record" },
	{ H F V4, ":3: ", "a model with no class" },
	{ H F V4 "class\tneg\t\t0\n", ":4: ", "bad document count '0'" },
	{ H F V4 "class\tneg\t\t1.5\n", ":4: ", "bad document count '1.5'" },
	{ H F V4 "class\tneg\t\t4294967296\n", ":4: ", "bad document count" },
	{ H F V4 "class\tneg\t\t 1\n", ":4: ", "bad document count" },
	{ H F V4 "class\tpos\t\t1\nclass\tneg\t\t1\n", ":5: ", "class 'neg' out of order" },
	{ H F V4 "class\tneg\t\t1\nclass\tneg\t\t1\n", ":5: ", "out of order or repeated" },
	{ H F V4 "class\tneg\tx\t1\n", ":4: ", "a 'class' record with a feature" },
	{ H F V4 "feature\tneg\tx\t1\n", ":4: ", "a model with no class" },
	{ H F V4 CL "feature\tmid\t好\t1\n", ":6: ", "unknown class 'mid'" },
	{ H F V4 CL "feature\tneg\t\t1\n", ":6: ", "empty feature" },
	{ H F V4 CL "feature\tneg\t好\t0\n", ":6: ", "bad feature count '0'" },
	{ H F V4 CL "feature\tneg\t好\t-1\n", ":6: ", "bad feature count '-1'" },
	{ H F V4 CL "feature\tneg\t好\t4294967296\n", ":6: ", "bad feature count" },
	{ H F V4 CL "feature\tneg\t好\t1e3\n", ":6: ", "bad feature count" },
	{ H F V4 CL "feature\tneg\t差\t1\nfeature\tneg\t好\t1\n", ":7: ", "feature '好' out of order" },
	{ H F V4 CL "feature\tpos\t好\t1\nfeature\tneg\t好\t1\n", ":7: ", "out of order or repeated" },
	{ H F V4 CL "feature\tpos\t好\t1\nfeature\tpos\t好\t1\n", ":7: ", "out of order or repeated" },
	{ H F V4 CL "feature\tpos\t好\t1\nclass\tz\t\t1\n", ":7: ", "'class' record after the features" },
	{ H F V4 CL "feature\tpos\t好\t1\n", ":6: ", "vocab record says 4 features, the file has 1" },
	{ H F "vocab\t\t\t1\n" CL "feature\tpos\t好\t1\nfeature\tpos\t差\t1\n", ":7: ",
	  "more features than the vocab record says (1)" },
	{ H F V4 CL "weight\tpos\t好\t1\n", ":6: ", "unknown record kind 'weight'" },
	{ H F V4 CL "feature\tpos\t好\n", ":6: ", "" },
	{ H F V4 CL "feature\tpos\t\\x\t1\n", ":6: ", "" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *path = tmp_text(bad[i].text);
		int st = run_child(child_load, path);
		if (st != 3)
			fprintf(stderr, "bad model %zu: status %d\n", i, st);
		CHECK_INT(st, 3);
		char want[256];
		snprintf(want, sizeof want, "%s%s", path, bad[i].where);
		CHECK_ERR_HAS(want);
		CHECK_ERR_HAS(bad[i].msg);
	}
	/* No such file: an I/O error, not bad data. */
	CHECK_INT(run_child(child_load, (void *)"/nonexistent/model.tsv"), 4);
}

/* ---- evaluation ---- */

static void test_eval(void)
{
	/* Identical texts inside each class, so the shuffle cannot change
	 * the outcome: with 2 folds, x's 4 documents go to folds 0 1 0 1,
	 * y's 2 to 0 1, z's one to 0.  Fold 0 is classified by a model of
	 * fold 1 (x2 y1, no z): z's 一般 has no known gram, and the prior
	 * says x.  Everything else is right (see the comment of test_tiny
	 * for the arithmetic: 难吃 -> y is 1/192 against 2/1331). */
	static const char want[] =
		"kind\tclass\tsupport\tprecision\trecall\tf1\taccuracy\tpredicted\tcount\n"
		"class\tx\t4\t0.800000\t1.000000\t0.888889\t\t\t\n"
		"class\ty\t2\t1.000000\t1.000000\t1.000000\t\t\t\n"
		"class\tz\t1\t\t0.000000\t\t\t\t\n"
		"macro\t\t7\t0.600000\t0.666667\t0.629630\t\t\t\n"
		"accuracy\t\t7\t\t\t\t0.857143\t\t6\n"
		"majority\tx\t7\t0.190476\t0.333333\t0.242424\t0.571429\t\t4\n"
		"confusion\tx\t\t\t\t\t\tx\t4\n"
		"confusion\tx\t\t\t\t\t\ty\t0\n"
		"confusion\tx\t\t\t\t\t\tz\t0\n"
		"confusion\ty\t\t\t\t\t\tx\t0\n"
		"confusion\ty\t\t\t\t\t\ty\t2\n"
		"confusion\ty\t\t\t\t\t\tz\t0\n"
		"confusion\tz\t\t\t\t\t\tx\t1\n"
		"confusion\tz\t\t\t\t\t\ty\t0\n"
		"confusion\tz\t\t\t\t\t\tz\t0\n";
	cx_buf b = CX_BUF_INIT;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		cx_bayes_eval *ev = cx_bayes_eval_new();
		cx_bayes_eval_add(ev, "z", 1, "一般", strlen("一般"));
		for (int i = 0; i < 4; i++) {
			cx_bayes_eval_add(ev, "x", 1, "好吃", strlen("好吃"));
			if (i < 2)
				cx_bayes_eval_add(ev, "y", 1, "难吃", strlen("难吃"));
		}
		char *path = tmp_file("", 0);
		cx_output *o = cx_output_open(path);
		cx_bayes_eval_run(ev, 2, seed, o);
		cx_output_close(o);
		slurp(path, &b);
		CHECK_STR(b.p, want);
		cx_bayes_eval_free(ev);
	}

	/* Separable data, more folds than documents of a class, the same
	 * report for the same seed; 10 folds of 6 documents: 4 empty. */
	cx_buf b2 = CX_BUF_INIT;
	for (int rep = 0; rep < 2; rep++) {
		cx_bayes_eval *ev = cx_bayes_eval_new();
		const char *t[] = { "很好吃", "好吃好吃", "好吃", "太难吃", "难吃死了", "难吃" };
		for (int i = 0; i < 6; i++)
			cx_bayes_eval_add(ev, i < 3 ? "pos" : "neg", 3, t[i], strlen(t[i]));
		char *path = tmp_file("", 0);
		cx_output *o = cx_output_open(path);
		cx_bayes_eval_run(ev, 10, 7, o);
		cx_output_close(o);
		slurp(path, rep ? &b2 : &b);
		cx_bayes_eval_free(ev);
	}
	CHECK_STR(b.p, b2.p);
	CHECK(strstr(b.p, "accuracy\t\t6\t\t\t\t1.000000\t\t6\n") != NULL);
	CHECK(strstr(b.p, "majority\tneg\t6\t0.250000\t0.500000\t0.333333\t0.500000\t\t3\n") != NULL);
	cx_buf_free(&b);
	cx_buf_free(&b2);
}

/* ---- the evaluation driver ---- */

static int eval_main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test_bayes --eval|--train LABEL TEXT [FOLDS [SEED]] < STREAM\n");
		return 2;
	}
	cx_set_progname("test_bayes");
	int folds = argc > 4 ? atoi(argv[4]) : 5;
	unsigned long seed = argc > 5 ? strtoul(argv[5], NULL, 10) : 1;
	cx_reader *r = cx_reader_open(NULL, 0);
	size_t li = cx_reader_need(r, argv[2]), ti = cx_reader_need(r, argv[3]);
	if (!strcmp(argv[1], "--train")) {
		cx_bayes *m = cx_bayes_new();
		cx_buf s1 = CX_BUF_INIT, s2 = CX_BUF_INIT;
		while (cx_reader_next(r)) {
			cx_slice l = cx_rec_get(r, li, &s1);
			cx_slice t = cx_rec_get(r, ti, &s2);
			cx_bayes_add(m, l.p, l.n, t.p, t.n);
		}
		cx_reader_close(r);
		cx_bayes_finish(m);
		cx_output *o = cx_output_open(NULL);
		cx_bayes_save(m, o);
		cx_output_close(o);
		cx_bayes_free(m);
		cx_buf_free(&s1);
		cx_buf_free(&s2);
		return 0;
	}
	cx_bayes_eval *ev = cx_bayes_eval_new();
	cx_buf s1 = CX_BUF_INIT, s2 = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		cx_slice l = cx_rec_get(r, li, &s1);
		cx_slice t = cx_rec_get(r, ti, &s2);
		cx_bayes_eval_add(ev, l.p, l.n, t.p, t.n);
	}
	cx_reader_close(r);
	cx_output *o = cx_output_open(NULL);
	cx_bayes_eval_run(ev, folds, seed, o);
	cx_output_close(o);
	cx_bayes_eval_free(ev);
	cx_buf_free(&s1);
	cx_buf_free(&s2);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--eval") || !strcmp(argv[1], "--train")))
		return eval_main(argc, argv);
	cx_set_progname("test_bayes");
	test_grams();
	test_tiny();
	test_save_load();
	test_bad();
	test_eval();
	cx_buf_free(&got);
	remove_tmp_files();
	return unit_done("bayes");
}
