#include "text/textsrc.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "io/canon.h"

void cx_textsrc_open(cx_textsrc *t, const cx_reader *r, const char *fields)
{
	memset(t, 0, sizeof *t);
	t->idx = cx_reader_need_list(r, fields ? fields : cx_canon("text"), &t->n);
}

static void check_utf8(const cx_reader *r, size_t i, cx_slice v)
{
	size_t bad = cx_utf8_check(v.p, v.n);
	if (bad)
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': not UTF-8 (byte %zu)", r->names[i],
			  bad);
}

cx_slice cx_textsrc_get(cx_textsrc *t, cx_reader *r)
{
	if (t->n == 1) {
		cx_slice s = cx_rec_get(r, t->idx[0], &t->scratch);
		check_utf8(r, t->idx[0], s);
		return s;
	}
	cx_buf_reset(&t->joined);
	for (size_t i = 0; i < t->n; i++) {
		cx_buf_reset(&t->scratch);
		cx_slice v = cx_rec_get(r, t->idx[i], &t->scratch);
		check_utf8(r, t->idx[i], v);
		if (i)
			cx_buf_addc(&t->joined, '\n');
		cx_buf_add(&t->joined, v.p, v.n);
	}
	return (cx_slice){ t->joined.p ? t->joined.p : "", t->joined.len };
}

void cx_textsrc_close(cx_textsrc *t)
{
	free(t->idx);
	cx_buf_free(&t->scratch);
	cx_buf_free(&t->joined);
}
