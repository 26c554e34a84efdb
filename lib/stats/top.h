/*
 * top: Pareto and top-N over any cx stream (the engine of cx-top).
 *
 * A pass sums one value per group (-g fields) within each parent group
 * (-p fields; none: one parent), or counts records when there is no value
 * field.  At the end the groups of each parent are ranked by value,
 * largest first, ties by the group's key in byte order; each gets its
 * share of the parent's total, the running sum of the shares in rank
 * order (cum_share), its rank, and the Pareto flag `vital`: 1 for the
 * groups up to and including the first whose cum_share reaches the
 * --pareto share.  The first N of each parent are kept, and, if asked, one
 * "(other)" row holds the rest.
 *
 * Sums are exact.  A value's decimals are read from its text ("2.50" has
 * two, "1e3" none), and sums are kept as whole numbers of the smallest
 * unit seen (1/100 after "2.50"), so shares and the Pareto boundary are
 * those of the decimal numbers written, in any order of the input: 8 of
 * 10 is a cum_share equal to 0.8, never 0.7999999.  Past what 64 bits
 * hold (more than 15 decimals, or about 2^51 units in one value) the run
 * goes on with the double sums kept beside the exact ones.
 *
 * Keys are the escaped field values, each followed by a TAB (an escaped
 * value holds none), parent fields first: one cx_keys lookup a record, no
 * allocation once the groups are known.  Memory: the engine owns
 * everything; it grows with the number of groups, never with the records.
 */
#ifndef CX_TOP_H
#define CX_TOP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "io/output.h"
#include "io/stream.h"

typedef struct cx_top_conf {
	const char *group;	/* -g: comma list, required */
	const char *parent;	/* -p: comma list, or NULL */
	const char *value;	/* -v: the field summed, or NULL to count records */
	unsigned long long n;	/* -n: groups kept per parent, 0 for all */
	double pareto;		/* --pareto: in (0, 1] */
	int others;		/* --others: a row for the rest */
} cx_top_conf;

/* Die with a usage error (status 2) if an output field would be named
 * twice: -p, -g and -v name output fields beside share, cum_share, rank
 * and vital.  Before the input is opened; cx_top_run() checks again. */
void cx_top_check(const cx_top_conf *c);

/* The whole run: check the names, read r, write the result to o.  Dies
 * with status 2 on a bad field list, 3 on bad data; warns once about the
 * records whose value was empty.  Returns the exit status. */
int cx_top_run(const cx_top_conf *c, cx_reader *r, cx_output *o);

/* ---- the pieces, for cx_top_run and the unit test ---- */

typedef struct cx_top cx_top;

/* An engine for records with nparent parent and ngroup group values. */
cx_top *cx_top_new(size_t nparent, size_t ngroup);
void cx_top_free(cx_top *t);

/* What cx_top_add returns besides 0 (added) and the CX_NUM_ codes of a
 * value that is not a number (CX_NUM_SYNTAX, CX_NUM_RANGE). */
enum { CX_TOP_MISSING = 1, CX_TOP_NEGATIVE = -10 };

/* Add one record: vals are its parent values, then its group values, as
 * the stream writes them (escaped); num is the value's text (unescaped),
 * or NULL to count 1.  An empty num is CX_TOP_MISSING and adds nothing,
 * not even the group. */
int cx_top_add(cx_top *t, const cx_slice *vals, const char *num, size_t n);

#define CX_TOP_OTHERS UINT32_MAX

typedef struct cx_top_row {
	uint32_t parent;	/* parent id */
	uint32_t group;		/* group id, or CX_TOP_OTHERS for the rest */
	unsigned long long rank;	/* 1, 2, ...; 0 for the rest */
	int vital;		/* the rest: 1 if it holds a vital group */
	int has_share;		/* 0 when the parent's total is 0 */
	double share, cum_share;
	int64_t units;		/* the value, exact: in units of 10^-decimals */
	double value;		/* the value, as a double */
} cx_top_row;

/* Rank every parent's groups and make the output rows, in output order;
 * *nrows is set.  The array is the engine's, valid until the next call
 * or cx_top_free(). */
const cx_top_row *cx_top_rows(cx_top *t, unsigned long long n, double pareto, int others,
			      size_t *nrows);

/* Append a row's value to b as it is written: a whole number when every
 * value added was one, else with the most decimals a value had. */
void cx_top_put_value(const cx_top *t, const cx_top_row *row, cx_buf *b);

/* The escaped values of a parent key or of a row's group key, each
 * followed by a TAB; *n gets the length. */
const char *cx_top_parent_key(const cx_top *t, uint32_t parent, size_t *n);
const char *cx_top_group_key(const cx_top *t, uint32_t group, size_t *n);

#endif
