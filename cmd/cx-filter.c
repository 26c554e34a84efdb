/* cx-filter: the records of a cx stream for which an expression on named
 * fields holds (man/cx-filter.1 has the language). */
#include <stdlib.h>

#include "core/err.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"
#include "query/filter.h"

static const cx_option options[] = {
	{ "invert", 'v', NULL, "the records for which the expression is false" },
	{ "count", 'c', NULL, "write only the number of records selected" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_filter_conf c;
	const char *expr;
	char **files;
	size_t nfiles;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	switch (key) {
	case CX_OPT_FILE:
		if (!a->expr)
			a->expr = arg;
		else
			a->files[a->nfiles++] = (char *)arg;
		break;
	case 'v': a->c.invert = 1; break;
	case 'c': a->c.count = 1; break;
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-filter",
		.synopsis = "[-v] [-c] EXPRESSION [FILE]...",
		.summary = "The records of a stream for which an expression on named fields holds, as read.",
		.options = options,
		.more = "EXPRESSION, e.g.  product == \"RF-101\" && severity >= 2 && text ~ \"漏水|退款\"\n"
			"  comparisons == != < <= > >=, regular expressions ~ !~, x in (a, b),\n"
			"  x in lo..hi, missing(x), present(x), && || ! and parentheses;\n"
			"  `any name` for field names that are not identifiers.\n"
			"Exit status 0 if a record was selected, 1 if none, 2 for a bad expression.\n",
		.uses_tz = 1,
	};
	struct args a = { .c = { 0 } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);
	if (!a.expr)
		cx_usage_error("an expression is required");

	cx_expr *e = cx_filter_compile(a.expr);
	cx_output *out = cx_output_open(cx_opts.output);
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int status = cx_filter_run(&a.c, e, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	cx_expr_free(e);
	free(a.files);
	return status;
}
