/*
 * sort_int.h: what sort.c (reading, the records in memory) and
 * sort_merge.c (runs on disk, the merge) share.  Only lib/order/ includes
 * it.
 *
 * A spill is one temporary file holding sorted runs back to back, each a
 * sequence of escaped record lines ending in '\n' (the stream's own form,
 * so a run is read back with the same key extraction).  It keeps its name,
 * and is on the cx_tmp_make() list that removes it if the program dies,
 * only while runs are written to it; when the merge opens it, it is
 * unlinked.  The spill owns its path, its writer and its run bounds.
 */
#ifndef CX_SORT_INT_H
#define CX_SORT_INT_H

#include <sys/types.h>

#include "order/sort.h"

typedef struct sort_spill {
	char *path;	/* NULL once unlinked */
	int fd;		/* read and write */
	cx_output *w;	/* while runs are written, else NULL */
	off_t *bounds;	/* run i is [bounds[i], bounds[i+1]) */
	size_t nruns, cap;
	off_t size;	/* bytes written */
} sort_spill;

/* The engine's state, for both halves. */
typedef struct sort_ctx {
	cx_sort_conf *c;
	cx_output *out;
	size_t nfields;		/* the largest key column + 1 */
	cx_slice *fields;	/* scratch for cx_sort_extract */
	cx_buf scratch;
	cx_sort_val *vals;	/* the record being read's keys */
	size_t bufsize;		/* read buffer of each run in a merge */
	const char *tmpdir;
	/* -u: the last record written and its keys. */
	cx_buf prev_line, prev_scratch;
	cx_sort_val *prev_vals;
	int have_prev;
} sort_ctx;

sort_spill *sort_spill_new(const sort_ctx *x);
void sort_spill_add(sort_spill *s, const char *p, size_t n);
void sort_spill_end_run(sort_spill *s);
void sort_spill_free(sort_spill *s);

/* Write a record (line with its '\n') to the final output, unless -u
 * and its keys equal the last one's. */
void sort_emit(sort_ctx *x, const char *line, size_t n, const cx_sort_val *vals);

/* Merge every run of s, fanin at a time, and write the records to the
 * final output.  Frees s. */
void sort_merge(sort_ctx *x, sort_spill *s);

#endif
