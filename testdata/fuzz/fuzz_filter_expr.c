/*
 * fuzz_filter_expr: libFuzzer target for the filter-expression compiler
 * (lib/query/expr.c) of cx-filter.
 *
 * Besides "no crash, no sanitizer report", it checks the compiler's
 * promises: a failed parse gives a message and an offset within the input,
 * and the message formats (line, column, caret) for any input; a parsed
 * expression prints to a text that parses to the same tree, so prints the
 * same again; and it evaluates on two records, one where every field
 * holds a timestamp and one where every field is empty (so that time
 * comparisons meet no bad data and nothing dies).  The zone is
 * America/New_York, for its DST gaps in time literals.
 *
 *   scripts/fuzz filter_expr
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/cxtime.h"
#include "core/err.h"
#include "io/stream.h"
#include "query/expr_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_filter_expr: %s for input \"%.*s\"\n", what, (int)size,
		(const char *)data);
	abort();
}

/* A stream whose header is e's field names (escaped) and two records. */
static void evaluate(cx_expr *e)
{
	static int fd = -1;
	static char path[32];
	if (fd < 0) {
		fd = memfd_create("cx-fuzz-expr", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/dev/fd/%d", fd);
	}
	if (e->nslots == 0)
		return;
	cx_buf b = CX_BUF_INIT;
	/* The reader drops one BOM at the start of its input: one of ours
	 * keeps a first field name that itself begins with U+FEFF. */
	cx_buf_adds(&b, "\xEF\xBB\xBF");
	for (size_t i = 0; i < e->nslots; i++) {
		if (i)
			cx_buf_addc(&b, '\t');
		for (const char *p = e->slots[i].name; *p; p++) {
			switch (*p) {
			case '\t': cx_buf_adds(&b, "\\t"); break;
			case '\n': cx_buf_adds(&b, "\\n"); break;
			case '\r': cx_buf_adds(&b, "\\r"); break;
			case '\\': cx_buf_adds(&b, "\\\\"); break;
			default: cx_buf_addc(&b, *p);
			}
		}
	}
	cx_buf_addc(&b, '\n');
	for (size_t i = 0; i < e->nslots; i++)
		cx_buf_adds(&b, i ? "\t2024-03-10T02:30:00-05:00" : "2024-03-10T02:30:00-05:00");
	cx_buf_addc(&b, '\n');
	for (size_t i = 1; i < e->nslots; i++)
		cx_buf_addc(&b, '\t');
	cx_buf_addc(&b, '\n');
	if (ftruncate(fd, 0) != 0 || pwrite(fd, b.p, b.len, 0) != (ssize_t)b.len)
		abort();
	cx_buf_free(&b);
	char *paths[] = { path };
	cx_reader *r = cx_reader_open(paths, 1);
	cx_reader_split(r, cx_expr_bind(e, r));
	while (cx_reader_next(r))
		(void)cx_expr_eval(e, r);
	cx_reader_close(r);
}

/* Evaluation on these two records must not die; should it, abort, so
 * that libFuzzer writes the input out (cx_die's _exit would not). */
static void die_is_a_finding(void)
{
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		cx_atdie(die_is_a_finding);
		if (cx_tz_set("America/New_York", NULL) != 0)
			abort();
		ready = 1;
	}
	const char *src = (const char *)data;
	cx_expr_error err;
	cx_expr *e = cx_expr_parse(src, size, &err);
	cx_buf b = CX_BUF_INIT, again = CX_BUF_INIT;
	if (!e) {
		if (!err.msg[0] || err.off > size)
			fail("no message or an offset past the end", data, size);
		cx_expr_error_format(&b, src, size, &err);
		if (strncmp(b.p, "expression:", 11) != 0)
			fail("a message without 'expression:'", data, size);
		cx_buf_free(&b);
		return 0;
	}
	cx_expr_print(e, &b);
	cx_expr *e2 = cx_expr_parse(b.p, b.len, &err);
	if (!e2) {
		fprintf(stderr, "printed: %s\nerror: %s\n", b.p, err.msg);
		fail("the printed expression does not parse", data, size);
	}
	cx_expr_print(e2, &again);
	if (strcmp(b.p, again.p) != 0) {
		fprintf(stderr, "printed: %s\nreprinted: %s\n", b.p, again.p);
		fail("the printed expression prints differently", data, size);
	}
	if (e2->nslots != e->nslots || e2->n != e->n)
		fail("the printed expression has another tree", data, size);
	evaluate(e);
	cx_expr_free(e2);
	cx_expr_free(e);
	cx_buf_free(&b);
	cx_buf_free(&again);
	return 0;
}
