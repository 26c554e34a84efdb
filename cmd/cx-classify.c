/* cx-classify: category, department, severity and sentiment from complaint text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/canon.h"
#include "text/classify.h"
#include "core/err.h"
#include "io/input.h"
#include "core/opt.h"
#include "io/output.h"
#include "text/sentiment.h"
#include "io/stream.h"
#include "core/utf8.h"

/* The naive Bayes model is lib/bayes.{h,c}, written separately; until it
 * lands, train, eval and --model report that they are not built in. */
#include "text/bayes.h"

enum {
	OPT_MULTI = 0x100, OPT_EXPLAIN, OPT_OVERRIDE, OPT_UNMATCHED, OPT_PRINT_RULES, OPT_PRINT_LEX,
	OPT_NO_SENTIMENT, OPT_LEXICON, OPT_LEXICON_FORMAT, OPT_NO_SEED, OPT_MODEL, OPT_FOLDS, OPT_SEED,
};

static const cx_option options[] = {
	{ "rules", 'r', "FILE", "classify with the rules of FILE (repeatable) instead of the default set" },
	{ "fields", 'f', "LIST", "classify on these fields, joined by newlines (default: text)" },
	{ "use", 'u', "MAP", "read a canonical field from another one: 'text=narrative'" },
	{ "multi", OPT_MULTI, NULL, "every matching category, ';'-joined by priority (default: the first)" },
	{ "explain", OPT_EXPLAIN, NULL, "add match (the matched text) and span (its characters START-END)" },
	{ "override", OPT_OVERRIDE, NULL, "replace a severity the record already has" },
	{ "unmatched", OPT_UNMATCHED, "NAME", "category of records no rule matches (default: other)" },
	{ "model", OPT_MODEL, "FILE", "a model from 'cx-classify train' classifies what the rules leave" },
	{ "no-sentiment", OPT_NO_SENTIMENT, NULL, "do not write sentiment, emotion and anger" },
	{ "lexicon", OPT_LEXICON, "FILE", "add a sentiment lexicon (repeatable), in the --lexicon-format" },
	{ "lexicon-format", OPT_LEXICON_FORMAT, "FMT", "cx (WORD VALUE [EMOTION]), hownet or ntusd (one word a line); for the --lexicon that follow" },
	{ "no-seed-lexicon", OPT_NO_SEED, NULL, "use only the --lexicon files, not the built-in seed lexicon" },
	{ "print-default-rules", OPT_PRINT_RULES, NULL, "write the built-in rules and exit (edit a copy, use it with -r)" },
	{ "print-seed-lexicon", OPT_PRINT_LEX, NULL, "write the built-in seed lexicon (cx format) and exit" },
	{ NULL, 0, NULL, NULL },
};

static const cx_option train_options[] = {
	{ "label", 'l', "FIELD", "the field that holds the label (required)" },
	{ "fields", 'f', "LIST", "the text fields, joined by newlines (default: text)" },
	{ "use", 'u', "MAP", "read a canonical field from another one: 'text=narrative'" },
	{ NULL, 0, NULL, NULL },
};

static const cx_option eval_options[] = {
	{ "label", 'l', "FIELD", "the field that holds the label (required)" },
	{ "fields", 'f', "LIST", "the text fields, joined by newlines (default: text)" },
	{ "use", 'u', "MAP", "read a canonical field from another one: 'text=narrative'" },
	{ "folds", OPT_FOLDS, "K", "K-fold cross-validation (default: 5)" },
	{ "seed", OPT_SEED, "N", "seed of the fold assignment (default: 1)" },
	{ NULL, 0, NULL, NULL },
};

struct lexarg {
	const char *path;
	int fmt;
};

struct args {
	char **files;
	size_t nfiles;
	char **rules;
	size_t nrules;
	const char *fields;
	const char *unmatched;
	const char *model;
	const char *label;
	int multi, explain, override, print_rules, print_lex, no_sentiment, no_seed;
	int lexfmt;
	struct lexarg *lex;
	size_t nlex;
	long folds;
	unsigned long seed;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'r': a->rules[a->nrules++] = (char *)arg; break;
	case 'f': a->fields = arg; break;
	case 'u': cx_canon_use(arg); break;
	case 'l': a->label = arg; break;
	case OPT_MULTI: a->multi = 1; break;
	case OPT_EXPLAIN: a->explain = 1; break;
	case OPT_OVERRIDE: a->override = 1; break;
	case OPT_UNMATCHED: {
		const char *why = cx_category_problem(arg, strlen(arg));
		cx_buf b = CX_BUF_INIT;
		if (why)
			cx_usage_error("--unmatched: '%s' cannot be a category: %s",
				       cx_shown(&b, arg, strlen(arg)), why);
		a->unmatched = arg;
		break;
	}
	case OPT_MODEL: a->model = arg; break;
	case OPT_NO_SENTIMENT: a->no_sentiment = 1; break;
	case OPT_NO_SEED: a->no_seed = 1; break;
	case OPT_PRINT_RULES: a->print_rules = 1; break;
	case OPT_PRINT_LEX: a->print_lex = 1; break;
	case OPT_LEXICON_FORMAT:
		if ((a->lexfmt = cx_lex_format_parse(arg)) < 0)
			cx_usage_error("--lexicon-format: cx, hownet or ntusd, not '%s'", arg);
		break;
	case OPT_LEXICON:
		a->lex[a->nlex].path = arg;
		a->lex[a->nlex++].fmt = a->lexfmt;
		break;
	case OPT_FOLDS: a->folds = (long)cx_opt_int("--folds", arg, 2, 1000); break;
	case OPT_SEED: a->seed = (unsigned long)cx_opt_int("--seed", arg, 0, 4294967295LL); break;
	}
}

/* The text to classify: one field as it is, several joined by '\n'. */
typedef struct textsrc {
	size_t *idx;
	size_t n;
	cx_buf scratch, joined;
} textsrc;

static void text_open(textsrc *t, const cx_reader *r, const char *fields)
{
	memset(t, 0, sizeof *t);
	t->idx = cx_reader_need_list(r, fields ? fields : cx_canon("text"), &t->n);
}

/* Field i's value must be UTF-8: the patterns run without PCRE2's check. */
static void text_check(const cx_reader *r, size_t i, cx_slice v)
{
	size_t bad = cx_utf8_check(v.p, v.n);
	if (bad)
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': not UTF-8 (byte %zu)", r->names[i],
			  bad);
}

static cx_slice text_get(textsrc *t, cx_reader *r)
{
	cx_slice s;
	if (t->n == 1) {
		s = cx_rec_get(r, t->idx[0], &t->scratch);
		text_check(r, t->idx[0], s);
	} else {
		/* Each field is checked on its own, so that the message names
		 * the field that is not UTF-8 and the byte in it. */
		cx_buf_reset(&t->joined);
		for (size_t i = 0; i < t->n; i++) {
			cx_buf_reset(&t->scratch);
			cx_slice v = cx_rec_get(r, t->idx[i], &t->scratch);
			text_check(r, t->idx[i], v);
			if (i)
				cx_buf_addc(&t->joined, '\n');
			cx_buf_add(&t->joined, v.p, v.n);
		}
		s = (cx_slice){ t->joined.p ? t->joined.p : "", t->joined.len };
	}
	return s;
}

/* The label of a record for train and eval: empty (unlabelled), or one
 * that can be a category; dies on one that cannot (status 3), before a
 * model that --model would refuse is written. */
static cx_slice label_get(cx_reader *r, size_t li, cx_buf *b)
{
	cx_buf_reset(b);
	cx_slice l = cx_rec_get(r, li, b);
	const char *why = l.n ? cx_category_problem(l.p, l.n) : NULL;
	if (why) {
		cx_buf_reset(b);
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': '%s' cannot be a category: %s",
			  r->names[li], cx_shown(b, r->f[li].p, r->f[li].n), why);
	}
	return l;
}

static void text_close(textsrc *t)
{
	free(t->idx);
	cx_buf_free(&t->scratch);
	cx_buf_free(&t->joined);
}

/* ---- train and eval (lib/bayes) */

static int cmd_train(struct args *a)
{
	if (!a->label)
		cx_usage_error("train: -l LABELFIELD is required");
	if (!cx_opts.output)
		cx_usage_error("train: -o MODEL is required");
	cx_reader *r = cx_reader_open(a->files, a->nfiles);
	size_t li = cx_reader_need(r, a->label);
	textsrc t;
	text_open(&t, r, a->fields);
	cx_buf lb = CX_BUF_INIT;
	cx_bayes *m = cx_bayes_new();
	while (cx_reader_next(r)) {
		cx_slice l = label_get(r, li, &lb);
		if (!l.n)
			continue;	/* unlabelled */
		cx_slice s = text_get(&t, r);
		cx_bayes_add(m, l.p, l.n, s.p, s.n);
	}
	/* A model of no class is one --model refuses: say so now, not
	 * when it is used. */
	if (!cx_bayes_nlabels(m))
		cx_die(CX_EXIT_DATA, "train: no record has a label in field '%s': nothing to train on",
		       a->label);
	cx_bayes_finish(m);
	cx_output *out = cx_output_open(cx_opts.output);
	cx_bayes_save(m, out);
	cx_output_close(out);
	cx_bayes_free(m);
	cx_buf_free(&lb);
	text_close(&t);
	cx_reader_close(r);
	return CX_EXIT_OK;
}

static int cmd_eval(struct args *a)
{
	if (!a->label)
		cx_usage_error("eval: -l LABELFIELD is required");
	cx_reader *r = cx_reader_open(a->files, a->nfiles);
	size_t li = cx_reader_need(r, a->label);
	textsrc t;
	text_open(&t, r, a->fields);
	cx_buf lb = CX_BUF_INIT;
	cx_bayes_eval *ev = cx_bayes_eval_new();
	size_t labelled = 0;
	while (cx_reader_next(r)) {
		cx_slice l = label_get(r, li, &lb);
		if (!l.n)
			continue;
		cx_slice s = text_get(&t, r);
		cx_bayes_eval_add(ev, l.p, l.n, s.p, s.n);
		labelled++;
	}
	/* As train: an empty report would read as a model that scored nothing. */
	if (!labelled)
		cx_die(CX_EXIT_DATA, "eval: no record has a label in field '%s': nothing to evaluate",
		       a->label);
	cx_output *out = cx_output_open(cx_opts.output);
	cx_bayes_eval_run(ev, (int)a->folds, a->seed, out);
	cx_output_close(out);
	cx_bayes_eval_free(ev);
	cx_buf_free(&lb);
	text_close(&t);
	cx_reader_close(r);
	return CX_EXIT_OK;
}

/* ---- classify */

enum { O_CATEGORY, O_SUBCATEGORY, O_DEPARTMENT, O_SEVERITY, O_RULE, O_MATCH, O_SPAN, O_PROB,
       O_SENTIMENT, O_EMOTION, O_ANGER, O_N };
static const char *const out_names[O_N] = {
	"category", "subcategory", "department", "severity", "rule", "match", "span", "probability",
	"sentiment", "emotion", "anger",
};

/* Write the hits' field k, ';'-joined. */
static void out_joined(cx_output *o, const cx_cmatch *m, int k, const char *s)
{
	for (size_t i = 0; i < m->nhits; i++) {
		const cx_crule *r = m->hits[i].rule;
		if (i)
			cx_out_c(o, ';');
		switch (k) {
		case O_CATEGORY: cx_out_field(o, r->category, strlen(r->category)); break;
		case O_SUBCATEGORY: cx_out_field(o, r->subcategory, strlen(r->subcategory)); break;
		case O_DEPARTMENT: cx_out_field(o, r->dept, strlen(r->dept)); break;
		case O_RULE: cx_out_field(o, r->name, strlen(r->name)); break;
		case O_MATCH:
			cx_out_field(o, s + m->hits[i].start, m->hits[i].end - m->hits[i].start);
			break;
		case O_SPAN: {
			size_t a = 0, b;
			for (size_t j = 0; j < m->hits[i].start; j++)
				a += ((unsigned char)s[j] & 0xC0) != 0x80;
			b = a;
			for (size_t j = m->hits[i].start; j < m->hits[i].end; j++)
				b += ((unsigned char)s[j] & 0xC0) != 0x80;
			char tmp[48];
			int n = snprintf(tmp, sizeof tmp, "%zu-%zu", a, b);
			cx_out_raw(o, tmp, (size_t)n);
			break;
		}
		}
	}
}

static int sev_rank(const char *s)
{
	static const char *const v[] = { "low", "medium", "high", "critical" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, v[i]))
			return i;
	return -1;
}

/* Remove duplicate (category, subcategory) hits, keeping the first. */
static void dedupe(cx_cmatch *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nhits; i++) {
		const cx_crule *r = m->hits[i].rule;
		int dup = 0;
		for (size_t j = 0; j < k && !dup; j++)
			dup = !strcmp(m->hits[j].rule->category, r->category) &&
			      !strcmp(m->hits[j].rule->subcategory, r->subcategory);
		if (!dup)
			m->hits[k++] = m->hits[i];
	}
	m->nhits = k;
}

/* Rules, lexicons and the model are read whole before the records; the
 * second reader of standard input would find it empty and say only
 * "empty input" about the wrong file.  A usage error instead. */
static void stdin_once(const struct args *a)
{
	const char *who[2];
	size_t n = 0;
	for (size_t i = 0; i < a->nrules && n < 2; i++)
		if (!strcmp(a->rules[i], "-"))
			who[n++] = "--rules";
	for (size_t i = 0; i < a->nlex && n < 2; i++)
		if (!strcmp(a->lex[i].path, "-"))
			who[n++] = "--lexicon";
	if (a->model && !strcmp(a->model, "-") && n < 2)
		who[n++] = "--model";
	int rec = !a->nfiles;
	for (size_t i = 0; i < a->nfiles && !rec; i++)
		rec = !strcmp(a->files[i], "-");
	if (rec && n < 2)
		who[n++] = a->nfiles ? "the records" : "the records (no file named)";
	if (n == 2)
		cx_usage_error("standard input can be read only once: %s and %s both read it", who[0],
			       who[1]);
}

static int cmd_classify(struct args *a)
{
	cx_output *out = cx_output_open(cx_opts.output);
	if (a->print_rules || a->print_lex) {
		cx_out_s(out, a->print_rules ? cx_classify_default_rules : cx_sentiment_seed_lexicon);
		cx_output_close(out);
		return CX_EXIT_OK;
	}
	stdin_once(a);
	cx_crules rs = CX_CRULES_INIT;
	if (a->nrules) {
		for (size_t i = 0; i < a->nrules; i++)
			cx_crules_load(&rs, a->rules[i]);
	} else {
		cx_buf err = CX_BUF_INIT;
		if (cx_crules_parse(&rs, cx_classify_default_rules, strlen(cx_classify_default_rules),
				    "(default rules)", &err) < 0)
			cx_die(CX_EXIT_USAGE, "%s", err.p);	/* a bug: the unit tests parse it */
		cx_buf_free(&err);
	}
	cx_crules_finish(&rs);

	cx_lexicon *lx = NULL;
	if (!a->no_sentiment) {
		lx = cx_lex_new();
		if (!a->no_seed) {
			cx_buf err = CX_BUF_INIT;
			if (cx_lex_parse(lx, cx_sentiment_seed_lexicon, strlen(cx_sentiment_seed_lexicon),
					 "(seed lexicon)", CX_LEX_CX, 0, &err) < 0)
				cx_die(CX_EXIT_USAGE, "%s", err.p);
			cx_buf_free(&err);
		}
		for (size_t i = 0; i < a->nlex; i++)
			cx_lex_load(lx, a->lex[i].path, (enum cx_lex_format)a->lex[i].fmt);
	} else if (a->nlex) {
		cx_usage_error("--lexicon and --no-sentiment: choose one");
	}

	cx_bayes *model = a->model ? cx_bayes_load(a->model) : NULL;
	/* The probabilities of every label, filled by cx_bayes_classify. */
	size_t nlabels = model ? cx_bayes_nlabels(model) : 0;
	/* A model file may hold any label (lib/bayes); train writes only
	 * labels that can be categories, but a file made or edited by hand
	 * could put an empty category or a ';' in every record it decides. */
	for (size_t i = 0; i < nlabels; i++) {
		const char *l = cx_bayes_label(model, i);
		const char *why = cx_category_problem(l, strlen(l));
		cx_buf b = CX_BUF_INIT;
		if (why)
			cx_die(CX_EXIT_DATA, "%s: class '%s' cannot be a category: %s",
			       cx_path_name(a->model), cx_shown(&b, l, strlen(l)), why);
	}
	double *probs = cx_malloc((nlabels ? nlabels : 1) * sizeof *probs);

	cx_reader *r = cx_reader_open(a->files, a->nfiles);
	textsrc t;
	text_open(&t, r, a->fields);
	size_t sev_in = (size_t)-1;

	/* Where each output field goes: an input column it replaces, or a
	 * new column after the input's. */
	int want[O_N];
	for (int k = 0; k < O_N; k++)
		want[k] = 1;
	want[O_MATCH] = want[O_SPAN] = a->explain;
	want[O_PROB] = a->model != NULL;
	want[O_SENTIMENT] = want[O_EMOTION] = want[O_ANGER] = !a->no_sentiment;
	int *colof = cx_malloc((r->nfields ? r->nfields : 1) * sizeof *colof);
	for (size_t i = 0; i < r->nfields; i++)
		colof[i] = -1;
	int appended[O_N];
	size_t nappend = 0;
	for (int k = 0; k < O_N; k++) {
		if (!want[k])
			continue;
		int i = cx_reader_find(r, out_names[k]);
		if (i >= 0) {
			colof[i] = k;
			if (k == O_SEVERITY)
				sev_in = (size_t)i;
		} else {
			appended[nappend++] = k;
		}
	}
	for (size_t i = 0; i < r->nfields; i++) {
		if (i)
			cx_out_c(out, '\t');
		cx_out_field(out, r->names[i], strlen(r->names[i]));
	}
	for (size_t j = 0; j < nappend; j++) {
		if (r->nfields || j)
			cx_out_c(out, '\t');
		cx_out_s(out, out_names[appended[j]]);
	}
	cx_out_eol(out);

	cx_cmatch m;
	cx_cmatch_init(&m, &rs);
	cx_buf sevbuf = CX_BUF_INIT;
	char num[64];
	while (cx_reader_next(r)) {
		/* Fields are copied through as read, still escaped: a bad
		 * escape in one is bad input (cx(7)) though no one reads it. */
		cx_reader_check_escapes(r);
		cx_slice s = text_get(&t, r);
		cx_cmatch_run(&m, s.p, s.n, a->multi);
		if (a->multi)
			dedupe(&m);
		const char *mlabel = NULL;
		double mprob = 0;
		if (!m.nhits && nlabels) {
			size_t li = cx_bayes_classify(model, s.p, s.n, probs);
			mlabel = cx_bayes_label(model, li);
			mprob = probs[li];
		}
		cx_senti se = { 0 };
		if (lx)
			cx_sentiment(lx, s.p, s.n, &se);
		/* The highest severity of the rules that apply.  A record's own
		 * severity stays, unless --override and a rule gives one. */
		const char *sev = "";
		int best = -1;
		for (size_t i = 0; i < m.nhits; i++) {
			int rk = sev_rank(m.hits[i].rule->severity);
			if (rk > best) {
				best = rk;
				sev = m.hits[i].rule->severity;
			}
		}
		int keep_sev = 0;
		if (sev_in != (size_t)-1 && (!a->override || !*sev)) {
			cx_buf_reset(&sevbuf);
			keep_sev = cx_rec_get(r, sev_in, &sevbuf).n > 0;
		}
		for (size_t c = 0; c < r->nfields + nappend; c++) {
			int k;
			if (c < r->nfields) {
				if (c)
					cx_out_c(out, '\t');
				k = colof[c];
				if (k < 0 || (k == O_SEVERITY && keep_sev)) {
					cx_out_raw(out, r->f[c].p, r->f[c].n);
					continue;
				}
			} else {
				if (c)
					cx_out_c(out, '\t');
				k = appended[c - r->nfields];
			}
			switch (k) {
			case O_SEVERITY: cx_out_s(out, sev); break;
			case O_CATEGORY:
				if (m.nhits)
					out_joined(out, &m, k, s.p);
				else
					cx_out_field(out, mlabel ? mlabel : (a->unmatched ? a->unmatched : "other"),
						     strlen(mlabel ? mlabel : (a->unmatched ? a->unmatched : "other")));
				break;
			case O_RULE:
				if (m.nhits)
					out_joined(out, &m, k, s.p);
				else if (mlabel)
					cx_out_s(out, "model");
				break;
			case O_PROB:
				if (mlabel) {
					int n = snprintf(num, sizeof num, "%.4f", mprob);
					cx_out_raw(out, num, (size_t)n);
				}
				break;
			case O_SENTIMENT: {
				double v = round(se.score * 1000) / 1000;
				if (v == 0)
					v = 0;	/* no -0.000 */
				int n = snprintf(num, sizeof num, "%.3f", v);
				cx_out_raw(out, num, (size_t)n);
				break;
			}
			case O_EMOTION: cx_out_s(out, cx_emotion_names[se.emotion]); break;
			case O_ANGER: cx_out_c(out, se.anger ? '1' : '0'); break;
			default: out_joined(out, &m, k, s.p); break;
			}
		}
		cx_out_eol(out);
	}
	cx_output_close(out);
	cx_cmatch_free(&m);
	cx_buf_free(&sevbuf);
	free(colof);
	text_close(&t);
	cx_reader_close(r);
	cx_crules_free(&rs);
	cx_lex_free(lx);
	if (model)
		cx_bayes_free(model);
	free(probs);
	return CX_EXIT_OK;
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-classify",
		.synopsis = "[-r RULES] [-f FIELDS] [--multi] [--explain] [OPTION]... [FILE]...\n"
			    "       cx-classify train -l LABEL [-f FIELDS] -o MODEL [FILE]...\n"
			    "       cx-classify eval -l LABEL [--folds K] [--seed N] [FILE]...",
		.summary = "Complaint text to category, subcategory, department, severity, rule,\n"
			   "sentiment, emotion and anger, by PCRE2 rules and a sentiment lexicon.",
		.options = options,
		.more = "The fields are written after the input's, or in place of input fields of the\n"
			"same name.  Rules: man 5 cx-classify; cx-classify --print-default-rules.\n",
	};
	static const cx_command train_cmd = {
		.name = "cx-classify train",
		.synopsis = "-l LABEL [-f FIELDS] -o MODEL [FILE]...",
		.summary = "Train a naive Bayes model on labelled records (rows with an empty label are skipped).",
		.options = train_options,
	};
	static const cx_command eval_cmd = {
		.name = "cx-classify eval",
		.synopsis = "-l LABEL [-f FIELDS] [--folds K] [--seed N] [FILE]...",
		.summary = "Cross-validate a naive Bayes model on labelled records.",
		.options = eval_options,
	};
	struct args a = { .folds = 5, .seed = 1 };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	a.rules = cx_calloc((size_t)argc + 1, sizeof *a.rules);
	a.lex = cx_calloc((size_t)argc + 1, sizeof *a.lex);
	int sub = 0;
	if (argc > 1 && (!strcmp(argv[1], "train") || !strcmp(argv[1], "eval")))
		sub = argv[1][0] == 't' ? 1 : 2;
	int rc;
	if (sub) {
		cx_parse_options(sub == 1 ? &train_cmd : &eval_cmd, argc - 1, argv + 1, handle, &a);
		rc = sub == 1 ? cmd_train(&a) : cmd_eval(&a);
	} else {
		cx_parse_options(&cmd, argc, argv, handle, &a);
		rc = cmd_classify(&a);
	}
	free(a.files);
	free(a.rules);
	free(a.lex);
	return rc;
}
