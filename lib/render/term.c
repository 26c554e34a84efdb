/* term: the chart model drawn with Unicode block characters, for a
 * terminal or a chat message in a monospaced font.
 *
 * Every line is built in a scratch buffer and then fitted to the width
 * (fit): the layouts aim at the width, fit() keeps the promise when a
 * width is too small for any layout.  Customer text (labels, names,
 * titles) is cleaned first (clean): control characters, C1 controls and
 * bidirectional overrides become '?', bytes that are not UTF-8 U+FFFD, so
 * no label can move the cursor, change colours or reorder a line.
 *
 *   BAR      label, bar in eighths of a cell, value;
 *   LINE     a sparkline per series with its min, max and last value; for
 *            series 0 a row of '^' under the periods that alerted and the
 *            last control limits; a series longer than the room has each
 *            character stand for several periods (their mean);
 *   PARETO   BAR plus the cumulative share and a '*' on the vital few;
 *   HEATMAP  one cell per period, two columns wide (one when narrow,
 *            the last periods when even that is too wide), shaded
 *            ░▒▓█ by quartile of the range, or with 256-colour
 *            backgrounds; a missing value is blank; a legend of the bins.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "render/chart_int.h"

#define RESET "\033[0m"

/* xterm-256 colours near the SVG palette (Tableau 10). */
static const int palette256[] = { 67, 208, 167, 73, 71, 178, 139, 217, 137, 145 };
/* A light-to-dark blue ramp, the heat map's backgrounds for the four
 * bins the shades ░▒▓█ stand for. */
static const int ramp256[] = { 189, 117, 68, 25 };

typedef struct term {
	cx_buf *b;
	const cx_chart *c;
	size_t w;
	int color;
	cx_buf line;	/* the line being built */
	cx_buf tmp;
} term;

static void fg(term *t, int color)
{
	if (t->color)
		cx_buf_addf(&t->line, "\033[38;5;%dm", color);
}

static void bg(term *t, int color)
{
	if (t->color)
		cx_buf_addf(&t->line, "\033[48;5;%dm", color);
}

static void reset(term *t)
{
	if (t->color)
		cx_buf_adds(&t->line, RESET);
}

/* The line into the output: at most t->w columns (escape sequences take
 * none), trailing blanks dropped (a coloured blank, a heat cell, is not
 * trailing: the escape after it ends the trim), a reset if cut while a
 * colour was on, a newline. */
static void fit(term *t)
{
	const char *s = t->line.p ? t->line.p : "";
	size_t n = t->line.len, i = 0, width = 0, rl = strlen(RESET);
	size_t at = t->b->len, end = at;
	int open = 0;
	while (i < n) {
		if (s[i] == '\033') {
			size_t j = i + 1;
			if (j < n && s[j] == '[') {
				j++;
				while (j < n && !((unsigned char)s[j] >= 0x40 && (unsigned char)s[j] <= 0x7E))
					j++;
				if (j < n)
					j++;
			}
			open = !(j - i == rl && !memcmp(s + i, RESET, rl));
			cx_buf_add(t->b, s + i, j - i);
			end = t->b->len;
			i = j;
			continue;
		}
		uint32_t cp;
		size_t k = cx_utf8_decode(s + i, n - i, &cp);
		size_t cw = (size_t)cx_cp_width(cp);
		if (width + cw > t->w)
			break;
		cx_buf_add(t->b, s + i, k);
		width += cw;
		i += k;
		if (cp != ' ')
			end = t->b->len;
	}
	t->b->len = end;
	t->b->p[end] = '\0';
	if (open)
		cx_buf_adds(t->b, RESET);
	cx_buf_addc(t->b, '\n');
	cx_buf_reset(&t->line);
}

static void spaces(cx_buf *b, size_t n)
{
	while (n--)
		cx_buf_addc(b, ' ');
}

/* s cleaned for a terminal into t->tmp (replacing its contents). */
static void clean(term *t, const char *s)
{
	cx_buf *o = &t->tmp;
	cx_buf_reset(o);
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = cx_utf8_decode(s + i, n - i, &cp);
		if ((k == 1 && (unsigned char)s[i] >= 0x80) || cx_utf8_check(s + i, k)) {
			cx_buf_adds(o, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			cx_buf_addc(o, '?');
		else
			cx_buf_add(o, s + i, k);
		i += k;
	}
	if (!o->p)
		cx_buf_grow(o, 1);
}

static size_t text_width(term *t, const char *s)
{
	clean(t, s);
	return cx_utf8_width(t->tmp.p, t->tmp.len);
}

/* Append s, cleaned, cut to cols with an ellipsis, padded to exactly
 * cols columns (right: padding first). */
static void put(term *t, const char *s, size_t cols, int right)
{
	clean(t, s);
	const char *p = t->tmp.p;
	size_t n = t->tmp.len, w = cx_utf8_width(p, n), k = n;
	int cut = 0;
	if (w > cols) {
		k = cx_utf8_prefix(p, n, cols > 0 ? cols - 1 : 0, &w);
		cut = cols > 0;
	}
	size_t padn = cols - w - (size_t)cut;
	if (right)
		spaces(&t->line, padn);
	cx_buf_add(&t->line, p, k);
	if (cut)
		cx_buf_adds(&t->line, "\xE2\x80\xA6");
	if (!right)
		spaces(&t->line, padn);
}

/* A value's label (cx_chart_value) in t->tmp's place: returned in v. */
static void value_text(const term *t, cx_buf *v, double x)
{
	cx_buf_reset(v);
	cx_chart_value(v, t->c, x);
	if (!v->p)
		cx_buf_grow(v, 1);
	if (!isfinite(x))
		cx_buf_adds(v, "-");
}

static void header(term *t)
{
	const cx_chart *c = t->c;
	put(t, c->title, text_width(t, c->title), 0);
	fit(t);
	if (c->subtitle && *c->subtitle) {
		put(t, c->subtitle, text_width(t, c->subtitle), 0);
		fit(t);
	}
}

/* The widest value label of y[0..n). */
static size_t values_width(const term *t, const double *y, size_t n)
{
	cx_buf v = CX_BUF_INIT;
	size_t m = 1;
	for (size_t i = 0; y && i < n; i++) {
		value_text(t, &v, y[i]);
		size_t w = cx_utf8_width(v.p, v.len);
		if (w > m)
			m = w;
	}
	cx_buf_free(&v);
	return m;
}

static size_t labels_width(term *t, const char *const *x, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; x && i < n; i++) {
		size_t w = text_width(t, x[i]);
		if (w > m)
			m = w;
	}
	return m;
}

static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

/* A bar of v on a scale of cols cells for [lo, hi] (lo <= 0 <= hi): the
 * negative part left of the zero cell in whole cells, the positive part
 * right of it in eighths; a value that is not zero shows at least an
 * eighth.  Padded to cols. */
static void bar(term *t, double v, double lo, double hi, size_t cols, int color)
{
	double span = hi - lo;
	size_t zero = span > 0 ? (size_t)lround(-lo / span * (double)cols) : 0, used = 0;
	if (zero > cols)
		zero = cols;
	v = cx_chart_clamp(v);
	if (!isfinite(v) || span <= 0) {
		spaces(&t->line, cols);
		return;
	}
	if (v < 0) {
		size_t k = (size_t)lround(-v / span * (double)cols);
		k = k > zero ? zero : k == 0 ? 1 : k;
		if (k > zero)
			k = zero;
		spaces(&t->line, zero - k);
		fg(t, color);
		for (size_t i = 0; i < k; i++)
			cx_buf_adds(&t->line, "█");
		reset(t);
		spaces(&t->line, cols - zero);
		return;
	}
	spaces(&t->line, zero);
	used = zero;
	size_t e = (size_t)lround(v / span * (double)cols * 8);
	if (e > (cols - zero) * 8)
		e = (cols - zero) * 8;
	if (e == 0 && v > 0 && cols > zero)
		e = 1;
	fg(t, color);
	for (size_t i = 0; i < e / 8; i++)
		cx_buf_adds(&t->line, "█");
	cx_buf_adds(&t->line, eighths[e % 8]);
	reset(t);
	used += e / 8 + (e % 8 ? 1 : 0);
	spaces(&t->line, cols - used);
}

/* BAR and PARETO: label, bar, value[, cum share, mark]. */
static void bars(term *t)
{
	const cx_chart *c = t->c;
	const double *y = c->nseries > 0 ? c->series[0].y : NULL;
	int pareto = c->kind == CX_CHART_PARETO;
	double *cum = NULL;
	unsigned char *vital = NULL;
	if (pareto) {
		cum = cx_calloc(c->n ? c->n : 1, sizeof *cum);
		vital = cx_calloc(c->n ? c->n : 1, 1);
		cx_chart_pareto(c, cum, vital);
	}
	double lo, hi;
	cx_chart_range(c, &lo, &hi);
	lo = fmin(lo, 0);
	hi = fmax(hi, 0);
	size_t lw = labels_width(t, c->x, c->n), vw = values_width(t, y, c->n);
	size_t xw = text_width(t, c->x_label);
	lw = lw > xw ? lw : xw;
	/* the label column takes at most a third of the line */
	size_t lmax = t->w / 3 > 4 ? t->w / 3 : 4;
	lw = lw > lmax ? lmax : lw;
	size_t tail = 1 + vw + (pareto ? 1 + 6 + 2 : 0);	/* " value" " 100.0%" " *" */
	size_t bw = t->w > lw + 1 + tail + 1 ? t->w - lw - 1 - tail : 1;
	cx_buf v = CX_BUF_INIT;
	/* the column titles: categories, values (unit), cumulative share */
	put(t, c->x_label, lw, 0);
	cx_buf_addc(&t->line, ' ');
	cx_buf_reset(&v);
	cx_buf_adds(&v, c->y_label ? c->y_label : "");
	if (c->unit && c->unit[strspn(c->unit, " ")])
		cx_buf_addf(&v, " (%s)", c->unit + strspn(c->unit, " "));
	put(t, v.p, bw + 1 + vw, 0);
	if (pareto)
		put(t, " cum", 7, 1);
	fit(t);
	for (size_t i = 0; i < c->n; i++) {
		put(t, c->x ? c->x[i] : "", lw, 0);
		cx_buf_addc(&t->line, ' ');
		double yi = y ? y[i] : NAN;
		bar(t, yi, lo, hi, bw, pareto && !vital[i] ? 145 : palette256[0]);
		cx_buf_addc(&t->line, ' ');
		value_text(t, &v, yi);
		put(t, v.p, vw, 1);
		if (pareto) {
			cx_buf_reset(&v);
			if (isfinite(cum[i])) {
				cx_chart_number(&v, cum[i] * 100, 1);
				cx_buf_addc(&v, '%');
			}
			cx_buf_addc(&t->line, ' ');
			put(t, v.p ? v.p : "", 6, 1);
			cx_buf_adds(&t->line, vital[i] ? " *" : "  ");
		}
		fit(t);
	}
	if (pareto && c->threshold > 0) {
		size_t k = 0;
		for (size_t i = 0; i < c->n; i++)
			k += vital[i] != 0;
		cx_buf_reset(&v);
		cx_buf_addf(&v, "* vital few: %zu of %zu (", k, c->n);
		cx_chart_number(&v, c->threshold * 100, -1);
		cx_buf_adds(&v, "%)");
		put(t, v.p, cx_utf8_width(v.p, v.len), 0);
		fit(t);
	}
	cx_buf_free(&v);
	free(cum);
	free(vital);
}

static const char *const levels[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

void cx_term_sparkline(cx_buf *b, const double *y, size_t n)
{
	double lo = 0, hi = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(y[i]))
			continue;
		double v = cx_chart_clamp(y[i]);
		if (k == 0 || v < lo)
			lo = v;
		if (k == 0 || v > hi)
			hi = v;
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(y[i])) {
			cx_buf_addc(b, ' ');
			continue;
		}
		double v = cx_chart_clamp(y[i]);
		/* a flat series sits in the middle, not on the floor */
		long l = hi > lo ? lround((v - lo) / (hi - lo) * 7) : 3;
		cx_buf_adds(b, levels[l < 0 ? 0 : l > 7 ? 7 : l]);
	}
	if (n == 0 && !b->p)
		cx_buf_grow(b, 1);
}

/* y[0..n) in m buckets: the mean of each bucket's finite values (NaN
 * where it has none); flags: whether any in the bucket is set. */
static void buckets(const double *y, const unsigned char *f, size_t n, size_t m, double *out,
		    unsigned char *fout)
{
	for (size_t j = 0; j < m; j++) {
		size_t a = j * n / m, z = (j + 1) * n / m;
		double sum = 0;
		size_t k = 0;
		unsigned char any = 0;
		for (size_t i = a; i < z; i++) {
			if (y && isfinite(y[i])) {
				sum += cx_chart_clamp(y[i]) / (double)(z - a);
				k++;
			}
			if (f)
				any |= f[i] != 0;
		}
		out[j] = k ? sum * (double)(z - a) / (double)k : NAN;
		if (fout)
			fout[j] = any;
	}
}

/* The last finite value of v (NaN if none). */
static double last_of(const double *v, size_t n)
{
	for (size_t i = n; v && i-- > 0;)
		if (isfinite(v[i]))
			return v[i];
	return NAN;
}

static void minmax(const double *v, size_t n, double *lo, double *hi)
{
	*lo = *hi = NAN;
	for (size_t i = 0; v && i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!(v[i] >= *lo))
			*lo = v[i];
		if (!(v[i] <= *hi))
			*hi = v[i];
	}
}

static void line_row(term *t, size_t j, size_t nw, size_t sw, size_t col, size_t vw, double *tmp)
{
	const cx_chart *c = t->c;
	const double *y = c->series[j].y;
	cx_buf v = CX_BUF_INIT;
	put(t, c->series[j].name ? c->series[j].name : c->y_label, nw, 0);
	cx_buf_addc(&t->line, ' ');
	size_t m = c->n < sw ? c->n : sw;
	buckets(y, NULL, c->n, m, tmp, NULL);
	fg(t, palette256[j % 10]);
	cx_term_sparkline(&t->line, tmp, m);
	reset(t);
	spaces(&t->line, col - m);
	double lo, hi;
	minmax(y, c->n, &lo, &hi);
	double vals[3] = { lo, hi, last_of(y, c->n) };
	for (int k = 0; k < 3; k++) {
		cx_buf_addc(&t->line, ' ');
		value_text(t, &v, vals[k]);
		put(t, v.p, vw, 1);
	}
	fit(t);
	cx_buf_free(&v);
}

static void line_alerts(term *t, size_t nw, size_t sw)
{
	const cx_chart *c = t->c;
	size_t m = c->n < sw ? c->n : sw, any = 0;
	for (size_t i = 0; c->alert && i < c->n; i++)
		any += c->alert[i] != 0;
	if (any) {
		unsigned char *f = cx_calloc(m ? m : 1, 1);
		double *tmp = cx_calloc(m ? m : 1, sizeof *tmp);
		buckets(NULL, c->alert, c->n, m, tmp, f);
		put(t, "alerts", nw, 1);
		cx_buf_addc(&t->line, ' ');
		fg(t, 160);
		for (size_t j = 0; j < m; j++)
			cx_buf_addc(&t->line, f[j] ? '^' : ' ');
		reset(t);
		cx_buf_addf(&t->line, " %zu", any);
		fit(t);
		free(f);
		free(tmp);
	}
	const double *lim[3] = { c->center, c->lower, c->upper };
	if (!c->center && !c->lower && !c->upper)
		return;
	static const char *const names[3] = { "center ", "lcl ", "ucl " };
	cx_buf v = CX_BUF_INIT;
	put(t, "limits", nw, 1);
	cx_buf_adds(&t->line, " last:");
	for (int k = 0; k < 3; k++) {
		if (!lim[k])
			continue;
		cx_buf_addc(&t->line, ' ');
		cx_buf_adds(&t->line, names[k]);
		value_text(t, &v, last_of(lim[k], c->n));
		cx_buf_add(&t->line, v.p, v.len);
	}
	fit(t);
	cx_buf_free(&v);
}

static void lines(term *t)
{
	const cx_chart *c = t->c;
	cx_buf v = CX_BUF_INIT;
	/* the x axis in words: its title, first and last label, how many */
	cx_buf_adds(&v, c->x_label ? c->x_label : "");
	if (c->n > 0) {
		cx_buf_adds(&v, ": ");
		cx_buf_adds(&v, c->x && c->x[0] ? c->x[0] : "");
		if (c->n > 1) {
			cx_buf_adds(&v, " \xE2\x80\xA6 ");
			cx_buf_adds(&v, c->x && c->x[c->n - 1] ? c->x[c->n - 1] : "");
		}
	}
	cx_buf_addf(&v, " (%zu)", c->n);
	put(t, v.p, text_width(t, v.p), 0);
	fit(t);
	size_t nw = text_width(t, c->y_label);
	for (size_t j = 0; j < c->nseries; j++) {
		size_t w = text_width(t, c->series[j].name ? c->series[j].name : c->y_label);
		nw = w > nw ? w : nw;
	}
	size_t nmax = t->w / 4 > 6 ? t->w / 4 : 6;
	nw = nw < 6 ? 6 : nw > nmax ? nmax : nw;
	size_t vw = 4;	/* "last" */
	for (size_t j = 0; j < c->nseries; j++) {
		size_t w = values_width(t, c->series[j].y, c->n);
		vw = w > vw ? w : vw;
	}
	size_t fixed = nw + 1 + 3 * (1 + vw);
	size_t room = t->w > fixed + 4 ? t->w - fixed : 4;
	size_t sw = c->n < room ? (c->n ? c->n : 1) : room;
	/* the column titles; the sparkline's column is as wide as its title
	 * where there is room */
	cx_buf_reset(&v);
	cx_buf_adds(&v, c->y_label ? c->y_label : "");
	if (c->unit && c->unit[strspn(c->unit, " ")])
		cx_buf_addf(&v, " (%s)", c->unit + strspn(c->unit, " "));
	size_t col = text_width(t, v.p);
	col = col > room ? room : col < sw ? sw : col;
	put(t, "", nw, 0);
	cx_buf_addc(&t->line, ' ');
	put(t, v.p, col, 0);
	static const char *const heads[3] = { "min", "max", "last" };
	for (int k = 0; k < 3; k++) {
		cx_buf_addc(&t->line, ' ');
		put(t, heads[k], vw, 1);
	}
	fit(t);
	double *tmp = cx_calloc(sw, sizeof *tmp);
	for (size_t j = 0; j < c->nseries; j++)
		line_row(t, j, nw, sw, col, vw, tmp);
	free(tmp);
	if (c->nseries > 0)
		line_alerts(t, nw, sw);
	if (c->n > sw) {
		cx_buf_reset(&v);
		cx_buf_addf(&v, "(one character: %zu to %zu periods, their mean)", c->n / sw,
			    (c->n + sw - 1) / sw);
		put(t, v.p, cx_utf8_width(v.p, v.len), 0);
		fit(t);
	}
	cx_buf_free(&v);
}

static const char *const shades[] = { "░", "▒", "▓", "█" };

/* The bin of v in [lo, hi]: 0..3 (the quartiles of the range). */
static int bin(double v, double lo, double hi)
{
	if (!(hi > lo))
		return 1;
	long k = (long)floor((cx_chart_clamp(v) - lo) / (hi - lo) * 4);
	return k < 0 ? 0 : k > 3 ? 3 : (int)k;
}

static void heat_cell(term *t, double v, double lo, double hi, size_t cw)
{
	if (!isfinite(v)) {
		spaces(&t->line, cw);
		return;
	}
	if (t->color) {
		bg(t, ramp256[bin(v, lo, hi)]);
		spaces(&t->line, cw);
		reset(t);
		return;
	}
	for (size_t k = 0; k < cw; k++)
		cx_buf_adds(&t->line, shades[bin(v, lo, hi)]);
}

/* Labels of columns [first, n) under cells cw wide from column x0: each
 * where it starts, if the last one has ended. */
static void heat_axis(term *t, size_t lw, size_t first, size_t cw)
{
	const cx_chart *c = t->c;
	put(t, "", lw, 0);
	cx_buf_addc(&t->line, ' ');
	size_t at = 0;
	for (size_t i = first; i < c->n; i++) {
		size_t pos = (i - first) * cw;
		if (pos < at)
			continue;
		size_t w = text_width(t, c->x ? c->x[i] : "");
		if (w == 0)
			continue;
		spaces(&t->line, pos - at);
		put(t, c->x ? c->x[i] : "", w, 0);
		at = pos + w + 1;
		cx_buf_addc(&t->line, ' ');
	}
	fit(t);
}

/* Append an item of the legend, first ending the line if it would not
 * fit (an item wider than the line is cut by fit). */
static void legend_item(term *t, size_t *at, const char *item, size_t w)
{
	if (*at > 0 && *at + 1 + w > t->w) {
		fit(t);
		*at = 0;
	}
	if (*at > 0) {
		cx_buf_addc(&t->line, ' ');
		(*at)++;
	}
	cx_buf_adds(&t->line, item);
	*at += w;
}

static void heat_legend(term *t, double lo, double hi)
{
	cx_buf v = CX_BUF_INIT, item = CX_BUF_INIT;
	const cx_chart *c = t->c;
	size_t at = 0;
	if (c->value_label && *c->value_label) {
		clean(t, c->value_label);
		cx_buf_add(&item, t->tmp.p, t->tmp.len);
		cx_buf_addc(&item, ':');
		legend_item(t, &at, item.p, cx_utf8_width(item.p, item.len));
	}
	for (int k = 0; k < 4; k++) {
		double a = lo + (hi - lo) * k / 4, z = lo + (hi - lo) * (k + 1) / 4;
		cx_buf_reset(&item);
		if (t->color)
			cx_buf_addf(&item, "\033[48;5;%dm  " RESET " ", ramp256[k]);
		else
			cx_buf_adds(&item, shades[k]), cx_buf_addc(&item, ' ');
		size_t w = t->color ? 3 : 2, from = item.len;
		value_text(t, &v, a);
		cx_buf_add(&item, v.p, v.len);
		cx_buf_adds(&item, "\xE2\x80\x93");	/* en dash */
		value_text(t, &v, z);
		cx_buf_add(&item, v.p, v.len);
		w += cx_utf8_width(item.p + from, item.len - from);
		legend_item(t, &at, item.p, w);
	}
	legend_item(t, &at, "blank: missing", 14);
	fit(t);
	cx_buf_free(&v);
	cx_buf_free(&item);
}

static void heatmap(term *t)
{
	const cx_chart *c = t->c;
	double lo, hi;
	cx_chart_range(c, &lo, &hi);
	size_t lw = labels_width(t, c->rows, c->nrows), yw = text_width(t, c->y_label);
	lw = lw > yw ? lw : yw;
	size_t lmax = t->w / 3 > 4 ? t->w / 3 : 4;
	lw = lw > lmax ? lmax : lw;
	size_t room = t->w > lw + 1 ? t->w - lw - 1 : 1, cw = 2, first = 0;
	if (c->n * 2 > room)
		cw = 1;
	if (c->n * cw > room)
		first = c->n - room;
	/* the column title, and which columns are shown */
	cx_buf v = CX_BUF_INIT;
	cx_buf_adds(&v, c->x_label ? c->x_label : "");
	if (first)
		cx_buf_addf(&v, " (the last %zu of %zu)", c->n - first, c->n);
	put(t, c->y_label, lw, 0);
	cx_buf_addc(&t->line, ' ');
	put(t, v.p, text_width(t, v.p), 0);
	fit(t);
	for (size_t r = 0; r < c->nrows; r++) {
		put(t, c->rows ? c->rows[r] : "", lw, 0);
		cx_buf_addc(&t->line, ' ');
		for (size_t i = first; i < c->n; i++)
			heat_cell(t, c->cells ? c->cells[r * c->n + i] : NAN, lo, hi, cw);
		fit(t);
	}
	heat_axis(t, lw, first, cw);
	heat_legend(t, lo, hi);
	cx_buf_free(&v);
}

void cx_term_chart(cx_buf *b, const cx_chart *c, const cx_term_opts *o)
{
	term t = { .b = b, .c = c, .w = o && o->width ? o->width : 80, .color = o && o->color };
	if (!b->p)
		cx_buf_grow(b, 1);
	header(&t);
	switch (c->kind) {
	case CX_CHART_BAR:
	case CX_CHART_PARETO: bars(&t); break;
	case CX_CHART_LINE: lines(&t); break;
	case CX_CHART_HEATMAP: heatmap(&t); break;
	}
	cx_buf_free(&t.line);
	cx_buf_free(&t.tmp);
}
