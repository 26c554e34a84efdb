/*
 * chart_int: what svg.c, svg_kinds.c and term.c share and nobody else
 * sees (render/ only).  The value range of a chart, a Pareto's cumulative
 * shares and vital flags, and the clamp that keeps absurd values (1e308,
 * what a fuzzer sends) from turning into infinities in a coordinate.
 */
#ifndef CX_CHART_INT_H
#define CX_CHART_INT_H

#include <stddef.h>

#include "render/chart.h"

/* Values beyond this are drawn as if they were this (sign kept): the axis
 * arithmetic (hi - lo, lo / step) stays finite. */
#define CX_CHART_HUGE 1e300

double cx_chart_clamp(double v);

/* The finite values' smallest and largest: every series and, for LINE,
 * the limits; the cells for a HEATMAP.  Returns how many values were
 * finite (0: *lo and *hi are 0). */
size_t cx_chart_range(const cx_chart *c, double *lo, double *hi);

/* A Pareto's cumulative shares (0..1) and vital flags, from c->cum and
 * c->vital where given, else computed from the values (NaN and negative
 * values count 0).  cum and vital have room for c->n. */
void cx_chart_pareto(const cx_chart *c, double *cum, unsigned char *vital);

/* A value's label without the unit, for places that add it themselves. */
void cx_chart_number(cx_buf *b, double v, int decimals);

#endif
