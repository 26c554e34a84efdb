/* cx-top: Pareto and top-N of the groups of a cx stream, within parent
 * groups: value, share, cumulative share, rank and the "vital few". */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"
#include "stats/top.h"

enum { OPT_PARETO = 0x100, OPT_OTHERS };

static const cx_option options[] = {
	{ "group", 'g', "FIELDS", "rank the groups of these fields (required)" },
	{ "value", 'v', "FIELD", "sum this field per group (default: count records, as complaints)" },
	{ "parent", 'p', "FIELDS", "rank within each group of these fields (top products per region)" },
	{ "top", 'n', "N", "keep the first N groups of each parent (default 0: all)" },
	{ "pareto", OPT_PARETO, "SHARE", "vital: the groups up to a cum_share of SHARE, 0 < SHARE <= 1 (default 0.8)" },
	{ "others", OPT_OTHERS, NULL, "with -n, a row (other) per parent for the groups left out" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_top_conf c;
	char **files;
	size_t nfiles;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	cx_top_conf *c = &a->c;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'g': c->group = arg; break;
	case 'v': c->value = arg; break;
	case 'p': c->parent = arg; break;
	case 'n': c->n = (unsigned long long)cx_opt_int("-n", arg, 0, 1000000000000LL); break;
	case OPT_OTHERS: c->others = 1; break;
	case OPT_PARETO: {
		double v;
		if (cx_num_parse(arg, strlen(arg), &v) < 0 || v <= 0 || v > 1)
			cx_usage_error("--pareto: expected a share in (0, 1], such as 0.8, not '%s'", arg);
		c->pareto = v;
		break;
	}
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-top",
		.synopsis = "-g FIELDS [-v FIELD] [-p FIELDS] [-n N] [--pareto SHARE] [--others] [FILE]...",
		.summary = "Pareto and top-N: each group's value, share of its parent's total, cumulative\n"
			   "share, rank, and whether it is one of the vital few.",
		.options = options,
		.more = "Columns: the -p fields, the -g fields, the value (the -v field, or complaints),\n"
			"share, cum_share, rank, vital.  Rows by parent (byte order), then value\n"
			"descending, then group (byte order).  Values must be numbers of 0 or more;\n"
			"empty values are not counted (a warning says how many).\n",
	};
	struct args a = { .c = { .pareto = 0.8 } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);
	if (!a.c.group)
		cx_usage_error("-g FIELDS is required: the groups to rank");
	cx_top_check(&a.c);

	cx_output *out = cx_output_open(cx_opts.output);
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int status = cx_top_run(&a.c, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	free(a.files);
	return status;
}
