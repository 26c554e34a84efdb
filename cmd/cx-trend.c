/* cx-trend: period over period, year over year, runs, charts, tests and
 * forecasts over a series per group. */
#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"
#include "stats/trend.h"

enum {
	OPT_LIST = 0x100, OPT_COUNTS, OPT_DENOMINATOR, OPT_MA, OPT_EWMA, OPT_SLOPE, OPT_BASELINE,
	OPT_ALTERNATIVE, OPT_HOLT, OPT_PRECISION,
};

static const cx_option options[] = {
	{ "values", 'v', "LIST", "the value columns to follow (required)" },
	{ "group", 'g', "LIST", "one series per distinct value of these fields (default: one series)" },
	{ "period-field", 'p', "FIELD", "the period column (default: period)" },
	{ "measures", 'm', "LIST", "measure groups (default: prev,pop,yoy,run,chart,test)" },
	{ "list", OPT_LIST, NULL, "list the measures with their formulas and exit" },
	{ "counts", OPT_COUNTS, "LIST", "these value columns are counts, the others rates (default: guessed)" },
	{ "denominator", OPT_DENOMINATOR, "FIELD", "exposures: u/p charts and tests for rates, exposure for counts" },
	{ "ma", OPT_MA, "K", "moving average of the last K periods (measure ma)" },
	{ "ewma", OPT_EWMA, "A", "exponentially weighted moving average, 0 < A <= 1 (measure ewma)" },
	{ "slope", OPT_SLOPE, "K", "least-squares slope over the last K periods, K >= 3 (measure slope)" },
	{ "baseline", OPT_BASELINE, "K", "control limits from the K periods before (default: 8)" },
	{ "alternative", OPT_ALTERNATIVE, "HYPOTHESIS", "two-sided, greater or less: the tests' alternative (default: two-sided)" },
	{ "holt", OPT_HOLT, "SMOOTHING", "A,B: the forecast's smoothing of level and trend (default: 0.5,0.3)" },
	{ "precision", OPT_PRECISION, "N", "decimals of computed values (default: 4)" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_trend_conf c;
	int list;
	char **files;
	size_t nfiles;
};

static double fraction(const char *opt, const char *s, size_t n, int zero_ok)
{
	double v;
	if (cx_num_parse(s, n, &v) < 0 || v > 1 || v < 0 || (!zero_ok && v == 0))
		cx_usage_error("%s: expected a number in %s0, 1], not '%.*s'", opt, zero_ok ? "[" : "(",
			       (int)n, s);
	return v;
}

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_trend_conf *c = &a->c;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'v': c->values = arg; break;
	case 'g': c->group = arg; break;
	case 'p': c->period_field = arg; break;
	case 'm': c->measures = arg; break;
	case OPT_LIST: a->list = 1; break;
	case OPT_COUNTS: c->counts = arg; break;
	case OPT_DENOMINATOR: c->denominator = arg; break;
	case OPT_MA: c->ma = (int)cx_opt_int("--ma", arg, 1, 100000); break;
	case OPT_EWMA:
		c->ewma = fraction("--ewma", arg, strlen(arg), 0);
		c->has_ewma = 1;
		break;
	case OPT_SLOPE: c->slope = (int)cx_opt_int("--slope", arg, 3, 100000); break;
	case OPT_BASELINE: c->baseline = (int)cx_opt_int("--baseline", arg, 2, 100000); break;
	case OPT_PRECISION: c->precision = (int)cx_opt_int("--precision", arg, 0, 12); break;
	case OPT_ALTERNATIVE:
		if (!strcmp(arg, "two-sided"))
			c->alt = CX_ALT_TWO_SIDED;
		else if (!strcmp(arg, "greater"))
			c->alt = CX_ALT_GREATER;
		else if (!strcmp(arg, "less"))
			c->alt = CX_ALT_LESS;
		else
			cx_usage_error("--alternative: two-sided, greater or less, not '%s'", arg);
		break;
	case OPT_HOLT: {
		const char *comma = strchr(arg, ',');
		if (!comma)
			cx_usage_error("--holt: expected A,B such as 0.5,0.3, not '%s'", arg);
		c->holt_a = fraction("--holt", arg, (size_t)(comma - arg), 0);
		c->holt_b = fraction("--holt", comma + 1, strlen(comma + 1), 1);
		break;
	}
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	/* GSL's default handler aborts on a domain error; we check results. */
	gsl_set_error_handler_off();
	static const cx_command cmd = {
		.name = "cx-trend",
		.synopsis = "-v LIST [-g FIELDS] [-m MEASURES] [OPTION]... [FILE]...",
		.summary = "Trends of a series per group: period over period, year over year, runs,\n"
			   "moving averages, slopes, control limits, significance tests and forecasts.",
		.options = options,
		.more = "Every input field is written, then V_MEASURE columns for each value column\n"
			"V; rows by group (byte order), then period, with missing periods filled.\n",
	};
	struct args a = { .c = { .baseline = 8, .holt_a = 0.5, .holt_b = 0.3, .hw_gamma = 0.3,
			      .precision = 4 } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);

	cx_output *out = cx_output_open(cx_opts.output);
	if (a.list) {
		cx_trend_list(out);
		cx_output_close(out);
		free(a.files);
		return CX_EXIT_OK;
	}
	if (!a.c.values)
		cx_usage_error("-v LIST is required: the value columns");
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int status = cx_trend_run(&a.c, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	free(a.files);
	return status;
}
