/*
 * trend_int.h: internal to the trend module (lib/stats/trend.c and
 * trend_measures.c).  Not for cmd/ or other layers: they use stats/trend.h.
 *
 * The engine (trend.c) reads the table into a struct engine and hands each
 * value column of each group to the measures (trend_measures.c) as a
 * struct series; a struct measure_def row says which columns a measure
 * adds and how they are written.  These types are all the two share.
 */
#ifndef CX_TREND_INT_H
#define CX_TREND_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/keys.h"
#include "stats/trend.h"

/* ------------------------------------------------------------------ */
/* The engine's data                                                    */

/* What a value column is; decides gaps, charts and tests. */
enum vkind {
	VK_COUNT,	/* integers: Poisson; c-chart; a gap is 0 */
	VK_PROP,	/* a rate in [0, 1] with --denominator: x / n; p-chart */
	VK_RATE,	/* any other rate with --denominator: c / n; u-chart */
	VK_PLAIN,	/* a rate without a denominator: individuals chart, no test */
};

struct vcol {
	const char *name;
	size_t field;
	int decimal_seen;	/* a value with '.', 'e' or 'E' */
	int outside_unit;	/* a value outside [0, 1] */
	long odd_row;		/* the first row whose value no count can be, or -1 */
	enum vkind kind;
	int exposure;		/* counts: --denominator gives the exposures */
};

struct row {
	size_t off, len;	/* the line in the arena */
	uint32_t gid, file;
	int64_t period;
	long line;
};

struct engine {
	const cx_trend_conf *conf;
	cx_reader *r;
	enum cx_unit unit;
	size_t pfield;
	size_t *gfields, ngroup;
	struct vcol *v;
	size_t nv;
	long dfield;		/* --denominator, or -1 */
	long dvcol;		/* the value column that is the denominator, or -1 */
	const struct measure_def *on[16];
	size_t non;
	size_t ncols;		/* output columns per value column */

	cx_keys groups, files;
	cx_buf arena, scratch, scratch2, key, out;
	struct row *rows;
	double *vals;		/* nrows x nv */
	double *den;		/* nrows */
	size_t nrows, cap;
};

/* One value column of one group, densely by period. */
struct series {
	const struct engine *e;
	const struct vcol *v;
	const double *x;	/* T values, NaN = missing */
	const double *n;	/* T denominators, NaN = missing */
	size_t T;
	int64_t first;		/* period index of x[0] */
};

/* ------------------------------------------------------------------ */
/* Measures: the rows of their table (measure_defs in trend_measures.c) */

enum fmt {
	F_SAME,		/* like the value: an integer for a count column */
	F_INT,		/* always an integer */
	F_DEC,		/* --precision decimals */
};

#define MAXC 4

struct measure_def {
	const char *name;
	const char *cols[MAXC];
	const char *formulas[MAXC];
	enum fmt fmt[MAXC];
	int dflt;		/* in the default set */
	void (*compute)(const struct series *s, double **out);
};

/* Turn -m and --ma, --ewma, --slope into e->on and e->ncols; a usage error
 * for an unknown measure or one whose parameter is missing. */
void trend_select_measures(struct engine *e);

#endif
