/*
 * table: a small result stream held in memory, for the tools that draw it.
 *
 * A chart or a report needs every value of its input before it writes a
 * byte (the scale of an axis, the widest label, a Pareto's total), so
 * cx-plot, cx-top's consumers and cx-report read their streams into a
 * cx_table: the header and every record, unescaped, in one arena.  These
 * inputs are the outputs of cx-metrics, cx-trend, cx-alert and cx-top,
 * tens to thousands of rows; the memory grows with the rows, which is why
 * the loader stops at a limit (max_rows) with a message rather than grow
 * without bound on a mistaken raw export.
 *
 * Ownership: the table owns its names, cells and arena; a cell's slice is
 * valid until cx_table_free().  Cells are unescaped and NUL-terminated, so
 * cell.p may be used as a C string where the value holds no NUL.
 */
#ifndef CX_TABLE_H
#define CX_TABLE_H

#include <stddef.h>

#include "io/stream.h"

typedef struct cx_table {
	char **names;		/* header, nfields entries */
	size_t nfields;
	size_t nrows;
	const char *file;	/* the first input's name, for messages */
	cx_buf arena;		/* every cell, NUL-terminated, back to back */
	size_t *off;		/* nrows * nfields offsets into the arena */
	size_t *len;		/* the cells' lengths */
	long *line;		/* each row's line in its input, for messages */
	size_t *src;		/* each row's input, an index into files */
	char **files;		/* the inputs' names */
	size_t nfiles;
} cx_table;

/* Read paths (none: standard input) as one stream.  Dies (status 3) past
 * max_rows records (0: no limit), naming the limit and the option that
 * raises it, opt (such as "--max-rows"). */
cx_table *cx_table_load(char **paths, size_t npaths, size_t max_rows, const char *opt);
void cx_table_free(cx_table *t);

/* Index of a field, or -1; cx_table_need() dies (status 2) naming the
 * fields there are, as cx_reader_need() does. */
int cx_table_find(const cx_table *t, const char *name);
size_t cx_table_need(const cx_table *t, const char *name);

/* Cell (row, field), unescaped. */
static inline cx_slice cx_table_cell(const cx_table *t, size_t row, size_t field)
{
	size_t k = row * t->nfields + field;
	cx_slice s = { t->arena.p + t->off[k], t->len[k] };
	return s;
}

/* Cell as a number: 1 with *v set, 0 if empty (missing), and death
 * (status 3, file:line, field and value) if not a number. */
int cx_table_num(const cx_table *t, size_t row, size_t field, double *v);

#endif
