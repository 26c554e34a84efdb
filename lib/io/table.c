#include "io/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"

static void grow(cx_table *t, size_t *cap)
{
	if (t->nrows < *cap)
		return;
	*cap = *cap ? *cap * 2 : 64;
	size_t cells = *cap * t->nfields;
	t->off = cx_realloc(t->off, cells * sizeof *t->off);
	t->len = cx_realloc(t->len, cells * sizeof *t->len);
	t->line = cx_realloc(t->line, *cap * sizeof *t->line);
	t->src = cx_realloc(t->src, *cap * sizeof *t->src);
}

/* The index of the reader's current file in t->files, added if new. */
static size_t file_index(cx_table *t, const char *file)
{
	if (t->nfiles && !strcmp(t->files[t->nfiles - 1], file))
		return t->nfiles - 1;
	t->files = cx_realloc(t->files, (t->nfiles + 1) * sizeof *t->files);
	t->files[t->nfiles] = cx_strdup(file);
	return t->nfiles++;
}

cx_table *cx_table_load(char **paths, size_t npaths, size_t max_rows, const char *opt)
{
	cx_reader *r = cx_reader_open(paths, npaths);
	cx_table *t = cx_calloc(1, sizeof *t);
	t->nfields = r->nfields;
	t->names = cx_malloc(t->nfields * sizeof *t->names);
	for (size_t i = 0; i < t->nfields; i++)
		t->names[i] = cx_strdup(r->names[i]);
	size_t cap = 0;
	cx_buf scratch = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		if (max_rows && t->nrows == max_rows)
			cx_die_at(CX_EXIT_DATA, r->file, r->line,
				  "more than %zu records: this is for results to draw, not raw "
				  "data (%s raises the limit)",
				  max_rows, opt ? opt : "a larger limit");
		grow(t, &cap);
		size_t base = t->nrows * t->nfields;
		for (size_t i = 0; i < t->nfields; i++) {
			cx_slice v = cx_rec_get(r, i, &scratch);
			t->off[base + i] = t->arena.len;
			t->len[base + i] = v.n;
			cx_buf_add(&t->arena, v.p, v.n);
			cx_buf_addc(&t->arena, '\0');
		}
		t->line[t->nrows] = r->line;
		t->src[t->nrows] = file_index(t, r->file);
		t->nrows++;
	}
	if (!t->arena.p)
		cx_buf_grow(&t->arena, 1);
	t->file = t->nfiles ? t->files[0] : cx_strdup(r->file);
	if (!t->nfiles) {
		t->files = cx_malloc(sizeof *t->files);
		t->files[t->nfiles++] = (char *)t->file;
	}
	cx_buf_free(&scratch);
	cx_reader_close(r);
	return t;
}

void cx_table_free(cx_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nfields; i++)
		free(t->names[i]);
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->names);
	free(t->files);
	free(t->off);
	free(t->len);
	free(t->line);
	free(t->src);
	cx_buf_free(&t->arena);
	free(t);
}

int cx_table_find(const cx_table *t, const char *name)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (!strcmp(t->names[i], name))
			return (int)i;
	return -1;
}

size_t cx_table_need(const cx_table *t, const char *name)
{
	int i = cx_table_find(t, name);
	if (i < 0) {
		cx_buf b = CX_BUF_INIT;
		cx_die(CX_EXIT_USAGE, "no field '%s' in the header of %s; fields are: %s", name,
		       t->file, cx_names_list(t->names, t->nfields, &b));
	}
	return (size_t)i;
}

int cx_table_num(const cx_table *t, size_t row, size_t field, double *v)
{
	cx_slice s = cx_table_cell(t, row, field);
	if (s.n == 0)
		return 0;
	int rc = cx_num_parse(s.p, s.n, v);
	if (rc != CX_NUM_OK) {
		cx_buf b = CX_BUF_INIT;
		cx_die_at(CX_EXIT_DATA, t->files[t->src[row]], t->line[row],
			  "field '%s': %s: '%s'", t->names[field], cx_num_strerror(rc),
			  cx_shown(&b, s.p, s.n));
	}
	return 1;
}
