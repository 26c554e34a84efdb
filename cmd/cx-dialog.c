/* cx-dialog: what happens inside customer conversations, in a batch or live. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"
#include "core/opt.h"
#include "dialog/dialog.h"
#include "io/canon.h"
#include "io/output.h"
#include "io/stream.h"
#include "text/classify.h"
#include "text/sentiment.h"

enum {
	OPT_AGENT = 0x100, OPT_CUSTOMER, OPT_SIMILAR, OPT_MIN_CHARS, OPT_EXCLUDE, OPT_NO_EXCLUDES,
	OPT_PRINT_EXCLUDES, OPT_PRINT_RULES, OPT_ESCALATION, OPT_LEXICON, OPT_NO_SENTIMENT,
	OPT_NEGATIVE, OPT_IDLE, OPT_END, OPT_CONTIGUOUS, OPT_STREAM, OPT_ALERT_REPEAT,
	OPT_ALERT_NEGATIVE, OPT_REJECTS,
};

static const cx_option options[] = {
	{ "use", 'u', "MAP", "read a canonical field from another one: 'conversation_id=session'" },
	{ "fields", 'f', "LIST", "the text fields, joined by newlines (default: text)" },
	{ "keep", 'K', "LIST", "copy these fields from each conversation's first turn" },
	{ "agent-values", OPT_AGENT, "LIST", "speaker values of the agent (default: agent)" },
	{ "customer-values", OPT_CUSTOMER, "LIST", "speaker values of the customer (default: customer)" },
	{ "similar", OPT_SIMILAR, "X", "replies at least this similar are the same, 0 < X <= 1 (default: 0.8)" },
	{ "min-chars", OPT_MIN_CHARS, "N", "replies shorter than N characters are not compared (default: 4)" },
	{ "exclude", OPT_EXCLUDE, "FILE", "add the replies of FILE (one a line) to those never counted" },
	{ "no-default-excludes", OPT_NO_EXCLUDES, NULL, "use only the --exclude files" },
	{ "rules", 'r', "FILE", "dissatisfied and handover rules of FILE (repeatable) instead of the default" },
	{ "escalation-rules", OPT_ESCALATION, "FILE", "escalation rules from FILE, cx-classify's grammar (default: its own)" },
	{ "lexicon", OPT_LEXICON, "FILE", "add a sentiment lexicon in cx format (repeatable)" },
	{ "no-sentiment", OPT_NO_SENTIMENT, NULL, "only the rules say a customer is dissatisfied" },
	{ "negative", OPT_NEGATIVE, "SCORE", "a customer turn whose sentiment is at or below SCORE is dissatisfied too" },
	{ "idle", OPT_IDLE, "DURATION", "a conversation closes after this long without a turn: 30m" },
	{ "end", OPT_END, "REGEX", "a turn whose text matches closes its conversation" },
	{ "contiguous", OPT_CONTIGUOUS, NULL, "the input holds each conversation in one block" },
	{ "stream", OPT_STREAM, NULL, "write each row and alert at once, for tail -f" },
	{ "alert-repeat", OPT_ALERT_REPEAT, "N", "alert when the agent says the same reply N times" },
	{ "alert-negative", OPT_ALERT_NEGATIVE, "N", "alert when the customer is dissatisfied N turns in a row" },
	{ "rejects", OPT_REJECTS, "FILE", "write refused turns to FILE with their reason" },
	{ "quiet", 'q', NULL, "no summary line on standard error" },
	{ "print-default-rules", OPT_PRINT_RULES, NULL, "write the built-in dissatisfied and handover rules and exit" },
	{ "print-default-excludes", OPT_PRINT_EXCLUDES, NULL, "write the built-in excluded replies and exit" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_dialog_conf c;
	char **files, **rules, **lexicons, **excl_files;
	size_t nfiles, nrules, nlexicons, nexcl_files;
	const char *escalation;
	int no_excludes, no_sentiment, print_rules, print_excludes;
};

static double score(const char *opt, const char *arg, double lo, int lo_open, double hi)
{
	double v;
	if (cx_num_parse(arg, strlen(arg), &v) < 0 || v > hi || v < lo || (lo_open && v == lo))
		cx_usage_error("%s: expected a number in %s%g, %g], not '%s'", opt, lo_open ? "(" : "[", lo,
			       hi, arg);
	return v;
}

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_dialog_conf *c = &a->c;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'u': cx_canon_use(arg); break;
	case 'f': c->text_fields = arg; break;
	case 'K': c->keep = arg; break;
	case OPT_AGENT: c->agent_values = arg; break;
	case OPT_CUSTOMER: c->customer_values = arg; break;
	case OPT_SIMILAR: c->similar = score("--similar", arg, 0, 1, 1); break;
	case OPT_MIN_CHARS: c->min_chars = (int)cx_opt_int("--min-chars", arg, 1, 10000); break;
	case OPT_EXCLUDE: a->excl_files[a->nexcl_files++] = (char *)arg; break;
	case OPT_NO_EXCLUDES: a->no_excludes = 1; break;
	case 'r': a->rules[a->nrules++] = (char *)arg; break;
	case OPT_ESCALATION: a->escalation = arg; break;
	case OPT_LEXICON: a->lexicons[a->nlexicons++] = (char *)arg; break;
	case OPT_NO_SENTIMENT: a->no_sentiment = 1; break;
	case OPT_NEGATIVE:
		c->negative = score("--negative", arg, -1, 0, 1);
		c->use_score = 1;
		break;
	case OPT_IDLE:
		if ((c->idle = cx_duration_parse(arg)) <= 0)
			cx_usage_error("--idle: expected a duration such as 30m, 2h or 90s, not '%s'", arg);
		break;
	case OPT_END: c->end = arg; break;
	case OPT_CONTIGUOUS: c->contiguous = 1; break;
	case OPT_STREAM: c->stream = 1; break;
	case OPT_ALERT_REPEAT: c->alert_repeat = (int)cx_opt_int("--alert-repeat", arg, 2, 1000000); break;
	case OPT_ALERT_NEGATIVE:
		c->alert_negative = (int)cx_opt_int("--alert-negative", arg, 1, 1000000);
		break;
	case OPT_REJECTS: c->rejects = arg; break;
	case 'q': c->quiet = 1; break;
	case OPT_PRINT_RULES: a->print_rules = 1; break;
	case OPT_PRINT_EXCLUDES: a->print_excludes = 1; break;
	}
}

static void free_args(struct args *a)
{
	free(a->files);
	free(a->rules);
	free(a->lexicons);
	free(a->excl_files);
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-dialog",
		.synopsis = "[-u MAP] [--agent-values LIST] [--alert-repeat N] [--alert-negative N] [OPTION]... [FILE]...",
		.summary = "One row per conversation of a turn stream: the agent's repeated replies, the\n"
			   "customer's runs of dissatisfied turns, escalation threats, first reply times;\n"
			   "or, with --alert-*, an alert at the turn a threshold is crossed.",
		.options = options,
		.more = "Input fields: conversation_id, speaker, text, and turn or ts if present (man 7 cx).\n"
			"Rows are written as conversations close.  Exit status 1: an alert was written.\n",
		.uses_tz = 1,
	};
	struct args a = { .c = { .similar = 0.8, .min_chars = 4,
				 .agent_values = "agent", .customer_values = "customer" } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	a.rules = cx_calloc((size_t)argc + 1, sizeof *a.rules);
	a.lexicons = cx_calloc((size_t)argc + 1, sizeof *a.lexicons);
	a.excl_files = cx_calloc((size_t)argc + 1, sizeof *a.excl_files);
	cx_parse_options(&cmd, argc, argv, handle, &a);

	cx_output *out = cx_output_open(cx_opts.output);
	if (a.print_rules || a.print_excludes) {
		cx_out_s(out, a.print_rules ? cx_dialog_default_rules : cx_dialog_default_excludes);
		cx_output_close(out);
		free_args(&a);
		return CX_EXIT_OK;
	}
	if (a.no_sentiment && a.nlexicons)
		cx_usage_error("--lexicon and --no-sentiment: choose one");
	cx_crules cust = CX_CRULES_INIT, agent = CX_CRULES_INIT;
	cx_dialog_rules(&cust, &agent, a.rules, a.nrules, a.escalation);
	a.c.customer_rules = &cust;
	a.c.agent_rules = &agent;
	cx_lexicon *lx = NULL;
	if (!a.no_sentiment) {
		lx = cx_lex_new();
		cx_buf err = CX_BUF_INIT;
		if (cx_lex_parse(lx, cx_sentiment_seed_lexicon, strlen(cx_sentiment_seed_lexicon),
				 "(seed lexicon)", CX_LEX_CX, 0, &err) < 0)
			cx_die(CX_EXIT_USAGE, "%s", err.p);
		cx_buf_free(&err);
		for (size_t i = 0; i < a.nlexicons; i++)
			cx_lex_load(lx, a.lexicons[i], CX_LEX_CX);
	}
	a.c.lexicon = lx;
	cx_buf excl_text = CX_BUF_INIT;
	char **excl = cx_dialog_excludes(!a.no_excludes, a.excl_files, a.nexcl_files, &excl_text,
					 &a.c.nexcludes);
	a.c.excludes = (const char *const *)excl;

	int rc = cx_dialog_run(&a.c, a.files, a.nfiles, out);
	cx_output_close(out);
	cx_crules_free(&cust);
	cx_crules_free(&agent);
	cx_lex_free(lx);
	free(excl);
	cx_buf_free(&excl_text);
	free_args(&a);
	return rc;
}
