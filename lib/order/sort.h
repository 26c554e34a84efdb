/*
 * sort: the engine of cx-sort, a stable sort of the record stream by
 * named keys in bounded memory.
 *
 * A key is FIELD[:MODS] (cx_sort_key_parse): byte order of the unescaped
 * value by default (LC_ALL=C sort's order; the empty value first), `n`
 * numeric (cx_num_parse; values that are not numbers, the empty one
 * included, after every number, in byte order among themselves), `t` time
 * (cx_time_parse in the --tz zone, compared as instants; unparseable
 * values after every time, in byte order), `desc` the key's whole order
 * reversed (so with n:desc the non-numbers come first).  Records whose
 * keys are all equal keep their input order, also across spilled runs.
 *
 * Memory: the records read are copied, still escaped, into an arena of
 * big chunks, with per record one cx_sort_val per key (its parsed number
 * or instant and a slice of its unescaped value) and an index; all that is
 * counted against conf->mem.  When the next record would pass it, the
 * records held are sorted (a merge sort of the index, which is stable) and
 * written as one run to a temporary file in conf->tmpdir; runs are merged
 * at the end with a heap, conf->fanin at a time, in as many passes as it
 * takes (sort_merge.c).  The engine owns all of it; cx_sort_run() frees
 * everything before it returns.
 */
#ifndef CX_SORT_H
#define CX_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "io/output.h"
#include "io/stream.h"

enum cx_sort_kind { CX_SORT_BYTES, CX_SORT_NUM, CX_SORT_TIME };

typedef struct cx_sort_key {
	char *field;	/* the field's name, unescaped; malloc'd */
	size_t col;	/* its index in the header, once resolved */
	int kind;	/* enum cx_sort_kind */
	int desc;
} cx_sort_key;

/* Parse "FIELD[:MODS]"; MODS are n, t and desc, separated by ',' or ':'.
 * A ':' or '\' in FIELD is written '\:' or '\\'.  Returns 0, or -1 with a
 * one-line reason in err (replacing its contents); k->field is set only
 * on success. */
int cx_sort_key_parse(const char *spec, cx_sort_key *k, cx_buf *err);

/* One key of one record. */
typedef struct cx_sort_val {
	union {
		double num;
		int64_t t;
	} v;
	const char *p;	/* the unescaped value */
	size_t n;
	int miss;	/* n or t key: 1 if the value is no number or time */
} cx_sort_val;

/* Fill val from the value p[0..n) for key k (which it points to). */
void cx_sort_val_set(const cx_sort_key *k, cx_sort_val *val, const char *p, size_t n);

/* <0, 0, >0: record a's keys before, tied with, after record b's. */
static inline int cx_sort_cmp(const cx_sort_key *keys, size_t nkeys, const cx_sort_val *a,
			      const cx_sort_val *b)
{
	for (size_t i = 0; i < nkeys; i++, a++, b++) {
		int c;
		if (keys[i].kind != CX_SORT_BYTES && (a->miss | b->miss) == 0) {
			if (keys[i].kind == CX_SORT_NUM)
				c = (a->v.num > b->v.num) - (a->v.num < b->v.num);
			else
				c = (a->v.t > b->v.t) - (a->v.t < b->v.t);
		} else if (a->miss != b->miss) {
			c = a->miss - b->miss;
		} else {
			size_t m = a->n < b->n ? a->n : b->n;
			c = m ? memcmp(a->p, b->p, m) : 0;
			if (!c)
				c = (a->n > b->n) - (a->n < b->n);
		}
		if (c)
			return keys[i].desc ? -c : c;
	}
	return 0;
}

/*
 * Split an escaped record line (no newline) far enough for the keys and
 * fill vals[0..nkeys).  A value with a backslash is unescaped into scratch,
 * which is reset and grown by n first so that the slices stay put;
 * the others point into line.  fields has room for the largest key column
 * + 1 slices.  Returns 0, or -1 if the line has too few fields.
 */
int cx_sort_extract(const cx_sort_key *keys, size_t nkeys, const char *line, size_t n,
		    cx_slice *fields, size_t nfields, cx_sort_val *vals, cx_buf *scratch);

/* Stable sort of idx[0..n) (record numbers into vals, nkeys per record);
 * tmp has room for n. */
void cx_sort_index(const cx_sort_key *keys, size_t nkeys, const cx_sort_val *vals,
		   uint32_t *idx, uint32_t *tmp, size_t n);

typedef struct cx_sort_conf {
	cx_sort_key *keys;	/* resolved against the header by cx_sort_run */
	size_t nkeys;
	size_t mem;		/* bytes of records held before a run is spilled */
	size_t fanin;		/* runs merged at once, >= 2 */
	const char *tmpdir;	/* where runs go */
	int unique;		/* write only the first record of equal keys */
} cx_sort_conf;

/* Read every record of r, write the header and the records in order to
 * out.  Dies (status 2) on a key naming no field, 3 on bad data, 4 on an
 * I/O error (a temporary file that cannot be made or written).  Returns
 * the exit status. */
int cx_sort_run(cx_sort_conf *c, cx_reader *r, cx_output *out);

#endif
