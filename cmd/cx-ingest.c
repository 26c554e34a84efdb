/* cx-ingest: CSV, TSV and JSON Lines exports in, one cx stream out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "ingest/ingest.h"
#include "core/keys.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/rows.h"
#include "io/stream.h"
#include "core/utf8.h"

enum {
	OPT_SOURCE = 0x100, OPT_FROM, OPT_ENCODING, OPT_SKIP, OPT_MAP, OPT_MAP_FILE, OPT_REQUIRE,
	OPT_DEDUPE, OPT_REJECTS, OPT_TIME_FIELDS, OPT_NO_TRIM, OPT_JSON_FIELDS,
};

static const cx_option options[] = {
	{ "from", OPT_FROM, "FORMAT",
	  "csv, tsv, jsonl (default: by extension), or chat: jddc, twcs, for the files that follow" },
	{ "source", OPT_SOURCE, "NAME", "tag the rows of the files that follow with source=NAME" },
	{ "encoding", OPT_ENCODING, "ENC", "the files that follow are in ENC (gbk, gb18030, utf-16, ...)" },
	{ "skip", OPT_SKIP, "N", "skip N lines before the header in the files that follow" },
	{ "fields", OPT_JSON_FIELDS, "LIST", "jsonl: the keys, in order, for the files that follow" },
	{ "map", 'm', "MAP", "rename columns: 'Date received=created_at,Complaint ID=id'" },
	{ "map-file", OPT_MAP_FILE, "FILE", "rename columns as FILE says (one 'from=to' per line)" },
	{ "require", 'r', "LIST", "refuse rows in which any of these fields is empty" },
	{ "dedupe", 'd', "FIELD", "keep the first row of each FIELD value, count the others" },
	{ "rejects", OPT_REJECTS, "FILE", "write refused rows there, with file, line and reason" },
	{ "time-fields", OPT_TIME_FIELDS, "LIST",
	  "normalise these to ISO 8601 (default: created_at,first_response_at,resolved_at)" },
	{ "no-trim", OPT_NO_TRIM, NULL, "keep blanks around values (default: trim them)" },
	{ "quiet", 'q', NULL, "no summary on standard error" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_ingest_conf conf;
	cx_ingest_input *inputs;
	size_t ninputs;
	/* settings that apply to the files named after them */
	const char *source, *encoding, *json_fields;
	int from_set;
	cx_from from;
	long skip;
	const char *dangling;	/* a per-file option given after the last file */
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_ingest_conf *c = &a->conf;
	switch (key) {
	case CX_OPT_FILE: {
		a->dangling = NULL;
		cx_ingest_input *in = &a->inputs[a->ninputs++];
		in->path = arg;
		in->source = a->source;
		in->encoding = a->encoding;
		in->skip = a->skip;
		in->json_fields = a->json_fields;
		if (a->from_set)
			in->from = a->from;
		else if (!strcmp(arg, "-") || cx_from_guess(arg, &in->from) < 0)
			cx_usage_error("cannot tell the format of '%s' from its name: use --from csv|tsv|jsonl",
				       arg);
		break;
	}
	case OPT_FROM:
		if (cx_from_parse(arg, &a->from) < 0)
			cx_usage_error("unknown input format '%s' (csv, tsv, jsonl, jddc or twcs)", arg);
		a->from_set = 1;
		a->dangling = "--from";
		break;
	case OPT_SOURCE: a->source = arg; a->dangling = "--source"; break;
	case OPT_ENCODING: a->encoding = arg; a->dangling = "--encoding"; break;
	case OPT_SKIP:
		a->skip = (long)cx_opt_int("--skip", arg, 0, 1000000);
		a->dangling = "--skip";
		break;
	case OPT_JSON_FIELDS: a->json_fields = arg; a->dangling = "--fields"; break;
	case 'm': cx_ingest_add_map(c, arg, "--map", 0); break;
	case OPT_MAP_FILE: cx_ingest_read_map_file(c, arg); break;
	case 'r': c->require = arg; break;
	case 'd': c->dedupe = arg; break;
	case OPT_REJECTS: c->rejects = arg; break;
	case OPT_TIME_FIELDS: c->time_fields = arg; break;
	case OPT_NO_TRIM: c->no_trim = 1; break;
	case 'q': c->quiet = 1; break;
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-ingest",
		.synopsis = "[OPTION]... [[--source NAME] [--from FORMAT] FILE]...",
		.summary = "Read CSV, TSV and JSON Lines exports, or chat transcripts, and write one cx record stream.",
		.options = options,
		.more = "Every input row is written, or refused with a reason (to --rejects, or\n"
			"reported on standard error, which makes the exit status 3).  The summary\n"
			"line counts read = written + rejected + duplicates.\n"
			"\n"
			"Chat transcripts become a turn stream, one record per turn:\n"
			"  conversation_id turn ts speaker customer_id text, and the profile's own\n"
			"  --from jddc  JD.com JDDC chat export (7 tab-separated fields, no header);\n"
			"               adds product transferred repeat_enquiry\n"
			"  --from twcs  Kaggle \"Customer Support on Twitter\" CSV, threads rebuilt\n"
			"               from in_response_to_tweet_id (held in memory until the end);\n"
			"               adds tweet_id author_id in_response_to\n",
		.uses_tz = 1,
	};
	struct args a = { .conf = { .time_fields = NULL } };
	a.inputs = cx_calloc((size_t)argc + 1, sizeof *a.inputs);
	cx_parse_options(&cmd, argc, argv, handle, &a);
	if (a.dangling && a.ninputs > 0)
		cx_usage_error("%s applies to the files after it, and none follows", a.dangling);
	if (a.ninputs == 0) {
		cx_ingest_input *in = &a.inputs[a.ninputs++];
		in->path = "-";
		in->source = a.source;
		in->encoding = a.encoding;
		in->skip = a.skip;
		in->json_fields = a.json_fields;
		if (!a.from_set)
			cx_usage_error("reading standard input: say its format with --from csv|tsv|jsonl");
		in->from = a.from;
	}
	int status = cx_ingest_run(&a.conf, a.inputs, a.ninputs, cx_opts.output);
	cx_ingest_conf_free(&a.conf);
	free(a.inputs);
	return status;
}
