/*
 * svg_int: the frame every SVG chart shares (svg.c) and the kinds drawn
 * inside it (svg.c: LINE; svg_kinds.c: BAR, PARETO, HEATMAP).  Only
 * render/svg*.c include this.
 *
 * A chart is drawn in steps: svg_init(); the kind adds its legend entries
 * and asks svg_head() how tall the title, subtitle and legend are at its
 * width, from which it lays out its plot area (s->l, s->r, s->t, s->bt)
 * and its size; svg_open() writes the <svg> element, its <title>, <desc>,
 * styles, the title, subtitle and legend; the kind draws its axes and
 * marks; svg_close() ends the element.  Every piece of text goes through
 * svg_text(), which escapes it (render/markup.h) and cuts it by display
 * width, keeping the whole text in a <title> child.
 */
#ifndef CX_SVG_INT_H
#define CX_SVG_INT_H

#include <stddef.h>

#include "render/chart_int.h"

#define SVG_FONT 12.0		/* px: labels */
#define SVG_TICK_FONT 11.0	/* px: tick labels */
/* A display column is about 0.6 em in the sans-serif fonts of the stack;
 * an ideograph (two columns) is about 1 em, so 0.6 errs wide. */
#define SVG_COL 0.6

enum { SVG_LEGEND_MAX = 16 };

typedef enum { LEG_LINE, LEG_BOX, LEG_BAND, LEG_DASH, LEG_RING } svg_leg_kind;

typedef struct svg_leg {
	svg_leg_kind kind;
	const char *color;
	const char *text;
} svg_leg;

typedef struct svg {
	cx_buf *b;
	const cx_chart *c;
	char id[48];		/* the caller's prefix, reduced to [A-Za-z0-9_-] */
	double w, h;		/* the viewBox */
	double l, r, t, bt;	/* plot area: left, right, top, bottom */
	double head;		/* below the title and subtitle */
	svg_leg leg[SVG_LEGEND_MAX];
	size_t nleg;
} svg;

/* Label i of a list that may be NULL or hold NULLs (drawn as ""). */
static inline const char *svg_lab(const char *const *x, size_t i)
{
	return x && x[i] ? x[i] : "";
}

/* The colour of series i (a ten-colour palette, repeated). */
const char *svg_color(size_t i);

/* A coordinate: one decimal, trailing ".0" dropped, clamped to +-1e6. */
void svg_num(cx_buf *b, double v);
/* " NAME=\"V\"" with V a coordinate. */
void svg_attr(svg *s, const char *name, double v);

/* Estimated width in px of text at most cols columns wide. */
double svg_text_px(const char *t, size_t cols, double font);

/* <text x y class [text-anchor] [transform=rotate]>t, cut to cols</text>;
 * anchor NULL: start; rotate 0: none. */
void svg_text(svg *s, double x, double y, const char *cls, const char *anchor, double rotate,
	      const char *t, size_t cols);
/* The same with a chart value (cx_chart_value) as the text. */
void svg_value(svg *s, double x, double y, const char *cls, const char *anchor, double v);
/* <title>LABEL: VALUE</title>, for a mark's tooltip. */
void svg_tip(svg *s, const char *label, const char *label2, double v);

/* A size from the options (0: dflt), kept within [min, 100000] px. */
double svg_size(int v, double dflt, double min);

/* Set up s: the id prefix, the buffer, the chart. */
void svg_init(svg *s, cx_buf *b, const cx_chart *c, const cx_svg_opts *o);
/* A legend entry (drawn in order, wrapped to the width). */
void svg_legend_add(svg *s, svg_leg_kind kind, const char *color, const char *text);
/* Height of the title, subtitle and legend at width w: where the plot's
 * top may start (sets s->head). */
double svg_head(svg *s, double w);
/* Write the <svg> element's start, <title>, <desc>, styles, background,
 * title, subtitle and legend; s->w and s->h become the viewBox. */
void svg_open(svg *s, double w, double h);
void svg_close(svg *s);

/* A vertical value axis at x (left: labels to its left; right: to its
 * right), gridlines across the plot when grid; pct: "%" after labels. */
void svg_vaxis(svg *s, const cx_chart_axis *a, double x, int right, int grid, int pct);
/* Where v falls on an axis drawn from p0 (at a->lo) to p1 (at a->hi). */
double svg_map(const cx_chart_axis *a, double v, double p0, double p1);
/* Width of the widest tick label of a, in px. */
double svg_ticks_px(const cx_chart_axis *a);
/* The axis titles: x centred under the plot, y rotated at its left. */
void svg_x_title(svg *s, double y);
void svg_y_title(svg *s, double x);
/* Every how many categories a label fits, slot px apart, the labels cut
 * to cols columns. */
size_t svg_stride(const char *const *x, size_t n, double slot, size_t cols);

void svg_line(svg *s, const cx_svg_opts *o);
void svg_bar(svg *s, const cx_svg_opts *o);
void svg_pareto(svg *s, const cx_svg_opts *o);
void svg_heatmap(svg *s, const cx_svg_opts *o);

#endif
