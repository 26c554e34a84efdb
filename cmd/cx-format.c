/* cx-format: write a cx stream as a table, CSV, JSON Lines or Markdown. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/format.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"

enum { OPT_BOM = 0x100, OPT_CRLF, OPT_EXCEL, OPT_NUMBERS, OPT_MAX_WIDTH };

static const cx_option options[] = {
	{ "to", 't', "FORMAT", "output format: table (default), tsv, csv, jsonl, markdown" },
	{ "fields", 'f', "LIST", "write only these fields, in this order" },
	{ "bom", OPT_BOM, NULL, "csv for Excel: a UTF-8 byte order mark, and no cell Excel would run as a formula" },
	{ "crlf", OPT_CRLF, NULL, "csv: end lines with CR LF" },
	{ "excel", OPT_EXCEL, NULL, "csv for Excel: --bom and --crlf" },
	{ "numbers", OPT_NUMBERS, NULL, "jsonl: write values that are JSON numbers as numbers" },
	{ "max-width", OPT_MAX_WIDTH, "N", "table, markdown: cut cells wider than N columns" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	const char *to;
	const char *fields;
	cx_format_opts fo;
	char **files;
	size_t nfiles;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	switch (key) {
	case CX_OPT_FILE:
		a->files[a->nfiles++] = (char *)arg;
		break;
	case 't': a->to = arg; break;
	case 'f': a->fields = arg; break;
	case OPT_BOM: a->fo.bom = a->fo.formula_guard = 1; break;
	case OPT_CRLF: a->fo.crlf = 1; break;
	case OPT_EXCEL: a->fo.bom = a->fo.formula_guard = a->fo.crlf = 1; break;
	case OPT_NUMBERS: a->fo.numbers = 1; break;
	case OPT_MAX_WIDTH:
		a->fo.max_width = (size_t)cx_opt_int("--max-width", arg, 2, 100000);
		break;
	}
}

static char *format_help(void)
{
	cx_buf b = CX_BUF_INIT;
	cx_buf_adds(&b, "Formats:\n");
	for (size_t i = 0; cx_format_kind_at(i); i++)
		cx_buf_addf(&b, "  %-10s%s\n", cx_format_kind_at(i)->name, cx_format_kind_at(i)->help);
	return b.p;
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	cx_command cmd = {
		.name = "cx-format",
		.synopsis = "[-t FORMAT] [OPTION]... [FILE]...",
		.summary = "Write a cx record stream as an aligned table, CSV, JSON Lines or Markdown.",
		.options = options,
		.more = format_help(),
	};
	struct args a = { .to = cx_format_kind_at(0)->name };
	a.files = cx_calloc((size_t)argc, sizeof *a.files);
	cx_parse_options(&cmd, argc, argv, handle, &a);

	cx_output *out = cx_output_open(cx_opts.output);
	cx_format *fmt = cx_format_new(a.to, out, &a.fo);
	if (!fmt)
		cx_usage_error("unknown format '%s' (one of: table, tsv, csv, jsonl, markdown)", a.to);

	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	cx_format_set_source(fmt, r);
	size_t nsel = r->nfields, *sel = NULL;
	char **names = r->names;
	if (a.fields) {
		sel = cx_reader_need_list(r, a.fields, &nsel);
		names = cx_calloc(nsel, sizeof *names);
		for (size_t i = 0; i < nsel; i++)
			names[i] = r->names[sel[i]];
	}
	cx_format_header(fmt, names, nsel);
	cx_slice *picked = sel ? cx_calloc(nsel, sizeof *picked) : NULL;
	int whole_lines = !sel && cx_format_takes_lines(fmt);
	if (whole_lines)
		cx_reader_split(r, 0);
	while (cx_reader_next(r)) {
		if (whole_lines) {
			cx_reader_check_escapes(r);
			cx_format_line(fmt, cx_reader_line(r));
			continue;
		}
		if (!sel) {
			cx_format_row(fmt, r->f, nsel);
			continue;
		}
		/* The fields left out are checked too: the input is one stream,
		 * valid or not, whatever part of it is asked for. */
		cx_reader_check_escapes(r);
		for (size_t i = 0; i < nsel; i++)
			picked[i] = r->f[sel[i]];
		cx_format_row(fmt, picked, nsel);
	}
	cx_format_end(fmt);
	cx_output_close(out);
	cx_reader_close(r);
	if (sel)
		free(names);
	free(sel);
	free(picked);
	free(a.files);
	free((char *)cmd.more);
	return CX_EXIT_OK;
}
