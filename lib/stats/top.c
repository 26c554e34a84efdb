/*
 * top.c: groups summed, ranked within their parent, cut to the first N,
 * and written with their shares and the Pareto flag (top.h says what and
 * why; man/cx-top.1 is the contract).
 */
#include "stats/top.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/opt.h"

/* Exact sums keep at most this many decimals: 10^15 is the largest power
 * of ten below 2^53, so that v * 10^d is still exact enough to round. */
#define MAX_SCALE 15
/* A value of more units than this is not made exact by llround (the
 * double and the product each err by up to 2^-53 of it). */
#define MAX_UNITS 0x1p51

struct cx_top {
	size_t np, ng;		/* parent and group values per record */
	cx_keys keys;		/* parent values + group values -> group id */
	cx_keys parents;	/* parent values -> parent id */
	uint32_t *gpid;		/* per group: its parent */
	size_t *goff;		/* per group: where its group values start in its key */
	int64_t *units;		/* per group: the exact sum, in units of 10^-scale */
	double *dsum;		/* per group: the sum as a double, always kept */
	size_t cap;
	int scale;		/* the units' decimals */
	int decimals;		/* most decimals of a value added */
	int exact;		/* units[] is the sum (else dsum[]) */
	cx_buf key;
	cx_top_row *rows;
	size_t nrows;
};

static const double pow10[MAX_SCALE + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

cx_top *cx_top_new(size_t nparent, size_t ngroup)
{
	cx_top *t = cx_calloc(1, sizeof *t);
	t->np = nparent;
	t->ng = ngroup;
	t->exact = 1;
	cx_keys init = CX_KEYS_INIT;
	t->keys = init;
	t->parents = init;
	return t;
}

void cx_top_free(cx_top *t)
{
	if (!t)
		return;
	cx_keys_free(&t->keys);
	cx_keys_free(&t->parents);
	free(t->gpid);
	free(t->goff);
	free(t->units);
	free(t->dsum);
	cx_buf_free(&t->key);
	free(t->rows);
	free(t);
}

/* The decimals a number is written with: digits after the point less the
 * exponent ("2.50" 2, "25e-1" 1, "1.5e3" 0).  s is a number by
 * cx_num_parse's grammar; a huge exponent saturates. */
static int text_decimals(const char *s, size_t n)
{
	size_t i = 0;
	long frac = 0, ex = 0;
	int eneg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (ex < 100000)
				ex = ex * 10 + (s[i] - '0');
	}
	long d = frac + (eneg ? ex : -ex);
	return d < 0 ? 0 : d > 100000 ? 100000 : (int)d;
}

static size_t group_of(cx_top *t, const cx_slice *vals)
{
	cx_buf *k = &t->key;
	cx_buf_reset(k);
	size_t poff = 0;
	for (size_t i = 0; i < t->np + t->ng; i++) {
		cx_buf_add(k, vals[i].p, vals[i].n);
		cx_buf_addc(k, '\t');
		if (i + 1 == t->np)
			poff = k->len;
	}
	int added;
	uint32_t gid = cx_keys_intern(&t->keys, k->p, k->len, &added);
	if (!added)
		return gid;
	if (gid >= t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		t->gpid = cx_realloc(t->gpid, cap * sizeof *t->gpid);
		t->goff = cx_realloc(t->goff, cap * sizeof *t->goff);
		t->units = cx_realloc(t->units, cap * sizeof *t->units);
		t->dsum = cx_realloc(t->dsum, cap * sizeof *t->dsum);
		t->cap = cap;
	}
	t->gpid[gid] = cx_keys_intern(&t->parents, k->p, poff, NULL);
	t->goff[gid] = poff;
	t->units[gid] = 0;
	t->dsum[gid] = 0;
	return gid;
}

/* Every exact sum in units of 10^-d instead of 10^-scale; 0 if one would
 * not fit. */
static int rescale(cx_top *t, int d)
{
	int64_t f = (int64_t)pow10[d - t->scale];
	for (size_t g = 0; g < t->keys.n; g++)
		if (__builtin_mul_overflow(t->units[g], f, &t->units[g]))
			return 0;
	t->scale = d;
	return 1;
}

static void add_exact(cx_top *t, size_t gid, double v, int d)
{
	if (d > t->scale && (d > MAX_SCALE || !rescale(t, d))) {
		t->exact = 0;
		return;
	}
	double m = v * pow10[t->scale];
	if (m >= MAX_UNITS || __builtin_add_overflow(t->units[gid], (int64_t)llround(m), &t->units[gid]))
		t->exact = 0;
}

int cx_top_add(cx_top *t, const cx_slice *vals, const char *num, size_t n)
{
	double v = 1;
	int d = 0;
	if (num) {
		if (n == 0)
			return CX_TOP_MISSING;
		int rc = cx_num_parse(num, n, &v);
		if (rc < 0)
			return rc;
		if (v < 0)
			return CX_TOP_NEGATIVE;
		d = text_decimals(num, n);
	}
	size_t gid = group_of(t, vals);
	t->dsum[gid] += v;
	if (d > t->decimals)
		t->decimals = d;
	if (t->exact)
		add_exact(t, gid, v, d);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Ranking                                                              */

/* Two keys of TAB-terminated escaped values, value by value in byte
 * order, a shorter value (a prefix) first: "a" < "a\x01" < "ab", which
 * comparing the keys whole would not give (TAB is 0x09). */
static int cmp_keys(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && bn) {
		const char *ta = memchr(a, '\t', an), *tb = memchr(b, '\t', bn);
		size_t la = (size_t)(ta - a), lb = (size_t)(tb - b);
		int c = memcmp(a, b, la < lb ? la : lb);
		if (c)
			return c;
		if (la != lb)
			return la < lb ? -1 : 1;
		a += la + 1, an -= la + 1;
		b += lb + 1, bn -= lb + 1;
	}
	return (an > 0) - (bn > 0);
}

const char *cx_top_parent_key(const cx_top *t, uint32_t parent, size_t *n)
{
	return cx_keys_get(&t->parents, parent, n);
}

const char *cx_top_group_key(const cx_top *t, uint32_t group, size_t *n)
{
	size_t kn;
	const char *k = cx_keys_get(&t->keys, group, &kn);
	*n = kn - t->goff[group];
	return k + t->goff[group];
}

static const cx_top *sort_top;
static const uint32_t *sort_prank;

static int cmp_pids(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	size_t an, bn;
	const char *ka = cx_top_parent_key(sort_top, a, &an), *kb = cx_top_parent_key(sort_top, b, &bn);
	return cmp_keys(ka, an, kb, bn);
}

/* Parent in key order, then value descending, then group key: a total
 * order, so the result does not depend on qsort's. */
static int cmp_groups(const void *pa, const void *pb)
{
	const cx_top *t = sort_top;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	uint32_t ra = sort_prank[t->gpid[a]], rb = sort_prank[t->gpid[b]];
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (t->exact ? t->units[a] != t->units[b] : t->dsum[a] != t->dsum[b])
		return (t->exact ? t->units[a] > t->units[b] : t->dsum[a] > t->dsum[b]) ? -1 : 1;
	size_t an, bn;
	const char *ka = cx_top_group_key(t, a, &an), *kb = cx_top_group_key(t, b, &bn);
	return cmp_keys(ka, an, kb, bn);
}

/* The groups of one parent, order[0..k): their rows, the first n of them
 * (0: all), then the rest's row if asked for and there is a rest. */
static void rank_parent(cx_top *t, const uint32_t *order, size_t k, unsigned long long n,
			double pareto, int others)
{
	int64_t total = 0;
	double dtotal = 0;
	/* cx_top_rows() saw that the parents' totals fit. */
	for (size_t i = 0; i < k; i++) {
		dtotal += t->dsum[order[i]];
		total += t->exact ? t->units[order[i]] : 0;
	}
	int has_share = t->exact ? total > 0 : dtotal > 0;
	int64_t run = 0, rest = 0;
	double drun = 0, drest = 0;
	int reached = 0, rest_vital = 0;
	for (size_t i = 0; i < k; i++) {
		uint32_t g = order[i];
		run += t->exact ? t->units[g] : 0;
		drun += t->dsum[g];
		cx_top_row row = { .parent = t->gpid[g], .group = g, .rank = i + 1,
				   .has_share = has_share, .units = t->units[g], .value = t->dsum[g] };
		if (has_share) {
			row.share = t->exact ? (double)t->units[g] / (double)total : t->dsum[g] / dtotal;
			row.cum_share = t->exact ? (double)run / (double)total : drun / dtotal;
			row.vital = !reached;
			if (row.cum_share >= pareto)
				reached = 1;
		}
		if (n == 0 || i < n) {
			t->rows[t->nrows++] = row;
			continue;
		}
		rest += row.units;
		drest += row.value;
		rest_vital |= row.vital;
	}
	if (!others || n == 0 || k <= n)
		return;
	cx_top_row row = { .parent = t->gpid[order[0]], .group = CX_TOP_OTHERS, .rank = 0,
			   .vital = rest_vital, .has_share = has_share, .units = rest, .value = drest };
	if (has_share) {
		row.share = t->exact ? (double)rest / (double)total : drest / dtotal;
		row.cum_share = 1;
	}
	t->rows[t->nrows++] = row;
}

const cx_top_row *cx_top_rows(cx_top *t, unsigned long long n, double pareto, int others,
			      size_t *nrows)
{
	size_t ng = t->keys.n, npar = t->parents.n;
	uint32_t *order = cx_malloc((ng + 1) * sizeof *order);
	uint32_t *pids = cx_malloc((npar + 1) * sizeof *pids);
	uint32_t *prank = cx_malloc((npar + 1) * sizeof *prank);
	for (uint32_t p = 0; p < npar; p++)
		pids[p] = p;
	sort_top = t;
	qsort(pids, npar, sizeof *pids, cmp_pids);
	for (uint32_t i = 0; i < npar; i++)
		prank[pids[i]] = i;
	/* A parent's total may overflow where no group did: known only
	 * here, and it must be known before the groups are compared. */
	if (t->exact) {
		int64_t *tot = cx_calloc(npar + 1, sizeof *tot);
		for (size_t g = 0; g < ng && t->exact; g++)
			if (__builtin_add_overflow(tot[t->gpid[g]], t->units[g], &tot[t->gpid[g]]))
				t->exact = 0;
		free(tot);
	}
	for (uint32_t g = 0; g < ng; g++)
		order[g] = g;
	sort_prank = prank;
	qsort(order, ng, sizeof *order, cmp_groups);
	free(t->rows);
	t->rows = cx_malloc((ng + npar + 1) * sizeof *t->rows);
	t->nrows = 0;
	for (size_t i = 0; i < ng;) {
		size_t j = i + 1;
		while (j < ng && t->gpid[order[j]] == t->gpid[order[i]])
			j++;
		rank_parent(t, order + i, j - i, n, pareto, others);
		i = j;
	}
	free(order);
	free(pids);
	free(prank);
	*nrows = t->nrows;
	return t->rows;
}

void cx_top_put_value(const cx_top *t, const cx_top_row *row, cx_buf *b)
{
	if (!t->exact) {
		cx_num_put(b, row->value, t->decimals > MAX_SCALE ? MAX_SCALE : t->decimals);
		return;
	}
	/* Whole units and the decimals as digits: no rounding at all. */
	int64_t one = (int64_t)pow10[t->scale];
	cx_buf_addf(b, "%lld", (long long)(row->units / one));
	if (t->scale > 0)
		cx_buf_addf(b, ".%0*lld", t->scale, (long long)(row->units % one));
}

/* ------------------------------------------------------------------ */
/* The run                                                              */

static const char *const computed[] = { "share", "cum_share", "rank", "vital" };

static void check_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				cx_usage_error("field '%s' would be an output field twice (-p, -g and -v name "
					       "output fields, beside share, cum_share, rank and vital)",
					       names[i]);
}

/* The output's names: parent fields, group fields, the value, the
 * computed columns; malloc'd, count in *n. */
static char **output_names(const cx_top_conf *c, size_t *np, size_t *ng, size_t *n)
{
	size_t kp = 0, kg = 0;
	char **p = c->parent ? cx_split_list(c->parent, &kp) : NULL;
	char **g = cx_split_list(c->group, &kg);
	char **all = cx_malloc((kp + kg + 5) * sizeof *all);
	size_t k = 0;
	for (size_t i = 0; i < kp; i++)
		all[k++] = p[i];
	for (size_t i = 0; i < kg; i++)
		all[k++] = g[i];
	all[k++] = cx_strdup(c->value ? c->value : "complaints");
	for (size_t i = 0; i < 4; i++)
		all[k++] = cx_strdup(computed[i]);
	free(p);
	free(g);
	*np = kp;
	*ng = kg;
	*n = k;
	return all;
}

void cx_top_check(const cx_top_conf *c)
{
	size_t np, ng, n;
	char **names = output_names(c, &np, &ng, &n);
	check_names(names, n);
	cx_free_list(names, n);
}

static void write_rows(cx_top *t, const cx_top_row *rows, size_t nrows, cx_output *o)
{
	cx_buf b = CX_BUF_INIT;
	for (size_t i = 0; i < nrows; i++) {
		const cx_top_row *row = &rows[i];
		size_t n;
		const char *k = cx_top_parent_key(t, row->parent, &n);
		cx_out_raw(o, k, n);
		if (row->group == CX_TOP_OTHERS) {
			for (size_t j = 0; j < t->ng; j++)
				cx_out_s(o, "(other)\t");
		} else {
			k = cx_top_group_key(t, row->group, &n);
			cx_out_raw(o, k, n);
		}
		cx_buf_reset(&b);
		cx_top_put_value(t, row, &b);
		cx_buf_addc(&b, '\t');
		if (row->has_share) {
			cx_num_put(&b, row->share, 4);
			cx_buf_addc(&b, '\t');
			cx_num_put(&b, row->cum_share, 4);
		} else {
			cx_buf_addc(&b, '\t');
		}
		cx_buf_addc(&b, '\t');
		if (row->rank)
			cx_buf_addf(&b, "%llu", row->rank);
		cx_buf_addc(&b, '\t');
		cx_buf_addc(&b, row->vital ? '1' : '0');
		cx_out_raw(o, b.p, b.len);
		cx_out_eol(o);
	}
	cx_buf_free(&b);
}

int cx_top_run(const cx_top_conf *c, cx_reader *r, cx_output *o)
{
	size_t np, ng, nnames;
	char **names = output_names(c, &np, &ng, &nnames);
	check_names(names, nnames);
	size_t nv = np + ng;
	size_t *idx = cx_malloc((nv + 1) * sizeof *idx);
	size_t last = 0;
	for (size_t i = 0; i < nv; i++) {
		idx[i] = cx_reader_need(r, names[i]);
		last = idx[i] > last ? idx[i] : last;
	}
	long vf = c->value ? (long)cx_reader_need(r, c->value) : -1;
	if (vf >= 0 && (size_t)vf > last)
		last = (size_t)vf;
	cx_reader_split(r, last + 1);

	cx_top *t = cx_top_new(np, ng);
	cx_slice *vals = cx_calloc(nv + 1, sizeof *vals);
	cx_buf scratch = CX_BUF_INIT;
	unsigned long long missing = 0;
	while (cx_reader_next(r)) {
		for (size_t i = 0; i < nv; i++) {
			vals[i] = r->f[idx[i]];
			/* Written out as they came (escaped): check them. */
			if (memchr(vals[i].p, '\\', vals[i].n))
				cx_rec_get(r, idx[i], &scratch);
		}
		int rc;
		if (vf >= 0) {
			cx_slice v = cx_rec_get(r, (size_t)vf, &scratch);
			rc = cx_top_add(t, vals, v.n ? v.p : "", v.n);
		} else {
			rc = cx_top_add(t, vals, NULL, 0);
		}
		if (rc == CX_TOP_MISSING)
			missing++;
		else if (rc == CX_TOP_NEGATIVE)
			cx_rec_bad_field(r, (size_t)vf, "negative (a Pareto needs values of 0 or more)");
		else if (rc < 0)
			cx_rec_bad_field(r, (size_t)vf, cx_num_strerror(rc));
	}

	cx_out_header(o, names, nnames);
	size_t nrows;
	const cx_top_row *rows = cx_top_rows(t, c->n, c->pareto, c->others, &nrows);
	write_rows(t, rows, nrows, o);
	if (missing)
		cx_warn("%llu record%s with an empty %s %s not counted", missing, missing == 1 ? "" : "s",
			names[nv], missing == 1 ? "was" : "were");
	cx_top_free(t);
	cx_buf_free(&scratch);
	free(vals);
	free(idx);
	cx_free_list(names, nnames);
	return CX_EXIT_OK;
}
