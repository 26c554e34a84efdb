/* cx-metrics: complaint KPIs by period and group. */
#include <stdlib.h>
#include <string.h>

#include "io/canon.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "stats/metrics.h"
#include "core/num.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"

enum {
	OPT_TOTALS = 0x100, OPT_FILL, OPT_PRECISION, OPT_DETERIORATED, OPT_COUNT_FIELD, OPT_USE,
	OPT_SLA_FIRST, OPT_SLA_RESOLVE, OPT_NOW, OPT_PARTIAL, OPT_MERGE, OPT_REJECTS, OPT_LIST,
	OPT_MATURATION, OPT_SLA_FILE, OPT_PER, OPT_PER_FIELD, OPT_SCALE, OPT_REPEAT_WINDOW, OPT_CI, OPT_SKETCH, OPT_EXACT_DISTINCT,
	OPT_PAIN_WEIGHTS, OPT_SENTIMENT_FIELD,
};

static const cx_option options[] = {
	{ "period", 'p', "UNIT", "hour, day, week, month, quarter, year or all (default: month)" },
	{ "group", 'g', "LIST", "group by these fields (default: none, one row per period)" },
	{ "metrics", 'm', "LIST", "metrics to compute (default: complaints,deteriorated,deterioration_rate)" },
	{ "list", OPT_LIST, NULL, "list the metrics with their formulas and exit" },
	{ "time-field", 't', "FIELD", "bucket by FIELD (default: created_at)" },
	{ "totals", OPT_TOTALS, NULL, "add a row per period for all groups, with group values (all)" },
	{ "fill", OPT_FILL, NULL, "give every group every period between the first and the last" },
	{ "ci", OPT_CI, "LEVEL", "add NAME_lo, NAME_hi confidence intervals (LEVEL %, e.g. 95) to rates" },
	{ "precision", OPT_PRECISION, "N", "decimals of rates, means and percentiles (default: 4)" },
	{ "deteriorated", OPT_DETERIORATED, "LIST", "a complaint deteriorated if any of these flags is 1 (default: escalated)" },
	{ "count-field", OPT_COUNT_FIELD, "FIELD", "each row stands for FIELD complaints (pre-aggregated input)" },
	{ "use", 'u', "MAP", "read a canonical field from another one: 'csat=satisfaction,...'" },
	{ "per", OPT_PER, "FILE", "denominators (period, group fields, orders) for orders and complaint_rate" },
	{ "per-field", OPT_PER_FIELD, "FIELD", "the denominator column of --per (default: orders)" },
	{ "scale", OPT_SCALE, "N", "complaint_rate per N orders (default: 1000)" },
	{ "repeat-window", OPT_REPEAT_WINDOW, "DURATION", "repeat: a complaint within this time of the customer's previous one (default: 30d)" },
	{ "pain-weights", OPT_PAIN_WEIGHTS, "WEIGHTS", "pain_index weights: 'deterioration=3,sla=0' (defaults: --list)" },
	{ "sentiment-field", OPT_SENTIMENT_FIELD, "FIELD", "pain_index's negative sentiment from FIELD (default: sentiment, if present)" },
	{ "maturation", OPT_MATURATION, "DURATION", "add 'provisional': 1 while period end + DURATION is after --now" },
	{ "sla", OPT_SLA_FILE, "FILE", "SLA targets per value of a field: columns KEY, first_response, resolution" },
	{ "sla-first", OPT_SLA_FIRST, "DURATION", "first-response target for sla_met_rate (30m, 2h, 1d)" },
	{ "sla-resolve", OPT_SLA_RESOLVE, "DURATION", "resolution target for sla_met_rate" },
	{ "now", OPT_NOW, "TIME", "the time of the report (default: the latest time in the input)" },
	{ "sketch", OPT_SKETCH, NULL, "quantiles from a mergeable DDSketch (1% relative error) in bounded memory" },
	{ "exact-distinct", OPT_EXACT_DISTINCT, "N", "distinct counts exact up to N values per group, HyperLogLog past it (default: 1000000)" },
	{ "partial", OPT_PARTIAL, NULL, "write mergeable statistics instead of metrics" },
	{ "merge", OPT_MERGE, NULL, "read --partial outputs and finish them" },
	{ "rejects", OPT_REJECTS, "FILE", "set rows without a usable time aside in FILE (else they are an error)" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_metrics_conf c;
	const char *period;
	const char *now;
	int list;
	char **files;
	size_t nfiles;
};

static long long duration(const char *opt, const char *arg)
{
	long long v = cx_duration_parse(arg);
	if (v <= 0)
		cx_usage_error("%s: expected a duration such as 45m, 2h or 3d, not '%s'", opt, arg);
	return v;
}

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_metrics_conf *c = &a->c;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'p': a->period = arg; break;
	case 'g': c->group = arg; break;
	case 'm': c->metrics = arg; break;
	case 't': c->time_field = arg; break;
	case OPT_LIST: a->list = 1; break;
	case OPT_TOTALS: c->totals = 1; break;
	case OPT_FILL: c->fill = 1; break;
	case OPT_PRECISION: c->precision = (int)cx_opt_int("--precision", arg, 0, 12); break;
	case OPT_DETERIORATED: c->deteriorated = arg; break;
	case OPT_COUNT_FIELD: c->count_field = arg; break;
	case 'u': cx_canon_use(arg); break;
	case OPT_SLA_FIRST: c->sla_first = duration("--sla-first", arg); break;
	case OPT_SLA_RESOLVE: c->sla_resolve = duration("--sla-resolve", arg); break;
	case OPT_NOW: a->now = arg; break;
	case OPT_PARTIAL: c->partial = 1; break;
	case OPT_MERGE: c->merge = 1; break;
	case OPT_REJECTS: c->rejects = arg; break;
	case OPT_PER: c->per = arg; break;
	case OPT_SLA_FILE: c->sla_file = arg; break;
	case OPT_MATURATION: c->maturation = duration("--maturation", arg); break;
	case OPT_SKETCH: c->sketch = 1; break;
	case OPT_EXACT_DISTINCT:
		c->exact_distinct = (double)cx_opt_int("--exact-distinct", arg, 0, 1000000000);
		break;
	case OPT_CI: c->ci = (double)cx_opt_int("--ci", arg, 50, 99); break;
	case OPT_REPEAT_WINDOW: c->repeat_window = duration("--repeat-window", arg); break;
	case OPT_PER_FIELD: c->per_field = arg; break;
	case OPT_PAIN_WEIGHTS: c->pain_weights = arg; break;
	case OPT_SENTIMENT_FIELD: c->sentiment_field = arg; break;
	case OPT_SCALE: c->scale = (double)cx_opt_int("--scale", arg, 1, 1000000000); break;
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-metrics",
		.synopsis = "[-p UNIT] [-g FIELDS] [-m METRICS] [OPTION]... [FILE]...",
		.summary = "Complaint KPIs per period and group: volume, deterioration, response and\n"
			   "resolution times, SLA, reopen, FCR, CSAT, NPS, and any field's statistics.",
		.options = options,
		.more = "Rows are sorted by period, then by the group values (byte order).  A ratio\n"
			"whose denominator is 0 is left empty, the stream's missing value.\n",
		.uses_tz = 1,
	};
	struct args a = { .c = { .precision = 4, .scale = 1000, .repeat_window = 30 * 86400,
			      .exact_distinct = 1000000 } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);

	cx_output *out = cx_output_open(cx_opts.output);
	if (a.list) {
		cx_metrics_list(out);
		cx_output_close(out);
		free(a.files);
		return CX_EXIT_OK;
	}
	cx_metrics_conf *c = &a.c;
	const char *period = a.period ? a.period : "month";
	if (!strcmp(period, "all"))
		c->all_time = 1;
	else if (cx_unit_parse(period, &c->unit) < 0)
		cx_usage_error("unknown period '%s' (hour, day, week, month, quarter, year, all)", period);
	if (a.now) {
		if (cx_time_parse(a.now, strlen(a.now), &c->now) < 0)
			cx_usage_error("--now: not a time: '%s'", a.now);
		c->now_set = 1;
	}
	if (c->per && c->partial)
		cx_usage_error("--per applies at the end: give it to the last --merge, not to --partial");
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int status = cx_metrics_run(c, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	free(a.files);
	return status;
}
