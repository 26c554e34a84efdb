#include "stats/sketch.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define MAXB CX_SKETCH_MAXBUCKETS

/* ln gamma = ln(1.01/0.99), its inverse and ln(1 - alpha), as literals so
 * that the mapping does not depend on how a compiler folds log(). */
#define INV_LN_GAMMA 49.99833328888678
#define LN_GAMMA 0.020000666706669435
#define LN_1MA (-0.01005033585350145)

/* The bucket of v > 0 (finite).  |result| < 40000 for any double. */
static int32_t key(double v)
{
	return (int32_t)ceil(log(v) * INV_LN_GAMMA);
}

/* (1-alpha) gamma^i: within alpha of all of (gamma^(i-1), gamma^i].
 * Overflows to inf in the top bucket of the doubles; callers clamp. */
static double value_of(int32_t i)
{
	return exp(i * LN_GAMMA + LN_1MA);
}

static int store_empty(const cx_sketch_store *st)
{
	return st->lo > st->hi;
}

static void store_clear(cx_sketch_store *st)
{
	if (st->c)
		memset(st->c, 0, (size_t)st->len * sizeof *st->c);
	st->lo = 1;
	st->hi = 0;
}

/*
 * Make the array cover buckets [a, b] (b - a < MAXB).  Every nonzero count
 * must already lie in [a, b]; only what the old array and [a, b] share is
 * carried over.  The new array has at least as much room again as needed,
 * on the side the range grew, so a range that creeps upward (collapsing
 * at the bottom) moves the array once per MAXB buckets, not per add.
 */
static void store_window(cx_sketch_store *st, int32_t a, int32_t b)
{
	if (st->c && a >= st->off && b < st->off + st->len)
		return;
	int32_t need = b - a + 1;
	int32_t len = st->len ? st->len : 16;
	while (len < 2 * need && len < 2 * MAXB)
		len *= 2;
	int32_t off;
	if (!st->c)
		off = a - (len - need) / 2;
	else if (b >= st->off + st->len)
		off = a;
	else
		off = b - len + 1;
	double *c = cx_calloc((size_t)len, sizeof *c);
	if (st->c) {
		int32_t x = a > st->off ? a : st->off;
		int32_t y = b < st->off + st->len - 1 ? b : st->off + st->len - 1;
		for (int32_t i = x; i <= y; i++)
			c[i - off] = st->c[i - st->off];
		free(st->c);
	}
	st->c = c;
	st->off = off;
	st->len = len;
}

/* Count everything below bucket fl in bucket fl.  Since fl is always the
 * highest bucket - (MAXB-1), and the highest bucket never comes down,
 * doing this at every step equals doing it once at the end. */
static void store_collapse(cx_sketch_store *st, int32_t fl)
{
	if (store_empty(st) || st->lo >= fl)
		return;
	double sum = 0;
	int32_t end = st->hi < fl ? st->hi : fl - 1;
	for (int32_t i = st->lo; i <= end; i++) {
		sum += st->c[i - st->off];
		st->c[i - st->off] = 0;
	}
	int32_t hi = st->hi > fl ? st->hi : fl;
	store_window(st, fl, hi);
	st->c[fl - st->off] += sum;
	st->lo = fl;
	st->hi = hi;
}

static void store_add(cx_sketch_store *st, int32_t i, double w)
{
	if (store_empty(st)) {
		store_window(st, i, i);
		st->c[i - st->off] += w;
		st->lo = st->hi = i;
		return;
	}
	int32_t hi = i > st->hi ? i : st->hi;
	int32_t fl = hi - (MAXB - 1);
	store_collapse(st, fl);
	if (i < fl)
		i = fl;
	int32_t lo = i < st->lo ? i : st->lo;
	store_window(st, lo, hi);
	st->c[i - st->off] += w;
	st->lo = lo;
	st->hi = hi;
}

/* dst != src. */
static void store_merge(cx_sketch_store *dst, const cx_sketch_store *src)
{
	if (store_empty(src))
		return;
	int32_t hi = store_empty(dst) || src->hi > dst->hi ? src->hi : dst->hi;
	int32_t fl = hi - (MAXB - 1);
	store_collapse(dst, fl);
	int32_t lo = src->lo < fl ? fl : src->lo;
	if (!store_empty(dst) && dst->lo < lo)
		lo = dst->lo;
	store_window(dst, lo, hi);
	for (int32_t i = src->lo; i <= src->hi; i++) {
		double w = src->c[i - src->off];
		if (w != 0)
			dst->c[(i < fl ? fl : i) - dst->off] += w;
	}
	dst->lo = lo;
	dst->hi = hi;
}

static int sketch_empty(const cx_sketch *s)
{
	return s->zeros == 0 && store_empty(&s->pos) && store_empty(&s->neg);
}

void cx_sketch_init(cx_sketch *s)
{
	*s = (cx_sketch)CX_SKETCH_INIT;
}

void cx_sketch_free(cx_sketch *s)
{
	free(s->pos.c);
	free(s->neg.c);
	cx_sketch_init(s);
}

void cx_sketch_add(cx_sketch *s, double v, double weight)
{
	if (!isfinite(v) || !(weight > 0) || !isfinite(weight))
		return;
	if (v == 0)
		v = 0;		/* -0 is 0, also as min or max */
	if (sketch_empty(s)) {
		s->min = s->max = v;
	} else {
		if (v < s->min)
			s->min = v;
		if (v > s->max)
			s->max = v;
	}
	if (v > 0)
		store_add(&s->pos, key(v), weight);
	else if (v < 0)
		store_add(&s->neg, key(-v), weight);
	else
		s->zeros += weight;
}

void cx_sketch_merge(cx_sketch *dst, const cx_sketch *src)
{
	if (dst == src) {
		cx_sketch copy = CX_SKETCH_INIT;
		cx_sketch_merge(&copy, src);
		cx_sketch_merge(dst, &copy);
		cx_sketch_free(&copy);
		return;
	}
	if (sketch_empty(src))
		return;
	if (sketch_empty(dst)) {
		dst->min = src->min;
		dst->max = src->max;
	} else {
		if (src->min < dst->min)
			dst->min = src->min;
		if (src->max > dst->max)
			dst->max = src->max;
	}
	dst->zeros += src->zeros;
	store_merge(&dst->pos, &src->pos);
	store_merge(&dst->neg, &src->neg);
}

/* Total weight, summed in rank order (most negative first) so that the
 * quantile walk, which sums in the same order, ends on exactly this. */
double cx_sketch_count(const cx_sketch *s)
{
	double w = 0;
	const cx_sketch_store *st = &s->neg;
	for (int32_t i = st->hi; i >= st->lo; i--)
		w += st->c[i - st->off];
	w += s->zeros;
	st = &s->pos;
	for (int32_t i = st->lo; i <= st->hi; i++)
		w += st->c[i - st->off];
	return w;
}

double cx_sketch_quantile(const cx_sketch *s, double q)
{
	if (!(q >= 0 && q <= 1) || sketch_empty(s))
		return NAN;
	if (q == 0)
		return s->min;
	if (q == 1)
		return s->max;
	double rank = q * (cx_sketch_count(s) - 1);
	double cum = 0, v = s->max;
	const cx_sketch_store *st = &s->neg;
	for (int32_t i = st->hi; i >= st->lo; i--) {
		cum += st->c[i - st->off];
		if (cum > rank) {
			v = -value_of(i);
			goto found;
		}
	}
	cum += s->zeros;
	if (cum > rank) {
		v = 0;
		goto found;
	}
	st = &s->pos;
	for (int32_t i = st->lo; i <= st->hi; i++) {
		cum += st->c[i - st->off];
		if (cum > rank) {
			v = value_of(i);
			goto found;
		}
	}
found:
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

/* The shortest decimal that reads back as v (finite). */
static void put_num(cx_buf *out, double v)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	cx_buf_adds(out, tmp);
}

static void put_store(cx_buf *out, const cx_sketch_store *st)
{
	if (store_empty(st))
		return;
	cx_buf_addf(out, "%ld=", (long)st->lo);
	for (int32_t i = st->lo; i <= st->hi; i++) {
		if (i > st->lo)
			cx_buf_addc(out, ',');
		if (st->c[i - st->off] != 0)
			put_num(out, st->c[i - st->off]);
	}
}

void cx_sketch_put(const cx_sketch *s, cx_buf *out)
{
	cx_buf_adds(out, "dd1:");
	put_num(out, s->zeros);
	cx_buf_addc(out, ':');
	if (!sketch_empty(s))
		put_num(out, s->min);
	cx_buf_addc(out, ':');
	if (!sketch_empty(s))
		put_num(out, s->max);
	cx_buf_addc(out, ':');
	put_store(out, &s->pos);
	cx_buf_addc(out, ':');
	put_store(out, &s->neg);
}

/* The parser: p[i..n), never past n. */
struct cur {
	const char *p;
	size_t i, n;
};

static int peek(const struct cur *c)
{
	return c->i < c->n ? (unsigned char)c->p[c->i] : -1;
}

static int eat(struct cur *c, int ch)
{
	if (peek(c) != ch)
		return 0;
	c->i++;
	return 1;
}

static size_t digits(struct cur *c)
{
	size_t k = 0;
	while (peek(c) >= '0' && peek(c) <= '9') {
		c->i++;
		k++;
	}
	return k;
}

/* A decimal number -?D+(.D+)?([eE][+-]?D+)?, finite; sign only if neg.
 * Returns 0 if there is none here (nothing consumed), 1 if there is, -1
 * if there is something that is not one. */
static int get_num(struct cur *c, double *v, int neg)
{
	size_t start = c->i;
	if (peek(c) != '-' && !(peek(c) >= '0' && peek(c) <= '9'))
		return 0;
	if (eat(c, '-') && !neg)
		return -1;
	if (!digits(c))
		return -1;
	if (eat(c, '.') && !digits(c))
		return -1;
	if (eat(c, 'e') || eat(c, 'E')) {
		if (!eat(c, '+'))
			eat(c, '-');
		if (!digits(c))
			return -1;
	}
	char tmp[40];
	size_t len = c->i - start;
	if (len >= sizeof tmp)
		return -1;	/* nothing put writes is this long */
	memcpy(tmp, c->p + start, len);
	tmp[len] = '\0';
	*v = strtod(tmp, NULL);
	return isfinite(*v) ? 1 : -1;
}

/* A store up to the next ':' or the end; s->... empty on entry. */
static int get_store(struct cur *c, cx_sketch_store *st)
{
	if (peek(c) == ':' || peek(c) < 0)
		return 0;
	int32_t kmin = key(DBL_TRUE_MIN), kmax = key(DBL_MAX);
	int neg = eat(c, '-');
	size_t start = c->i, nd = digits(c);
	if (nd == 0 || nd > 5)
		return -1;
	int32_t lo = 0;
	for (size_t k = start; k < c->i; k++)
		lo = lo * 10 + (c->p[k] - '0');
	if (neg)
		lo = -lo;
	if (lo < kmin || lo > kmax || !eat(c, '='))
		return -1;
	int32_t i = lo;
	double w = 0;
	for (;; i++) {
		if (i - lo >= MAXB || i > kmax)
			return -1;
		int r = get_num(c, &w, 0);
		if (r < 0 || (r > 0 && !(w > 0)))
			return -1;
		if (r > 0)
			store_add(st, i, w);
		else if (i == lo)
			return -1;	/* the first bucket is not empty */
		if (!eat(c, ','))
			break;
	}
	if (st->hi != i)
		return -1;	/* nor is the last */
	return 0;
}

/* min or max x agrees with the store it is in: its bucket is the store's
 * top (an extreme), or its bottom, or below a bottom raised by collapsing. */
static int at_top(const cx_sketch_store *st, double x)
{
	return key(x) == st->hi;
}

static int at_bottom(const cx_sketch_store *st, double x)
{
	int32_t k = key(x);
	return k == st->lo || (k < st->lo && st->hi - st->lo == MAXB - 1);
}

static int consistent(const cx_sketch *s, int have_min, int have_max)
{
	const cx_sketch_store *pos = &s->pos, *neg = &s->neg;
	if (sketch_empty(s))
		return !have_min && !have_max;
	if (!have_min || !have_max || s->min > s->max)
		return 0;
	if (!store_empty(neg)) {
		if (!(s->min < 0) || !at_top(neg, -s->min))
			return 0;
	} else if (s->zeros > 0) {
		if (s->min != 0)
			return 0;
	} else if (!(s->min > 0) || !at_bottom(pos, s->min)) {
		return 0;
	}
	if (!store_empty(pos)) {
		if (!(s->max > 0) || !at_top(pos, s->max))
			return 0;
	} else if (s->zeros > 0) {
		if (s->max != 0)
			return 0;
	} else if (!(s->max < 0) || !at_bottom(neg, -s->max)) {
		return 0;
	}
	return 1;
}

int cx_sketch_get(cx_sketch *s, const char *p, size_t n)
{
	struct cur c = { p, 0, n };
	double mn = 0, mx = 0;
	int have_min, have_max;
	store_clear(&s->pos);
	store_clear(&s->neg);
	s->zeros = s->min = s->max = 0;
	if (n < 4 || memcmp(p, "dd1:", 4) != 0)
		goto bad;
	c.i = 4;
	if (get_num(&c, &s->zeros, 0) != 1 || !eat(&c, ':'))
		goto bad;
	if ((have_min = get_num(&c, &mn, 1)) < 0 || !eat(&c, ':'))
		goto bad;
	if ((have_max = get_num(&c, &mx, 1)) < 0 || !eat(&c, ':'))
		goto bad;
	if (get_store(&c, &s->pos) < 0 || !eat(&c, ':'))
		goto bad;
	if (get_store(&c, &s->neg) < 0 || c.i != n)
		goto bad;
	s->min = mn == 0 ? 0 : mn;
	s->max = mx == 0 ? 0 : mx;
	if (!consistent(s, have_min, have_max))
		goto bad;
	return 0;
bad:
	store_clear(&s->pos);
	store_clear(&s->neg);
	s->zeros = s->min = s->max = 0;
	return -1;
}
