/* svg_kinds: the bar chart, the Pareto chart and the heat map inside the
 * frame svg.c draws. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "render/markup.h"
#include "render/svg_int.h"

#define LABEL_COLS 28	/* a bar's or a row's label is cut to this */
#define X_COLS 14	/* a column's label (a period, a category) */
#define OTHER_COLOR "#a0b4cc"
#define CUM_COLOR "#f28e2b"

/* A horizontal value axis along the bottom, gridlines up the plot. */
static void haxis(svg *s, const cx_chart_axis *a)
{
	cx_buf *b = s->b;
	cx_buf t = CX_BUF_INIT;
	cx_buf_adds(b, "<g class=\"axis\">\n");
	for (int k = 0; k <= a->count; k++) {
		double v = a->lo + k * a->step;
		double x = svg_map(a, v, s->l, s->r);
		cx_buf_adds(b, "<line class=\"grid\"");
		svg_attr(s, "x1", x);
		svg_attr(s, "y1", s->t);
		svg_attr(s, "x2", x);
		svg_attr(s, "y2", s->bt);
		cx_buf_adds(b, " stroke=\"#e5e5e5\"/>\n");
		cx_buf_reset(&t);
		cx_chart_tick(&t, a, v);
		svg_text(s, x, s->bt + 16, "tick", "middle", 0, t.p, 40);
	}
	cx_buf_adds(b, "<line class=\"axis-line\"");
	svg_attr(s, "x1", s->l);
	svg_attr(s, "y1", s->bt);
	svg_attr(s, "x2", s->r);
	svg_attr(s, "y2", s->bt);
	cx_buf_adds(b, " stroke=\"#888888\"/>\n</g>\n");
	cx_buf_free(&t);
}

static double labels_px(const char *const *x, size_t n, size_t cols, double font)
{
	double m = 0;
	for (size_t i = 0; i < n; i++) {
		double p = svg_text_px(svg_lab(x, i), cols, font);
		if (p > m)
			m = p;
	}
	return m;
}

static double values_px(const svg *s, const double *y, size_t n)
{
	double m = 0;
	cx_buf t = CX_BUF_INIT;
	for (size_t i = 0; y && i < n; i++) {
		cx_buf_reset(&t);
		cx_chart_value(&t, s->c, y[i]);
		double p = svg_text_px(t.p ? t.p : "", 64, SVG_TICK_FONT);
		if (p > m)
			m = p;
	}
	cx_buf_free(&t);
	return m;
}

static void rect(svg *s, double x, double y, double w, double h, const char *cls, const char *fill)
{
	cx_buf_addf(s->b, "<rect class=\"%s\"", cls);
	svg_attr(s, "x", x);
	svg_attr(s, "y", y);
	svg_attr(s, "width", w > 0 ? w : 0);
	svg_attr(s, "height", h > 0 ? h : 0);
	cx_buf_addf(s->b, " fill=\"%s\">", fill);
}

void svg_bar(svg *s, const cx_svg_opts *o)
{
	const cx_chart *c = s->c;
	const double *y = c->nseries > 0 ? c->series[0].y : NULL;
	double w = svg_size(o ? o->width : 0, 720, 240);
	if (c->nseries > 0 && c->series[0].name)
		svg_legend_add(s, LEG_BOX, svg_color(0), c->series[0].name);
	double head = svg_head(s, w);
	double lo, hi;
	cx_chart_range(c, &lo, &hi);
	lo = fmin(lo, 0);
	hi = fmax(hi, 0);
	double bottom = 52, n = (double)(c->n ? c->n : 1);
	double row = 24, h = head + 6 + n * row + bottom;
	if (o && o->height > 0) {
		h = svg_size(o->height, h, 120);
		row = fmax(1, (h - head - 6 - bottom) / n);
	}
	s->l = 16 + 18 + labels_px(c->x, c->n, LABEL_COLS, SVG_FONT) + 8;
	s->r = w - 16 - values_px(s, y, c->n) - 6;
	if (s->r < s->l + 40)
		s->r = s->l + 40;
	s->t = head + 6;
	s->bt = s->t + n * row;
	cx_chart_axis a;
	cx_chart_nice_axis(&a, lo, hi, (int)fmax(2, fmin(10, (s->r - s->l) / 80)));
	svg_open(s, w, h);
	haxis(s, &a);
	svg_x_title(s, s->bt + 38);
	svg_y_title(s, 16 + 10);
	cx_buf *b = s->b;
	double x0 = svg_map(&a, 0, s->l, s->r), bh = row * 0.7;
	cx_buf_adds(b, "<g class=\"bars\">\n");
	for (size_t i = 0; i < c->n; i++) {
		double cy = s->t + ((double)i + 0.5) * row;
		svg_text(s, s->l - 8, cy + 4, "tick", "end", 0, svg_lab(c->x, i), LABEL_COLS);
		if (!y || !isfinite(y[i])) {
			svg_text(s, x0 + 4, cy + 4, "value", NULL, 0, "\xE2\x80\x93", 4);
			continue;
		}
		double xv = svg_map(&a, y[i], s->l, s->r);
		rect(s, fmin(x0, xv), cy - bh / 2, fabs(xv - x0), bh, "bar", svg_color(0));
		svg_tip(s, svg_lab(c->x, i), NULL, y[i]);
		cx_buf_adds(b, "</rect>\n");
		svg_value(s, y[i] < 0 ? xv - 4 : xv + 4, cy + 4, "value", y[i] < 0 ? "end" : NULL, y[i]);
	}
	cx_buf_adds(b, "<line class=\"zero\"");
	svg_attr(s, "x1", x0);
	svg_attr(s, "y1", s->t);
	svg_attr(s, "x2", x0);
	svg_attr(s, "y2", s->bt);
	cx_buf_adds(b, " stroke=\"#888888\"/>\n</g>\n");
	svg_close(s);
}

/* Category labels under columns slot px wide, starting at x0: rotated
 * when they do not fit, and every stride-th when even that is too dense.
 * Returns the height they take. */
static double column_labels_px(const cx_chart *c, double slot, int *rot)
{
	double m = labels_px(c->x, c->n, X_COLS, SVG_TICK_FONT);
	*rot = m + 6 > slot;
	return *rot ? m * 0.72 + 16 : 18;
}

static void column_labels(svg *s, double slot, int rot)
{
	const cx_chart *c = s->c;
	size_t stride = rot ? (size_t)fmax(1, ceil(14 / slot)) : svg_stride(c->x, c->n, slot, X_COLS);
	for (size_t i = 0; i < c->n; i += stride) {
		double x = s->l + ((double)i + 0.5) * slot;
		if (rot)
			svg_text(s, x + 4, s->bt + 12, "tick", "end", -45, svg_lab(c->x, i), X_COLS);
		else
			svg_text(s, x, s->bt + 16, "tick", "middle", 0, svg_lab(c->x, i), X_COLS);
	}
}

static void pareto_marks(svg *s, const cx_chart_axis *a, const cx_chart_axis *pa, double slot)
{
	const cx_chart *c = s->c;
	cx_buf *b = s->b;
	const double *y = c->nseries > 0 ? c->series[0].y : NULL;
	double *cum = cx_calloc(c->n ? c->n : 1, sizeof *cum);
	unsigned char *vital = cx_calloc(c->n ? c->n : 1, 1);
	cx_chart_pareto(c, cum, vital);
	double y0 = svg_map(a, 0, s->bt, s->t), bw = slot * 0.7;
	cx_buf_adds(b, "<g class=\"bars\">\n");
	for (size_t i = 0; y && i < c->n; i++) {
		if (!isfinite(y[i]))
			continue;
		double yv = svg_map(a, y[i], s->bt, s->t);
		rect(s, s->l + (double)i * slot + slot * 0.15, fmin(y0, yv), bw, fabs(y0 - yv),
		     vital[i] ? "bar vital" : "bar", vital[i] ? svg_color(0) : OTHER_COLOR);
		svg_tip(s, svg_lab(c->x, i), vital[i] ? "vital" : NULL, y[i]);
		cx_buf_adds(b, "</rect>\n");
	}
	cx_buf_adds(b, "</g>\n<path class=\"cumulative\" d=\"");
	int pen = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(cum[i])) {
			pen = 0;
			continue;
		}
		cx_buf_addc(b, pen ? 'L' : 'M');
		svg_num(b, s->l + ((double)i + 0.5) * slot);
		cx_buf_addc(b, ' ');
		svg_num(b, svg_map(pa, cum[i] * 100, s->bt, s->t));
		pen = 1;
	}
	cx_buf_adds(b, "\" fill=\"none\" stroke=\"" CUM_COLOR "\" stroke-width=\"2\"/>\n");
	for (size_t i = 0; i < c->n && c->n <= 200; i++) {
		if (!isfinite(cum[i]))
			continue;
		cx_buf_adds(b, "<circle class=\"point\"");
		svg_attr(s, "cx", s->l + ((double)i + 0.5) * slot);
		svg_attr(s, "cy", svg_map(pa, cum[i] * 100, s->bt, s->t));
		cx_buf_adds(b, " r=\"3\" fill=\"" CUM_COLOR "\"><title>");
		cx_markup_texts(b, svg_lab(c->x, i));
		cx_buf_adds(b, ": cumulative share ");
		cx_chart_number(b, cum[i] * 100, 1);
		cx_buf_adds(b, "%</title></circle>\n");
	}
	if (c->threshold > 0 && c->threshold <= 1) {
		double ty = svg_map(pa, c->threshold * 100, s->bt, s->t);
		cx_buf_adds(b, "<line class=\"threshold\"");
		svg_attr(s, "x1", s->l);
		svg_attr(s, "y1", ty);
		svg_attr(s, "x2", s->r);
		svg_attr(s, "y2", ty);
		cx_buf_adds(b, " stroke=\"#666666\" stroke-dasharray=\"4 3\"/>\n");
	}
	free(cum);
	free(vital);
}

void svg_pareto(svg *s, const cx_svg_opts *o)
{
	const cx_chart *c = s->c;
	double w = svg_size(o ? o->width : 0, 720, 240), h = svg_size(o ? o->height : 0, 400, 160);
	cx_buf thr = CX_BUF_INIT;
	svg_legend_add(s, LEG_BOX, svg_color(0), "vital few");
	svg_legend_add(s, LEG_BOX, OTHER_COLOR, "other");
	svg_legend_add(s, LEG_LINE, CUM_COLOR, "cumulative share");
	if (c->threshold > 0 && c->threshold <= 1) {
		cx_buf_adds(&thr, "threshold ");
		cx_chart_number(&thr, c->threshold * 100, -1);
		cx_buf_addc(&thr, '%');
		svg_legend_add(s, LEG_DASH, "#666666", thr.p);
	}
	double head = svg_head(s, w);
	double lo, hi;
	cx_chart_range(c, &lo, &hi);
	cx_chart_axis a, pa = { 0, 100, 20, 5, 0 };
	cx_chart_nice_axis(&a, fmin(lo, 0), fmax(hi, 0), (int)fmax(2, fmin(8, (h - head - 80) / 40)));
	s->l = 16 + 18 + svg_ticks_px(&a) + 8;
	s->r = w - (16 + 18 + 4 * SVG_TICK_FONT * SVG_COL + 8);
	s->t = head + 6;
	double slot = (s->r - s->l) / (double)(c->n ? c->n : 1);
	int rot;
	double lab = column_labels_px(c, slot, &rot);
	s->bt = h - lab - 30;
	if (s->bt < s->t + 20)
		s->bt = s->t + 20;
	svg_open(s, w, h);
	svg_vaxis(s, &a, s->l, 0, 1, 0);
	svg_vaxis(s, &pa, s->r, 1, 0, 1);
	cx_buf_adds(s->b, "<g class=\"axis\">\n");
	column_labels(s, slot, rot);
	cx_buf_adds(s->b, "</g>\n");
	svg_x_title(s, h - 12);
	svg_y_title(s, 16 + 10);
	svg_text(s, w - 16 - 6, (s->t + s->bt) / 2, "y2-title", "middle", 90, "cumulative share (%)", 40);
	pareto_marks(s, &a, &pa, slot);
	svg_close(s);
	cx_buf_free(&thr);
}

/* A sequential scale (ColorBrewer Blues): light for low, dark for high. */
static void shade(cx_buf *b, double t)
{
	static const unsigned char stop[5][3] = {
		{ 239, 245, 251 }, { 189, 215, 238 }, { 107, 174, 214 }, { 33, 113, 181 }, { 8, 48, 107 },
	};
	if (!(t >= 0))
		t = 0;
	if (t > 1)
		t = 1;
	double f = t * 4;
	int k = (int)floor(f);
	if (k > 3)
		k = 3;
	f -= k;
	cx_buf_addc(b, '#');
	for (int j = 0; j < 3; j++)
		cx_buf_addf(b, "%02x", (unsigned)lround(stop[k][j] + (stop[k + 1][j] - stop[k][j]) * f));
}

static void heat_cell(svg *s, size_t r, size_t i, double x, double y, double cw, double ch,
		      double lo, double hi, double valw)
{
	const cx_chart *c = s->c;
	cx_buf *b = s->b;
	double v = c->cells[r * c->n + i];
	cx_buf_adds(b, "<rect class=\"heat\"");
	svg_attr(s, "x", x);
	svg_attr(s, "y", y);
	svg_attr(s, "width", cw);
	svg_attr(s, "height", ch);
	if (!isfinite(v)) {
		cx_buf_adds(b, " fill=\"#f4f4f4\" stroke=\"#dddddd\">");
		svg_tip(s, svg_lab(c->rows, r), svg_lab(c->x, i), v);
		cx_buf_adds(b, "</rect>\n");
		return;
	}
	double t = hi > lo ? (cx_chart_clamp(v) - lo) / (hi - lo) : 0.5;
	cx_buf_adds(b, " fill=\"");
	shade(b, t);
	cx_buf_adds(b, "\" stroke=\"#ffffff\">");
	svg_tip(s, svg_lab(c->rows, r), svg_lab(c->x, i), v);
	cx_buf_adds(b, "</rect>\n");
	if (cw >= valw + 4 && ch >= 13)
		svg_value(s, x + cw / 2, y + ch / 2 + 4, t > 0.55 ? "cell-dark" : "cell", "middle", v);
}

static void heat_legend(svg *s, double x, double lo, double hi)
{
	const cx_chart *c = s->c;
	double y = s->t;
	if (c->value_label && *c->value_label) {
		svg_text(s, x, y + 10, "legend-title", NULL, 0, c->value_label, 12);
		y += 18;
	}
	for (int k = 0; k < 5; k++) {
		double t = (4 - k) / 4.0;
		cx_buf_adds(s->b, "<rect class=\"swatch\"");
		svg_attr(s, "x", x);
		svg_attr(s, "y", y + k * 16);
		cx_buf_adds(s->b, " width=\"14\" height=\"14\" fill=\"");
		shade(s->b, t);
		cx_buf_adds(s->b, "\"/>\n");
		svg_value(s, x + 20, y + k * 16 + 11, "tick", NULL, hi > lo ? lo + (hi - lo) * t : lo);
	}
}

void svg_heatmap(svg *s, const cx_svg_opts *o)
{
	const cx_chart *c = s->c;
	double head = svg_head(s, svg_size(o ? o->width : 0, 720, 240));
	double lo, hi;
	size_t k = cx_chart_range(c, &lo, &hi);
	double valw = 0;
	for (size_t r = 0; c->cells && r < c->nrows; r++)
		valw = fmax(valw, values_px(s, c->cells + r * c->n, c->n));
	/* the legend: value labels beside 14 px swatches */
	cx_buf t = CX_BUF_INIT;
	cx_chart_value(&t, c, hi);
	double legw = 24 + fmax(svg_text_px(t.p ? t.p : "", 64, SVG_TICK_FONT),
				svg_text_px(c->value_label ? c->value_label : "", 12, SVG_FONT)) + 16;
	cx_buf_free(&t);
	double l = 16 + 18 + labels_px(c->rows, c->nrows, LABEL_COLS, SVG_FONT) + 8;
	double n = (double)(c->n ? c->n : 1), nr = (double)(c->nrows ? c->nrows : 1);
	double cw = fmax(36, fmin(72, valw + 10));
	double w = l + n * cw + 16 + legw;
	if (o && o->width > 0) {
		w = svg_size(o->width, w, 240);
		cw = fmax(1, (w - l - 16 - legw) / n);
	}
	int rot;
	s->l = l;
	s->r = l + n * cw;
	double lab = column_labels_px(c, cw, &rot);
	double ch = 22, bottom = lab + 30;
	double h = head + 6 + nr * ch + bottom;
	h = fmax(h, head + 6 + 100 + bottom);	/* the legend's height */
	if (o && o->height > 0) {
		h = svg_size(o->height, h, 120);
		ch = fmax(1, (h - head - 6 - bottom) / nr);
	}
	s->t = head + 6;
	s->bt = s->t + nr * ch;
	svg_open(s, w, h);
	cx_buf_adds(s->b, "<g class=\"axis\">\n");
	for (size_t r = 0; r < c->nrows; r++)
		svg_text(s, s->l - 8, s->t + ((double)r + 0.5) * ch + 4, "tick", "end", 0, svg_lab(c->rows, r),
			 LABEL_COLS);
	column_labels(s, cw, rot);
	cx_buf_adds(s->b, "</g>\n");
	svg_x_title(s, s->bt + lab + 18);
	svg_y_title(s, 16 + 10);
	cx_buf_adds(s->b, "<g class=\"cells\">\n");
	for (size_t r = 0; c->cells && r < c->nrows; r++)
		for (size_t i = 0; i < c->n; i++)
			heat_cell(s, r, i, s->l + (double)i * cw, s->t + (double)r * ch, cw, ch, lo, hi, valw);
	cx_buf_adds(s->b, "</g>\n");
	if (k)
		heat_legend(s, s->r + 16, lo, hi);
	svg_close(s);
}
