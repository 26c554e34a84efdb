/*
 * chart: one description of a chart, drawn as SVG or on a terminal.
 *
 * cx-plot draws one chart from a stream; cx-report draws several into one
 * HTML page.  Both fill a cx_chart (what to show: kind, title, axis
 * titles, labels, values) and hand it to a writer: cx_svg_chart() for a
 * self-contained <svg> element, cx_term_chart() for Unicode block
 * characters on a terminal.  The writers decide how it looks (scales,
 * ticks, colours, layout), so every chart in the toolkit looks alike and
 * a fix to an axis reaches both programs.
 *
 * The kinds:
 *   LINE     one or more series over n ordered x labels (periods); for
 *            series 0 optional control limits (center, lower, upper) and
 *            alert flags, drawn as a band and as marked points (cx-trend
 *            and cx-alert columns);
 *   BAR      one series, one horizontal bar per label;
 *   PARETO   one series in the order given (cx-top sorts it), bars plus
 *            the cumulative share as a line on a 0..100% axis, and the
 *            threshold (0.8) drawn; bars within it are the "vital few";
 *   HEATMAP  nrows x n cells (rows: categories or regions; columns: the n
 *            x labels, periods), one colour scale, the value in each cell.
 * A missing value is NaN: a gap in a line, no bar, an empty cell.
 *
 * Every chart has a title and axis titles (x_label, y_label): the writers
 * always draw them, and the SVG carries <title> and <desc> and role="img"
 * with aria-label, so it is readable without the picture.  All text goes
 * through render/markup.h; customer text is never put anywhere but
 * element content and those attributes.
 *
 * Memory: a cx_chart only borrows; every pointer in it belongs to the
 * caller and must stay valid during the call.  The writers append to the
 * caller's buffer and keep nothing.
 */
#ifndef CX_CHART_H
#define CX_CHART_H

#include <stddef.h>

#include "core/buf.h"

typedef enum cx_chart_kind {
	CX_CHART_LINE,
	CX_CHART_BAR,
	CX_CHART_PARETO,
	CX_CHART_HEATMAP,
} cx_chart_kind;

typedef struct cx_chart_series {
	const char *name;	/* legend text; NULL: no legend entry */
	const double *y;	/* n values; NaN: missing */
} cx_chart_series;

typedef struct cx_chart {
	cx_chart_kind kind;
	const char *title;	/* required */
	const char *subtitle;	/* optional: the source, the period */
	const char *x_label;	/* required: x axis title (heatmap: columns) */
	const char *y_label;	/* required: y axis title (heatmap: rows) */
	const char *unit;	/* optional, after values: "%", " s" */
	int decimals;		/* value labels: digits after the point; <0: as needed */
	size_t n;		/* points, bars, or heatmap columns */
	const char *const *x;	/* n labels */
	size_t nseries;		/* LINE: >= 1; BAR, PARETO: 1; HEATMAP: 0 */
	const cx_chart_series *series;
	/* LINE, series 0 only; each NULL when absent */
	const double *center, *lower, *upper;
	const unsigned char *alert;	/* n flags: nonzero where an alert fired */
	/* PARETO: the cumulative share drawn as a line across (0.8); 0: none */
	double threshold;
	/* HEATMAP */
	size_t nrows;
	const char *const *rows;	/* nrows labels */
	const double *cells;	/* nrows * n values, row by row; NaN: missing */
	/* Added after the first version; a zero-initialised chart leaves them
	 * absent. */
	/* PARETO, optional (cx-top's cum_share and vital columns); NULL: the
	 * writers compute them from the values in the order given, an item
	 * being vital while the share before it is below the threshold */
	const double *cum;	/* n cumulative shares, 0..1 */
	const unsigned char *vital;	/* n flags */
	/* HEATMAP, optional: what the colour shows, the legend's title */
	const char *value_label;
} cx_chart;

typedef struct cx_svg_opts {
	int width, height;	/* pixels; 0: the writer's default for the kind */
	const char *id;		/* prefix for ids inside the SVG, so that several
				 * charts inline in one page do not collide; NULL: "c" */
} cx_svg_opts;

/* Append one <svg> element with xmlns, viewBox, role="img", <title>,
 * <desc> and its own styles (fonts that render Chinese: "Noto Sans CJK SC",
 * "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif).
 * Valid as a standalone SVG file and inline in HTML. */
void cx_svg_chart(cx_buf *b, const cx_chart *c, const cx_svg_opts *o);

/* The same as a file's contents: an XML declaration, then the element. */
void cx_svg_document(cx_buf *b, const cx_chart *c, const cx_svg_opts *o);

typedef struct cx_term_opts {
	size_t width;		/* columns for the whole chart (labels included) */
	int color;		/* ANSI colours (the caller decides: a tty and no NO_COLOR) */
} cx_term_opts;

/* Append the chart as lines of text (UTF-8 block characters, labels
 * aligned by display width, CJK counting two columns), each line ending
 * in a newline and no wider than o->width. */
void cx_term_chart(cx_buf *b, const cx_chart *c, const cx_term_opts *o);

/* Append a sparkline of n values (▁▂▃▄▅▆▇█, a space for NaN), one
 * character a value, scaled from the smallest to the largest. */
void cx_term_sparkline(cx_buf *b, const double *y, size_t n);

/*
 * What both writers share, public so that a test (and cx-report's tables)
 * can see the same numbers the charts show.
 */

/* A value axis: "nice" ticks lo, lo + step, ..., hi (count intervals),
 * step 1, 2 or 5 times a power of ten, covering the data's [lo, hi] in
 * about `want` intervals; decimals is what the tick labels need. */
typedef struct cx_chart_axis {
	double lo, hi, step;
	int count;
	int decimals;
} cx_chart_axis;

/* Ticks for data in [lo, hi] (either order; non-finite or equal ends are
 * widened to a usable range; magnitudes are clamped to 1e300). */
void cx_chart_nice_axis(cx_chart_axis *a, double lo, double hi, int want);

/* Append a tick label of the axis a (its decimals; no unit). */
void cx_chart_tick(cx_buf *b, const cx_chart_axis *a, double v);

/* Append a value as the charts label it: c->decimals digits after the
 * point (when < 0: four significant digits, trailing zeros dropped), then
 * c->unit.  A value that is not finite appends nothing. */
void cx_chart_value(cx_buf *b, const cx_chart *c, double v);

#endif
