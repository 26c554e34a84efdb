/* cx-sort: a stable sort of the record stream by named keys, in bounded
 * memory (the engine is lib/order/sort.c). */
#include <stdlib.h>

#include "core/err.h"
#include "core/opt.h"
#include "io/output.h"
#include "io/stream.h"
#include "order/sort.h"

enum { OPT_BATCH = 0x100 };

static const cx_option options[] = {
	{ "key", 'k', "KEY", "FIELD[:MODS]: sort by FIELD; MODS n (numeric), t (time), desc; repeat for ties" },
	{ "unique", 'u', NULL, "write only the first record of each run of equal keys" },
	{ "buffer-size", 'S', "SIZE", "hold up to SIZE of records in memory, then spill runs (default: 256M)" },
	{ "temporary-directory", 'T', "DIR", "write the runs in DIR (default: $TMPDIR, else /tmp)" },
	{ "batch-size", OPT_BATCH, "N", "merge at most N runs at once, N >= 2 (default: 16)" },
	{ NULL, 0, NULL, NULL },
};

struct args {
	cx_sort_conf c;
	char **files;
	size_t nfiles;
};

static void handle(int key, const char *arg, void *ctx)
{
	struct args *a = ctx;
	switch (key) {
	case CX_OPT_FILE: a->files[a->nfiles++] = (char *)arg; break;
	case 'k': {
		cx_buf err = CX_BUF_INIT;
		if (cx_sort_key_parse(arg, &a->c.keys[a->c.nkeys], &err) < 0)
			cx_usage_error("%s", err.p);
		a->c.nkeys++;
		break;
	}
	case 'u': a->c.unique = 1; break;
	case 'S': a->c.mem = (size_t)cx_opt_size("-S/--buffer-size", arg); break;
	case 'T': a->c.tmpdir = arg; break;
	case OPT_BATCH: a->c.fanin = (size_t)cx_opt_int("--batch-size", arg, 2, 1024); break;
	}
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	static const cx_command cmd = {
		.name = "cx-sort",
		.synopsis = "-k FIELD[:MODS] [-k ...] [-S SIZE] [-T DIR] [OPTION]... [FILE]...",
		.summary = "Sort the records by named keys, stably, in bounded memory.",
		.options = options,
		.more = "Keys compare the unescaped values byte by byte (LC_ALL=C sort's order),\n"
			"numerically (n: non-numbers last) or as instants (t, times in --tz:\n"
			"unparseable ones last); desc reverses a key.  Equal keys keep the input order.\n",
		.uses_tz = 1,
	};
	struct args a = { .c = { .mem = 256u << 20, .fanin = 16 } };
	a.files = cx_calloc((size_t)argc + 1, sizeof *a.files);
	a.c.keys = cx_calloc((size_t)argc + 1, sizeof *a.c.keys);
	cx_parse_options(&cmd, argc, argv, handle, &a);
	if (!a.c.nkeys)
		cx_usage_error("-k FIELD is required: the key to sort by");

	cx_output *out = cx_output_open(cx_opts.output);
	cx_reader *r = cx_reader_open(a.files, a.nfiles);
	int status = cx_sort_run(&a.c, r, out);
	cx_output_close(out);
	cx_reader_close(r);
	for (size_t i = 0; i < a.c.nkeys; i++)
		free(a.c.keys[i].field);
	free(a.c.keys);
	free(a.files);
	return status;
}
