/* svg: the frame of every SVG chart (element, title, description,
 * styles, legend, axes) and the line chart. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "render/markup.h"
#include "render/svg_int.h"

/* Tableau 10: distinguishable, and readable printed in grey. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};

#define X_COLS 14	/* an x label (a period) is cut to this */
#define ALERT_COLOR "#d62728"
#define BAND_COLOR "#4e79a7"

const char *svg_color(size_t i)
{
	return palette[i % (sizeof palette / sizeof *palette)];
}

void svg_num(cx_buf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v > 1e6)
		v = 1e6;
	if (v < -1e6)
		v = -1e6;
	double r = round(v * 10) / 10;
	if (r == 0)
		r = 0;	/* no "-0" */
	if (r == floor(r))
		cx_buf_addf(b, "%.0f", r);
	else
		cx_buf_addf(b, "%.1f", r);
}

void svg_attr(svg *s, const char *name, double v)
{
	cx_buf_addf(s->b, " %s=\"", name);
	svg_num(s->b, v);
	cx_buf_addc(s->b, '"');
}

double svg_text_px(const char *t, size_t cols, double font)
{
	size_t w = cx_utf8_width(t, strlen(t));
	if (w > cols)
		w = cols;
	return (double)w * font * SVG_COL;
}

void svg_text(svg *s, double x, double y, const char *cls, const char *anchor, double rotate,
	      const char *t, size_t cols)
{
	cx_buf *b = s->b;
	cx_buf_adds(b, "<text");
	svg_attr(s, "x", x);
	svg_attr(s, "y", y);
	cx_buf_addf(b, " class=\"%s\"", cls);
	if (anchor)
		cx_buf_addf(b, " text-anchor=\"%s\"", anchor);
	if (rotate != 0) {
		cx_buf_adds(b, " transform=\"rotate(");
		svg_num(b, rotate);
		cx_buf_addc(b, ' ');
		svg_num(b, x);
		cx_buf_addc(b, ' ');
		svg_num(b, y);
		cx_buf_adds(b, ")\"");
	}
	cx_buf_addc(b, '>');
	size_t n = strlen(t);
	cx_markup_text_cut(b, t, n, cols);
	if (cx_utf8_width(t, n) > cols) {
		cx_buf_adds(b, "<title>");
		cx_markup_text(b, t, n);
		cx_buf_adds(b, "</title>");
	}
	cx_buf_adds(b, "</text>\n");
}

void svg_value(svg *s, double x, double y, const char *cls, const char *anchor, double v)
{
	cx_buf t = CX_BUF_INIT;
	cx_chart_value(&t, s->c, v);
	svg_text(s, x, y, cls, anchor, 0, t.p ? t.p : "", 64);
	cx_buf_free(&t);
}

void svg_tip(svg *s, const char *label, const char *label2, double v)
{
	cx_buf_adds(s->b, "<title>");
	cx_markup_texts(s->b, label);
	if (label2) {
		cx_buf_adds(s->b, ", ");
		cx_markup_texts(s->b, label2);
	}
	cx_buf_adds(s->b, ": ");
	if (isfinite(v))
		cx_chart_value(s->b, s->c, v);
	else
		cx_buf_adds(s->b, "missing");
	cx_buf_adds(s->b, "</title>");
}

void svg_init(svg *s, cx_buf *b, const cx_chart *c, const cx_svg_opts *o)
{
	memset(s, 0, sizeof *s);
	s->b = b;
	s->c = c;
	/* The id ends up in id attributes and CSS selectors: only the
	 * characters both take, and a letter first. */
	const char *id = o && o->id && *o->id ? o->id : "c";
	size_t k = 0;
	if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z')))
		s->id[k++] = 'c';
	for (; *id && k < sizeof s->id - 1; id++) {
		char ch = *id;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			 ch == '-' || ch == '_';
		s->id[k++] = ok ? ch : '_';
	}
	s->id[k] = '\0';
}

void svg_legend_add(svg *s, svg_leg_kind kind, const char *color, const char *text)
{
	if (s->nleg < SVG_LEGEND_MAX && text)
		s->leg[s->nleg++] = (svg_leg){ kind, color, text };
}

#define LEG_COLS 24	/* a legend entry's text is cut to this */
#define LEG_ROW 18.0

static double leg_px(const svg_leg *e)
{
	return 22 + svg_text_px(e->text, LEG_COLS, SVG_FONT) + 16;
}

static double title_end(const svg *s)
{
	return s->c->subtitle && *s->c->subtitle ? 52 : 36;
}

double svg_head(svg *s, double w)
{
	double x = 16, rows = s->nleg ? 1 : 0;
	for (size_t i = 0; i < s->nleg; i++) {
		double p = leg_px(&s->leg[i]);
		if (x > 16 && x + p > w - 16) {
			rows++;
			x = 16;
		}
		x += p;
	}
	s->head = title_end(s) + rows * LEG_ROW + 12;
	return s->head;
}

static void leg_draw(svg *s)
{
	cx_buf *b = s->b;
	double x = 16, y = title_end(s) + 4;
	for (size_t i = 0; i < s->nleg; i++) {
		const svg_leg *e = &s->leg[i];
		double p = leg_px(e);
		if (x > 16 && x + p > s->w - 16) {
			y += LEG_ROW;
			x = 16;
		}
		double cy = y + 6;
		switch (e->kind) {
		case LEG_LINE:
		case LEG_DASH:
			cx_buf_adds(b, "<line");
			svg_attr(s, "x1", x);
			svg_attr(s, "y1", cy);
			svg_attr(s, "x2", x + 16);
			svg_attr(s, "y2", cy);
			cx_buf_addf(b, " stroke=\"%s\" stroke-width=\"2\"%s/>\n", e->color,
				    e->kind == LEG_DASH ? " stroke-dasharray=\"4 3\"" : "");
			break;
		case LEG_BOX:
		case LEG_BAND:
			cx_buf_adds(b, "<rect");
			svg_attr(s, "x", x);
			svg_attr(s, "y", cy - 5);
			cx_buf_addf(b, " width=\"16\" height=\"10\" fill=\"%s\"%s/>\n", e->color,
				    e->kind == LEG_BAND ? " fill-opacity=\"0.15\"" : "");
			break;
		case LEG_RING:
			cx_buf_adds(b, "<circle");
			svg_attr(s, "cx", x + 8);
			svg_attr(s, "cy", cy);
			cx_buf_addf(b, " r=\"4.5\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", e->color);
			break;
		}
		svg_text(s, x + 22, cy + 4, "legend", NULL, 0, e->text, LEG_COLS);
		x += p;
	}
}

static const char *kind_name(cx_chart_kind k)
{
	switch (k) {
	case CX_CHART_LINE: return "Line chart";
	case CX_CHART_BAR: return "Bar chart";
	case CX_CHART_PARETO: return "Pareto chart";
	case CX_CHART_HEATMAP: return "Heat map";
	}
	return "Chart";
}

/* The <desc>: what the chart shows in words, and the first values, for
 * a screen reader and for a mail client that shows no pictures. */
static void describe(svg *s)
{
	const cx_chart *c = s->c;
	cx_buf *b = s->b;
	cx_buf_adds(b, "<desc>");
	cx_buf_adds(b, kind_name(c->kind));
	cx_buf_adds(b, ": ");
	cx_markup_texts(b, c->y_label ? c->y_label : "");
	cx_buf_adds(b, c->kind == CX_CHART_HEATMAP ? " by " : " over ");
	cx_markup_texts(b, c->x_label ? c->x_label : "");
	cx_buf_addf(b, ", %zu %s", c->n, c->kind == CX_CHART_HEATMAP ? "columns" : "points");
	if (c->kind == CX_CHART_HEATMAP)
		cx_buf_addf(b, ", %zu rows", c->nrows);
	if (c->kind == CX_CHART_LINE)
		cx_buf_addf(b, ", %zu series", c->nseries);
	double lo, hi;
	if (cx_chart_range(c, &lo, &hi)) {
		cx_buf_adds(b, "; values from ");
		cx_chart_value(b, c, lo);
		cx_buf_adds(b, " to ");
		cx_chart_value(b, c, hi);
	}
	/* the first values of the first series, by name */
	if (c->kind != CX_CHART_HEATMAP && c->nseries > 0 && c->series[0].y) {
		size_t k = c->n < 12 ? c->n : 12;
		for (size_t i = 0; i < k; i++) {
			cx_buf_adds(b, i ? "; " : ": ");
			cx_markup_texts(b, svg_lab(c->x, i));
			cx_buf_adds(b, " ");
			if (isfinite(c->series[0].y[i]))
				cx_chart_value(b, c, c->series[0].y[i]);
			else
				cx_buf_adds(b, "missing");
		}
		if (k < c->n)
			cx_buf_addf(b, "; and %zu more", c->n - k);
	}
	cx_buf_adds(b, ".</desc>\n");
}

#define FONTS "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif"

void svg_open(svg *s, double w, double h)
{
	cx_buf *b = s->b;
	const cx_chart *c = s->c;
	const char *title = c->title ? c->title : "";
	const char *id = s->id;
	s->w = w;
	s->h = h;
	cx_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"cx-chart\" viewBox=\"0 0 ", id);
	svg_num(b, w);
	cx_buf_addc(b, ' ');
	svg_num(b, h);
	cx_buf_adds(b, "\"");
	svg_attr(s, "width", w);
	svg_attr(s, "height", h);
	cx_buf_adds(b, " role=\"img\" aria-label=\"");
	cx_markup_texts(b, title);
	cx_buf_adds(b, "\">\n<title>");
	cx_markup_texts(b, title);
	cx_buf_adds(b, "</title>\n");
	describe(s);
	/* Scoped by the id: several charts inline in one page keep theirs. */
	cx_buf_addf(b, "<style>\n"
		       "#%s text{font-family:" FONTS ";font-size:12px;fill:#333}\n"
		       "#%s .title{font-size:16px;font-weight:bold;fill:#111}\n"
		       "#%s .subtitle{fill:#666}\n"
		       "#%s .x-title,#%s .y-title,#%s .legend-title{font-weight:bold;fill:#444}\n"
		       "#%s .tick,#%s .value,#%s .cell{font-size:11px;fill:#555}\n"
		       "#%s .cell-dark{font-size:11px;fill:#fff}\n"
		       "</style>\n",
		    id, id, id, id, id, id, id, id, id, id);
	cx_buf_adds(b, "<rect class=\"background\" x=\"0\" y=\"0\"");
	svg_attr(s, "width", w);
	svg_attr(s, "height", h);
	cx_buf_adds(b, " fill=\"#ffffff\"/>\n");
	size_t tcols = (size_t)fmax(8, (w - 32) / (16 * SVG_COL));
	svg_text(s, 16, 26, "title", NULL, 0, title, tcols);
	if (c->subtitle && *c->subtitle)
		svg_text(s, 16, 44, "subtitle", NULL, 0, c->subtitle, (size_t)fmax(8, (w - 32) / (SVG_FONT * SVG_COL)));
	leg_draw(s);
}

void svg_close(svg *s)
{
	cx_buf_adds(s->b, "</svg>");
}

double svg_map(const cx_chart_axis *a, double v, double p0, double p1)
{
	v = cx_chart_clamp(v);
	if (v < a->lo)
		v = a->lo;
	if (v > a->hi)
		v = a->hi;
	double span = a->hi - a->lo;
	double f = span > 0 ? (v - a->lo) / span : 0.5;
	return p0 + f * (p1 - p0);
}

double svg_ticks_px(const cx_chart_axis *a)
{
	double m = 0;
	cx_buf t = CX_BUF_INIT;
	for (int k = 0; k <= a->count; k++) {
		cx_buf_reset(&t);
		cx_chart_tick(&t, a, a->lo + k * a->step);
		double p = (double)t.len * SVG_TICK_FONT * SVG_COL;
		if (p > m)
			m = p;
	}
	cx_buf_free(&t);
	return m;
}

void svg_vaxis(svg *s, const cx_chart_axis *a, double x, int right, int grid, int pct)
{
	cx_buf *b = s->b;
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(b, "<g class=\"axis\">\n");
	for (int k = 0; k <= a->count; k++) {
		double v = a->lo + k * a->step;
		double y = svg_map(a, v, s->bt, s->t);
		if (grid) {
			cx_buf_adds(b, "<line class=\"grid\"");
			svg_attr(s, "x1", s->l);
			svg_attr(s, "y1", y);
			svg_attr(s, "x2", s->r);
			svg_attr(s, "y2", y);
			cx_buf_adds(b, " stroke=\"#e5e5e5\"/>\n");
		}
		cx_buf_reset(&t);
		cx_chart_tick(&t, a, v);
		if (pct)
			cx_buf_addc(&t, '%');
		svg_text(s, right ? x + 6 : x - 6, y + 4, "tick", right ? NULL : "end", 0, t.p, 40);
	}
	cx_buf_adds(b, "<line class=\"axis-line\"");
	svg_attr(s, "x1", x);
	svg_attr(s, "y1", s->t);
	svg_attr(s, "x2", x);
	svg_attr(s, "y2", s->bt);
	cx_buf_adds(b, " stroke=\"#888888\"/>\n</g>\n");
	cx_buf_free(&t);
}

/* "complaints (%)": the unit, trimmed, after the axis title. */
static void axis_title(cx_buf *t, const char *label, const char *unit)
{
	cx_buf_adds(t, label ? label : "");
	if (unit) {
		while (*unit == ' ')
			unit++;
		if (*unit)
			cx_buf_addf(t, " (%s)", unit);
	}
}

void svg_x_title(svg *s, double y)
{
	const cx_chart *c = s->c;
	cx_buf t = CX_BUF_INIT;
	/* a horizontal bar chart's values run along x */
	axis_title(&t, c->kind == CX_CHART_BAR ? c->y_label : c->x_label, c->kind == CX_CHART_BAR ? c->unit : NULL);
	size_t cols = (size_t)fmax(8, (s->r - s->l) / (SVG_FONT * SVG_COL));
	svg_text(s, (s->l + s->r) / 2, y, c->kind == CX_CHART_BAR ? "y-title" : "x-title", "middle", 0,
		 t.p ? t.p : "", cols);
	cx_buf_free(&t);
}

void svg_y_title(svg *s, double x)
{
	const cx_chart *c = s->c;
	cx_buf t = CX_BUF_INIT;
	/* a horizontal bar chart's categories run down the left */
	int bar = c->kind == CX_CHART_BAR;
	axis_title(&t, bar ? c->x_label : c->y_label, bar || c->kind == CX_CHART_HEATMAP ? NULL : c->unit);
	size_t cols = (size_t)fmax(8, (s->bt - s->t) / (SVG_FONT * SVG_COL));
	svg_text(s, x, (s->t + s->bt) / 2, bar ? "x-title" : "y-title", "middle", -90, t.p ? t.p : "", cols);
	cx_buf_free(&t);
}

size_t svg_stride(const char *const *x, size_t n, double slot, size_t cols)
{
	double m = 0;
	for (size_t i = 0; i < n; i++) {
		double p = svg_text_px(svg_lab(x, i), cols, SVG_TICK_FONT);
		if (p > m)
			m = p;
	}
	if (slot <= 0)
		return n ? n : 1;
	double k = ceil((m + 10) / slot);
	return k < 1 ? 1 : k > (double)n ? (n ? n : 1) : (size_t)k;
}

/* A path through the finite points of v, broken where one is missing;
 * cmd receives "M" for the first point of a run. */
static void path_d(svg *s, const double *v, const double *xs, const cx_chart_axis *a)
{
	int pen = 0;
	for (size_t i = 0; i < s->c->n; i++) {
		if (!isfinite(v[i])) {
			pen = 0;
			continue;
		}
		cx_buf_addc(s->b, pen ? 'L' : 'M');
		svg_num(s->b, xs[i]);
		cx_buf_addc(s->b, ' ');
		svg_num(s->b, svg_map(a, v[i], s->bt, s->t));
		pen = 1;
	}
}

static void series_path(svg *s, const double *v, const double *xs, const cx_chart_axis *a,
			const char *color, const char *cls, const char *extra)
{
	cx_buf_addf(s->b, "<path class=\"%s\" d=\"", cls);
	path_d(s, v, xs, a);
	cx_buf_addf(s->b, "\" fill=\"none\" stroke=\"%s\"%s/>\n", color, extra);
}

/* The control band: between lower and upper wherever both are there. */
static void band(svg *s, const double *xs, const cx_chart_axis *a)
{
	const cx_chart *c = s->c;
	cx_buf *b = s->b;
	size_t i = 0;
	cx_buf_adds(b, "<path class=\"band\" d=\"");
	while (i < c->n) {
		if (!isfinite(c->lower[i]) || !isfinite(c->upper[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < c->n && isfinite(c->lower[j]) && isfinite(c->upper[j]))
			j++;
		for (size_t k = i; k < j; k++) {
			cx_buf_addc(b, k == i ? 'M' : 'L');
			svg_num(b, xs[k] - (j - i == 1 ? 3 : 0));
			cx_buf_addc(b, ' ');
			svg_num(b, svg_map(a, c->upper[k], s->bt, s->t));
		}
		for (size_t k = j; k-- > i;) {
			cx_buf_addc(b, 'L');
			svg_num(b, xs[k] + (j - i == 1 ? 3 : 0));
			cx_buf_addc(b, ' ');
			svg_num(b, svg_map(a, c->lower[k], s->bt, s->t));
		}
		cx_buf_addc(b, 'Z');
		i = j;
	}
	cx_buf_adds(b, "\" fill=\"" BAND_COLOR "\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
}

static void line_legend(svg *s)
{
	const cx_chart *c = s->c;
	for (size_t i = 0; i < c->nseries; i++)
		if (c->series[i].name)
			svg_legend_add(s, LEG_LINE, svg_color(i), c->series[i].name);
	if (c->lower && c->upper)
		svg_legend_add(s, LEG_BAND, BAND_COLOR, "control limits");
	if (c->center)
		svg_legend_add(s, LEG_DASH, "#666666", "center");
	int any = 0;
	for (size_t i = 0; c->alert && i < c->n; i++)
		any |= c->alert[i] != 0;
	if (any)
		svg_legend_add(s, LEG_RING, ALERT_COLOR, "alert");
}

static void line_points(svg *s, const double *xs, const cx_chart_axis *a)
{
	const cx_chart *c = s->c;
	cx_buf *b = s->b;
	/* a dot on every point while they are few, else only where a point
	 * stands alone between gaps (a path would not show it) */
	for (size_t j = 0; j < c->nseries; j++) {
		const double *v = c->series[j].y;
		if (!v)
			continue;
		for (size_t i = 0; i < c->n; i++) {
			if (!isfinite(v[i]))
				continue;
			int alone = (i == 0 || !isfinite(v[i - 1])) && (i + 1 == c->n || !isfinite(v[i + 1]));
			if (c->n > 60 && !alone)
				continue;
			cx_buf_adds(b, "<circle class=\"point\"");
			svg_attr(s, "cx", xs[i]);
			svg_attr(s, "cy", svg_map(a, v[i], s->bt, s->t));
			cx_buf_addf(b, " r=\"2.5\" fill=\"%s\">", svg_color(j));
			svg_tip(s, svg_lab(c->x, i), c->series[j].name, v[i]);
			cx_buf_adds(b, "</circle>\n");
		}
	}
	if (!c->alert || c->nseries == 0 || !c->series[0].y)
		return;
	for (size_t i = 0; i < c->n; i++) {
		const double *v = c->series[0].y;
		if (!c->alert[i] || !isfinite(v[i]))
			continue;
		cx_buf_adds(b, "<circle class=\"alert\"");
		svg_attr(s, "cx", xs[i]);
		svg_attr(s, "cy", svg_map(a, v[i], s->bt, s->t));
		cx_buf_adds(b, " r=\"5.5\" fill=\"none\" stroke=\"" ALERT_COLOR "\" stroke-width=\"2\"><title>alert: ");
		cx_markup_texts(b, svg_lab(c->x, i));
		cx_buf_adds(b, " ");
		cx_chart_value(b, c, v[i]);
		cx_buf_adds(b, "</title></circle>\n");
	}
}

double svg_size(int v, double dflt, double min)
{
	if (v <= 0)
		return dflt;
	return v < min ? min : v > 100000 ? 100000 : v;
}

void svg_line(svg *s, const cx_svg_opts *o)
{
	const cx_chart *c = s->c;
	double w = svg_size(o ? o->width : 0, 720, 240), h = svg_size(o ? o->height : 0, 400, 160);
	line_legend(s);
	double head = svg_head(s, w);
	double lo, hi;
	cx_chart_range(c, &lo, &hi);
	/* counts start at zero unless the values sit far from it */
	if (lo >= 0 && lo <= hi / 2)
		lo = 0;
	cx_chart_axis a;
	cx_chart_nice_axis(&a, lo, hi, (int)fmax(2, fmin(8, (h - head - 60) / 40)));
	s->l = 16 + 18 + svg_ticks_px(&a) + 8;
	/* the last period's label is centred on the plot's right edge */
	double half = 0;
	for (size_t i = 0; i < c->n; i++)
		half = fmax(half, svg_text_px(svg_lab(c->x, i), X_COLS, SVG_TICK_FONT) / 2);
	s->r = w - 16 - fmax(4, half);
	s->t = head + 6;
	s->bt = h - 52;
	if (s->bt < s->t + 20)
		s->bt = s->t + 20;
	svg_open(s, w, h);
	svg_vaxis(s, &a, s->l, 0, 1, 0);
	double *xs = cx_calloc(c->n ? c->n : 1, sizeof *xs);
	double pw = s->r - s->l;
	/* the first point stands off the y axis */
	double x0 = s->l + fmin(12, pw / 4), xw = s->r - x0;
	for (size_t i = 0; i < c->n; i++)
		xs[i] = c->n == 1 ? s->l + pw / 2 : x0 + xw * (double)i / (double)(c->n - 1);
	/* the x axis and every stride-th period under it */
	cx_buf *b = s->b;
	cx_buf_adds(b, "<g class=\"axis\">\n<line class=\"axis-line\"");
	svg_attr(s, "x1", s->l);
	svg_attr(s, "y1", s->bt);
	svg_attr(s, "x2", s->r);
	svg_attr(s, "y2", s->bt);
	cx_buf_adds(b, " stroke=\"#888888\"/>\n");
	size_t stride = svg_stride(c->x, c->n, c->n > 1 ? xw / (double)(c->n - 1) : pw, X_COLS);
	for (size_t i = 0; i < c->n; i += stride)
		svg_text(s, xs[i], s->bt + 16, "tick", "middle", 0, svg_lab(c->x, i), X_COLS);
	cx_buf_adds(b, "</g>\n");
	svg_x_title(s, h - 14);
	svg_y_title(s, 16 + 10);
	if (c->lower && c->upper)
		band(s, xs, &a);
	if (c->lower)
		series_path(s, c->lower, xs, &a, "#7f9fc0", "limit", " stroke-width=\"1\" stroke-dasharray=\"2 3\"");
	if (c->upper)
		series_path(s, c->upper, xs, &a, "#7f9fc0", "limit", " stroke-width=\"1\" stroke-dasharray=\"2 3\"");
	if (c->center)
		series_path(s, c->center, xs, &a, "#666666", "center", " stroke-width=\"1\" stroke-dasharray=\"4 3\"");
	for (size_t j = 0; j < c->nseries; j++)
		if (c->series[j].y)
			series_path(s, c->series[j].y, xs, &a, svg_color(j), "series", " stroke-width=\"2\"");
	line_points(s, xs, &a);
	free(xs);
	svg_close(s);
}

void cx_svg_chart(cx_buf *b, const cx_chart *c, const cx_svg_opts *o)
{
	svg s;
	svg_init(&s, b, c, o);
	switch (c->kind) {
	case CX_CHART_LINE: svg_line(&s, o); break;
	case CX_CHART_BAR: svg_bar(&s, o); break;
	case CX_CHART_PARETO: svg_pareto(&s, o); break;
	case CX_CHART_HEATMAP: svg_heatmap(&s, o); break;
	}
}

void cx_svg_document(cx_buf *b, const cx_chart *c, const cx_svg_opts *o)
{
	cx_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	cx_svg_chart(b, c, o);
	cx_buf_addc(b, '\n');
}
