/* cx-classify: category, department, severity and sentiment from complaint text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/opt.h"
#include "io/canon.h"
#include "io/output.h"
#include "io/stream.h"
#include "text/annotate.h"
#include "text/bayes.h"
#include "text/classify.h"
#include "text/sentiment.h"
#include "text/textsrc.h"

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

/* ---- train and eval (lib/text/bayes) */

static int cmd_train(struct args *a)
{
	if (!a->label)
		cx_usage_error("train: -l LABELFIELD is required");
	if (!cx_opts.output)
		cx_usage_error("train: -o MODEL is required");
	cx_reader *r = cx_reader_open(a->files, a->nfiles);
	size_t li = cx_reader_need(r, a->label);
	cx_textsrc t;
	cx_textsrc_open(&t, r, a->fields);
	cx_buf lb = CX_BUF_INIT;
	cx_bayes *m = cx_bayes_new();
	while (cx_reader_next(r)) {
		cx_slice l = label_get(r, li, &lb);
		if (!l.n)
			continue;	/* unlabelled */
		cx_slice s = cx_textsrc_get(&t, r);
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
	cx_textsrc_close(&t);
	cx_reader_close(r);
	return CX_EXIT_OK;
}

static int cmd_eval(struct args *a)
{
	if (!a->label)
		cx_usage_error("eval: -l LABELFIELD is required");
	cx_reader *r = cx_reader_open(a->files, a->nfiles);
	size_t li = cx_reader_need(r, a->label);
	cx_textsrc t;
	cx_textsrc_open(&t, r, a->fields);
	cx_buf lb = CX_BUF_INIT;
	cx_bayes_eval *ev = cx_bayes_eval_new();
	size_t labelled = 0;
	while (cx_reader_next(r)) {
		cx_slice l = label_get(r, li, &lb);
		if (!l.n)
			continue;
		cx_slice s = cx_textsrc_get(&t, r);
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
	cx_textsrc_close(&t);
	cx_reader_close(r);
	return CX_EXIT_OK;
}

/* ---- classify */

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
	cx_annotate an = {
		.rules = &rs, .lexicon = lx, .model = model, .model_path = a->model,
		.fields = a->fields, .unmatched = a->unmatched,
		.multi = a->multi, .explain = a->explain, .override = a->override,
	};
	cx_annotate_run(&an, a->files, a->nfiles, out);
	cx_output_close(out);
	cx_crules_free(&rs);
	cx_lex_free(lx);
	if (model)
		cx_bayes_free(model);
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
