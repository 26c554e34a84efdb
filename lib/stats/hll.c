#include "stats/hll.h"

#include <math.h>
#include <string.h>

/* Hash bits left after the index: registers hold 1..Q+1 (0 = empty). */
#define Q (64 - CX_HLL_P)

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static const char dense_tag[] = "hll14:";
static const char sparse_tag[] = "hll14s:";

void cx_hll_init(cx_hll *h)
{
	memset(h->reg, 0, sizeof h->reg);
}

void cx_hll_add_hash(cx_hll *h, uint64_t hash)
{
	size_t j = (size_t)(hash >> Q);
	uint64_t w = hash << CX_HLL_P;
	/* The low P bits of w are 0, so a nonzero w has at most Q-1 leading
	 * zeros; all Q bits zero is the one case clz cannot be asked about. */
	uint8_t r = (uint8_t)(w ? __builtin_clzll(w) + 1 : Q + 1);
	if (r > h->reg[j])
		h->reg[j] = r;
}

void cx_hll_merge(cx_hll *dst, const cx_hll *src)
{
	for (size_t j = 0; j < CX_HLL_M; j++)
		if (src->reg[j] > dst->reg[j])
			dst->reg[j] = src->reg[j];
}

/* Ertl's sigma(x) = x + sum_k x^(2^k) 2^(k-1): the correction for empty
 * registers (it is what makes small counts come out like linear counting). */
static double sigma(double x)
{
	if (x == 1)
		return INFINITY;
	double y = 1, z = x, zp;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (z != zp);
	return z;
}

/* Ertl's tau(x): the correction for registers at the top value Q+1, where
 * the hash ran out of bits (it replaces the old large-range correction). */
static double tau(double x)
{
	if (x == 0 || x == 1)
		return 0;
	double y = 1, z = 1 - x, zp;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != zp);
	return z / 3;
}

double cx_hll_count(const cx_hll *h)
{
	double m = CX_HLL_M;
	unsigned c[Q + 2] = { 0 };
	for (size_t j = 0; j < CX_HLL_M; j++)
		c[h->reg[j]]++;
	double z = m * tau(1 - c[Q + 1] / m);
	for (int k = Q; k >= 1; k--)
		z = 0.5 * (z + c[k]);
	z += m * sigma(c[0] / m);
	/* alpha_inf = 1 / (2 ln 2); an empty sketch has z = inf: 0. */
	return m * m / (2 * 0.693147180559945309417 * z);
}

static size_t nonzero(const cx_hll *h)
{
	size_t nz = 0;
	for (size_t j = 0; j < CX_HLL_M; j++)
		nz += h->reg[j] != 0;
	return nz;
}

void cx_hll_put(const cx_hll *h, cx_buf *out)
{
	size_t nz = nonzero(h);
	size_t dense = sizeof dense_tag - 1 + CX_HLL_M;
	size_t sparse = sizeof sparse_tag - 1 + 4 * nz;
	if (sparse < dense) {
		cx_buf_grow(out, sparse);
		cx_buf_add(out, sparse_tag, sizeof sparse_tag - 1);
		for (size_t j = 0; j < CX_HLL_M; j++) {
			if (!h->reg[j])
				continue;
			char d[4] = {
				b64[(j >> 12) & 63], b64[(j >> 6) & 63],
				b64[j & 63], b64[h->reg[j]],
			};
			cx_buf_add(out, d, 4);
		}
	} else {
		cx_buf_grow(out, dense);
		cx_buf_add(out, dense_tag, sizeof dense_tag - 1);
		char *p = out->p + out->len;
		for (size_t j = 0; j < CX_HLL_M; j++)
			p[j] = b64[h->reg[j]];
		out->len += CX_HLL_M;
		out->p[out->len] = '\0';
	}
}

/* The value of base64 digit c, or -1. */
static int unb64(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int has_prefix(const char *s, size_t n, const char *tag, size_t len)
{
	return n >= len && memcmp(s, tag, len) == 0;
}

int cx_hll_get(cx_hll *h, const char *s, size_t n)
{
	size_t dl = sizeof dense_tag - 1, sl = sizeof sparse_tag - 1;
	cx_hll_init(h);
	if (has_prefix(s, n, dense_tag, dl)) {
		if (n - dl != CX_HLL_M)
			return -1;
		for (size_t j = 0; j < CX_HLL_M; j++) {
			int v = unb64(s[dl + j]);
			if (v < 0 || v > Q + 1)
				goto bad;
			h->reg[j] = (uint8_t)v;
		}
		return 0;
	}
	if (!has_prefix(s, n, sparse_tag, sl) || (n - sl) % 4 != 0)
		return -1;
	long prev = -1;
	for (size_t i = sl; i < n; i += 4) {
		int d0 = unb64(s[i]), d1 = unb64(s[i + 1]);
		int d2 = unb64(s[i + 2]), v = unb64(s[i + 3]);
		if (d0 < 0 || d1 < 0 || d2 < 0 || v < 1 || v > Q + 1)
			goto bad;
		long j = (long)d0 << 12 | (long)d1 << 6 | d2;
		if (j >= CX_HLL_M || j <= prev)
			goto bad;
		h->reg[j] = (uint8_t)v;
		prev = j;
	}
	return 0;
bad:
	cx_hll_init(h);
	return -1;
}
