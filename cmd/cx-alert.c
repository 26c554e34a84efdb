/* cx-alert: evaluate alert rules over cx-trend output or complaint records. */
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "core/opt.h"
#include "io/output.h"
#include "alert/rules.h"
#include "io/stream.h"

enum {
	OPT_RULES = 'r', OPT_STATE = 's', OPT_ALL = 'a',
	OPT_STRICT = 0x100, OPT_RENDER, OPT_MAIL_FROM, OPT_MAIL_TO, OPT_SUBJECT, OPT_NOW, OPT_STREAM,
	OPT_LIST, OPT_CHECK,
};

static const cx_option options[] = {
	{ "rules", 'r', "FILE", "read rules from FILE (repeatable; see cx-alert(5))" },
	{ "state", 's', "FILE", "remember open incidents in FILE: alert once per incident, report resolutions" },
	{ "all", 'a', NULL, "with --state, print ongoing incidents too" },
	{ "strict", OPT_STRICT, NULL, "a rule whose fields the input lacks is an error, not skipped" },
	{ "render", OPT_RENDER, "FORMAT", "tsv (default), wecom, dingtalk, feishu, slack (JSON per line) or email" },
	{ "mail-from", OPT_MAIL_FROM, "ADDRESS", "From: of --render email" },
	{ "mail-to", OPT_MAIL_TO, "ADDRESS", "To: of --render email (required with it)" },
	{ "subject", OPT_SUBJECT, "TEXT", "Subject: of --render email (default: the first alert's message)" },
	{ "now", OPT_NOW, "TIME", "the time sla rules measure to (default: the latest time in the input)" },
	{ "stream", OPT_STREAM, NULL, "write each alert as soon as its record arrives (tail -f)" },
	{ "check", OPT_CHECK, NULL, "parse the rules files, report errors, and exit" },
	{ "list", OPT_LIST, NULL, "list the rule kinds and options and exit" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_alert_conf c;
	cx_rules rules;
	int nrules;
	const char *now;
	int list, check;
	int rules_stdin;	/* a rules file was '-' */
	char **files;
	size_t nfiles;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_alert_conf *c = &a->c;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'r':
		/* A second read of standard input would find it empty. */
		if (a->rules_stdin && !strcmp(arg, "-"))
			cx_usage_error("standard input can be read only once: -r - is given twice");
		cx_rules_load(&a->rules, arg);
		a->nrules++;
		a->rules_stdin |= !strcmp(arg, "-");
		break;
	case 's':
		/* The state is read, then replaced by renaming a file over it:
		 * standard output (cx_output_open's "-") or no name cannot be. */
		if (!*arg || !strcmp(arg, "-"))
			cx_usage_error("--state: expected a file name, not '%s'", arg);
		c->state = arg;
		break;
	case 'a': c->all = 1; break;
	case OPT_STRICT: c->strict = 1; break;
	case OPT_RENDER:
		if (cx_render_parse(arg, &c->render) < 0)
			cx_usage_error("--render: unknown format '%s' (%s)", arg, cx_render_names());
		break;
	case OPT_MAIL_FROM: c->mail_from = arg; break;
	case OPT_MAIL_TO: c->mail_to = arg; break;
	case OPT_SUBJECT: c->subject = arg; break;
	case OPT_NOW: a->now = arg; break;
	case OPT_STREAM: c->stream = 1; break;
	case OPT_CHECK: a->check = 1; break;
	case OPT_LIST: a->list = 1; break;
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-alert",
		.synopsis = "--rules FILE [OPTION]... [FILE]...",
		.summary = "Evaluate alert rules over cx-trend output (trend rules) or complaint records\n"
			   "(record, window, sla, text rules); write one alert per firing.",
		.options = options,
		.more = "Exit status: 0 when nothing new fired, 1 when an alert fired (so\n"
			"'cx-alert ... || mail' works), 2 for a bad rules file, 3 for bad data.\n",
		.uses_tz = 1,
	};
	struct args a = { .rules = CX_RULES_INIT };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);
	cx_alert_conf *c = &a.c;

	if (a.list) {
		cx_output *out = cx_output_open(cx_opts.output);
		cx_buf b = CX_BUF_INIT;
		cx_rules_list(&b);
		cx_out_raw(out, b.p, b.len);
		cx_output_close(out);
		cx_buf_free(&b);
		free(a.files);
		cx_rules_free(&a.rules);
		return CX_EXIT_OK;
	}
	/* Read by the rules, standard input would look empty to the input
	 * ("empty input", status 3), which blames the data. */
	if (a.rules_stdin && !a.check) {
		int stdin_input = a.nfiles == 0;
		for (size_t i = 0; i < a.nfiles; i++)
			stdin_input |= !strcmp(a.files[i], "-");
		if (stdin_input)
			cx_usage_error("standard input cannot hold both the rules (-r -) and the input: name the input file");
	}
	if (a.check && !a.nrules)
		cx_usage_error("--check: no rules: give --rules FILE");
	if (a.check) {
		cx_rules_free(&a.rules);
		free(a.files);
		return CX_EXIT_OK;
	}
	if (c->render == CX_RENDER_EMAIL && !c->mail_to)
		cx_usage_error("--render email needs --mail-to ADDRESS");
	if (c->render == CX_RENDER_EMAIL && c->stream)
		cx_usage_error("--render email writes one message at the end: not with --stream");
	if (c->state && c->stream)
		cx_usage_error("--state is written at the end of the input: not with --stream");
	if (a.now) {
		if (cx_time_parse(a.now, strlen(a.now), &c->now) < 0)
			cx_usage_error("--now: not a time: '%s'", a.now);
		c->now_set = 1;
	}
	/* Without rules the input must be an alert stream, to be rendered:
	 * told from its header, so the reader comes first. */
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int relay = !a.nrules && cx_alert_is_stream(r);
	if (!a.nrules && !relay)
		cx_usage_error("no rules: give --rules FILE (without rules the input must be an alert stream)");
	if (relay && c->state)
		cx_usage_error("--state needs rules: an alert stream is rendered as it comes");
	cx_output *out = cx_output_open(cx_opts.output);
	int status = relay ? cx_alert_relay(c, r, out) : cx_alert_run(c, &a.rules, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	cx_rules_free(&a.rules);
	free(a.files);
	return status;
}
