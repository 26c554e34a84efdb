/*
 * filter.c: the run of cx-filter (filter.h): compile the expression or
 * report where it is wrong, then one pass over the records, each written
 * as its raw line when selected.  Holds no record past the next read; the
 * count is the only state.
 */
#include "query/filter.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

cx_expr *cx_filter_compile(const char *text)
{
	cx_expr_error err;
	size_t n = strlen(text);
	cx_expr *e = cx_expr_parse(text, n, &err);
	if (!e) {
		cx_buf b = CX_BUF_INIT;
		cx_expr_error_format(&b, text, n, &err);
		cx_die(CX_EXIT_USAGE, "%s", b.p);
	}
	return e;
}

int cx_filter_run(const cx_filter_conf *c, cx_expr *e, cx_reader *r, cx_output *out)
{
	cx_reader_split(r, cx_expr_bind(e, r));
	if (!c->count)
		cx_out_header(out, r->names, r->nfields);
	unsigned long long selected = 0;
	int want = !c->invert;
	while (cx_reader_next(r)) {
		cx_reader_check_escapes(r);
		if (cx_expr_eval(e, r) != want)
			continue;
		selected++;
		if (!c->count) {
			cx_slice line = cx_reader_line(r);
			cx_out_raw(out, line.p, line.n);
			cx_out_eol(out);
		}
	}
	if (c->count) {
		char num[32];
		int k = snprintf(num, sizeof num, "%llu\n", selected);
		cx_out_raw(out, num, (size_t)k);
	}
	return selected ? CX_EXIT_OK : CX_EXIT_FOUND;
}
