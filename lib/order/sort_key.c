/* sort_key: cx-sort's keys: the -k grammar, a record's key values, their
 * order, and the stable sort of an index by them.  Nothing here keeps
 * memory: the caller owns the keys, the values and the index. */
#include "order/sort.h"

#include <stdlib.h>
#include <string.h>

#include "core/cxtime.h"
#include "core/err.h"
#include "core/num.h"
#include "io/stream.h"

static const struct {
	const char *name;
	int kind;	/* -1: not a kind (desc) */
} mods[] = {
	{ "n", CX_SORT_NUM },
	{ "t", CX_SORT_TIME },
	{ "desc", -1 },
};

/* The reason, quoting the spec and the bad part as cx_shown does, so that
 * a newline or a control byte in them cannot break the message's line. */
static int bad(cx_buf *err, const char *spec, const char *what, const char *p, size_t n)
{
	cx_buf q = CX_BUF_INIT;
	cx_buf_reset(err);
	cx_buf_addf(err, "-k '%s': %s", cx_shown(&q, spec, strlen(spec)), what);
	if (p) {
		cx_buf_reset(&q);
		cx_buf_addf(err, " '%s'", cx_shown(&q, p, n));
	}
	cx_buf_free(&q);
	return -1;
}

static int parse_mods(const char *spec, const char *p, cx_sort_key *k, cx_buf *err)
{
	int seen_desc = 0;
	for (;;) {
		size_t n = strcspn(p, ",:");
		if (n == 0)
			return bad(err, spec, "empty modifier (expected n, t or desc)", NULL, 0);
		size_t m = 0;
		while (m < sizeof mods / sizeof mods[0] &&
		       (strlen(mods[m].name) != n || memcmp(mods[m].name, p, n)))
			m++;
		if (m == sizeof mods / sizeof mods[0])
			return bad(err, spec, "unknown modifier (expected n, t or desc):", p, n);
		if (mods[m].kind < 0) {
			if (seen_desc)
				return bad(err, spec, "modifier given twice:", p, n);
			seen_desc = k->desc = 1;
		} else if (k->kind != CX_SORT_BYTES) {
			return bad(err, spec, k->kind == mods[m].kind ? "modifier given twice:"
					       : "n and t exclude each other:", p, n);
		} else {
			k->kind = mods[m].kind;
		}
		p += n;
		if (!*p)
			return 0;
		p++;
	}
}

int cx_sort_key_parse(const char *spec, cx_sort_key *k, cx_buf *err)
{
	cx_buf name = CX_BUF_INIT;
	const char *p = spec;
	cx_sort_key key = { .kind = CX_SORT_BYTES };
	for (; *p && *p != ':'; p++) {
		if (*p == '\\') {
			if (p[1] != ':' && p[1] != '\\') {
				cx_buf_free(&name);
				return bad(err, spec, "a backslash in a field name is written \\\\, "
					   "a colon \\:", NULL, 0);
			}
			p++;
		}
		cx_buf_addc(&name, *p);
	}
	if (!name.len) {
		cx_buf_free(&name);
		return bad(err, spec, "no field name (expected FIELD[:n|t|desc,...])", NULL, 0);
	}
	if (*p == ':' && parse_mods(spec, p + 1, &key, err) < 0) {
		cx_buf_free(&name);
		return -1;
	}
	key.field = name.p;
	*k = key;
	return 0;
}

void cx_sort_val_set(const cx_sort_key *k, cx_sort_val *val, const char *p, size_t n)
{
	val->p = p;
	val->n = n;
	val->miss = 0;
	if (k->kind == CX_SORT_NUM)
		val->miss = cx_num_parse(p, n, &val->v.num) != CX_NUM_OK;
	else if (k->kind == CX_SORT_TIME)
		val->miss = cx_time_parse(p, n, &val->v.t) != 0;
}

int cx_sort_extract(const cx_sort_key *keys, size_t nkeys, const char *line, size_t n,
		    cx_slice *fields, size_t nfields, cx_sort_val *vals, cx_buf *scratch)
{
	const char *p = line, *e = line + n;
	for (size_t i = 0; i < nfields; i++) {
		if (!p)
			return -1;
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		fields[i].p = p;
		fields[i].n = (size_t)((tab ? tab : e) - p);
		p = tab ? tab + 1 : NULL;
	}
	int reserved = 0;
	for (size_t i = 0; i < nkeys; i++) {
		cx_slice f = fields[keys[i].col];
		if (f.n && memchr(f.p, '\\', f.n)) {
			if (!reserved) {
				/* Unescaped values are never longer than the line:
				 * no reallocation moves the earlier ones. */
				cx_buf_reset(scratch);
				cx_buf_grow(scratch, n);
				reserved = 1;
			}
			size_t at = scratch->len;
			if (cx_unescape(scratch, f.p, f.n))
				return -1;
			f.p = scratch->p + at;
			f.n = scratch->len - at;
		}
		cx_sort_val_set(&keys[i], &vals[i], f.p, f.n);
	}
	return 0;
}

/* A top-down merge sort: stable, n log n compares in the worst case, and
 * on input already sorted (a common case: records by time) one compare
 * per pair of halves, thanks to the test before each merge. */
static void msort(const cx_sort_key *keys, size_t nk, const cx_sort_val *vals, uint32_t *a,
		  uint32_t *tmp, size_t n)
{
	if (n <= 12) {
		for (size_t i = 1; i < n; i++) {
			uint32_t x = a[i];
			size_t j = i;
			while (j > 0 && cx_sort_cmp(keys, nk, vals + (size_t)a[j - 1] * nk,
						    vals + (size_t)x * nk) > 0) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	msort(keys, nk, vals, a, tmp, h);
	msort(keys, nk, vals, a + h, tmp, n - h);
	if (cx_sort_cmp(keys, nk, vals + (size_t)a[h - 1] * nk, vals + (size_t)a[h] * nk) <= 0)
		return;
	memcpy(tmp, a, h * sizeof *a);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n) {
		/* <= takes the left one on a tie: that is the stability. */
		if (cx_sort_cmp(keys, nk, vals + (size_t)tmp[i] * nk, vals + (size_t)a[j] * nk) <= 0)
			a[o++] = tmp[i++];
		else
			a[o++] = a[j++];
	}
	while (i < h)
		a[o++] = tmp[i++];
}

void cx_sort_index(const cx_sort_key *keys, size_t nkeys, const cx_sort_val *vals,
		   uint32_t *idx, uint32_t *tmp, size_t n)
{
	msort(keys, nkeys, vals, idx, tmp, n);
}
