/*
 * bayes: multinomial naive Bayes on character n-grams.  See bayes.h.
 */
#include "text/bayes.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "io/stream.h"
#include "core/utf8.h"

/* ---- features ---- */

enum { K_BREAK, K_CJK, K_WORD };

/* The kind of a code point; for a word character, *ascii gets its
 * lower-cased ASCII form, or 0 when the bytes are kept as they are. */
static int cp_kind(uint32_t c, char *ascii)
{
	*ascii = 0;
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z') {
			*ascii = (char)(c - 'A' + 'a');
			return K_WORD;
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			*ascii = (char)c;
			return K_WORD;
		}
		return K_BREAK;
	}
	if (c >= 0x4E00 && c <= 0x9FFF)
		return K_CJK;
	if (c >= 0xFF10 && c <= 0xFF5A) {	/* full-width forms */
		if (c <= 0xFF19) {
			*ascii = (char)('0' + (c - 0xFF10));
			return K_WORD;
		}
		if (c >= 0xFF21 && c <= 0xFF3A) {
			*ascii = (char)('a' + (c - 0xFF21));
			return K_WORD;
		}
		if (c >= 0xFF41) {
			*ascii = (char)('a' + (c - 0xFF41));
			return K_WORD;
		}
		return K_BREAK;
	}
	if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x20000 && c <= 0x3134F) ||
	    (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || (c >= 0x31F0 && c <= 0x31FF) ||
	    (c >= 0xFF66 && c <= 0xFF9F) ||
	    (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
	    (c >= 0xAC00 && c <= 0xD7AF))
		return K_CJK;
	if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x370 && c <= 0x52F))
		return K_WORD;
	return K_BREAK;
}

typedef void (*gram_fn)(void *arg, const char *gram, size_t len);

static void grams(const char *t, size_t n, cx_buf *word, gram_fn fn, void *arg)
{
	size_t i = 0, p1 = 0, p2 = 0;	/* starts of the previous 1 and 2 CJK chars */
	int cjk = 0;			/* CJK characters so far in the run (max 2) */
	cx_buf_reset(word);
	while (i <= n) {
		uint32_t c = 0;
		size_t len = 0;
		char ascii = 0;
		int kind = K_BREAK;
		if (i < n) {
			len = cx_utf8_decode(t + i, n - i, &c);
			kind = cp_kind(c, &ascii);
		}
		if (kind != K_WORD && word->len) {
			fn(arg, word->p, word->len);
			cx_buf_reset(word);
		}
		if (kind == K_CJK) {
			size_t end = i + len;
			fn(arg, t + i, len);
			if (cjk >= 1)
				fn(arg, t + p1, end - p1);
			if (cjk >= 2)
				fn(arg, t + p2, end - p2);
			p2 = p1;
			p1 = i;
			if (cjk < 2)
				cjk++;
		} else {
			cjk = 0;
			if (kind == K_WORD) {
				if (ascii)
					cx_buf_addc(word, ascii);
				else
					cx_buf_add(word, t + i, len);
			}
		}
		if (i == n)
			break;
		i += len;
	}
}

void cx_bayes_grams(const char *text, size_t n, gram_fn fn, void *arg)
{
	cx_buf word = CX_BUF_INIT;
	grams(text, n, &word, fn, arg);
	cx_buf_free(&word);
}

/* ---- the model ---- */

#define LOGTAB 4096

struct cx_bayes {
	cx_keys labels;		/* label -> class id (sorted order once finished) */
	cx_keys vocab;		/* gram -> feature id */
	uint32_t *counts;	/* [feature * stride + class] */
	size_t stride;		/* classes per feature row (>= nlabels) */
	size_t vcap;		/* feature rows allocated */
	uint64_t *docs;		/* per class: training documents */
	size_t dcap;
	int finished;
	/* derived (finish / load) */
	double *logprior;	/* per class */
	double *logden;		/* per class: log(N_y + V) */
	double *logtab;		/* log(k + 1), k < LOGTAB */
	cx_buf scratch;		/* word building while training */
	/* training: the class of the document being added */
	size_t cur;
};

cx_bayes *cx_bayes_new(void)
{
	cx_bayes *m = cx_calloc(1, sizeof *m);
	m->labels = (cx_keys)CX_KEYS_INIT;
	m->vocab = (cx_keys)CX_KEYS_INIT;
	m->scratch = (cx_buf)CX_BUF_INIT;
	m->stride = 2;
	return m;
}

void cx_bayes_free(cx_bayes *m)
{
	if (!m)
		return;
	cx_keys_free(&m->labels);
	cx_keys_free(&m->vocab);
	free(m->counts);
	free(m->docs);
	free(m->logprior);
	free(m->logden);
	free(m->logtab);
	cx_buf_free(&m->scratch);
	free(m);
}

size_t cx_bayes_nlabels(const cx_bayes *m)
{
	return m->labels.n;
}

size_t cx_bayes_nfeatures(const cx_bayes *m)
{
	return m->vocab.n;
}

const char *cx_bayes_label(const cx_bayes *m, size_t i)
{
	if (i >= m->labels.n)
		return NULL;
	return cx_keys_get(&m->labels, (uint32_t)i, NULL);
}

/* Room for feature row id. */
static void need_rows(cx_bayes *m, size_t id)
{
	if (id < m->vcap)
		return;
	size_t cap = m->vcap ? m->vcap : 1024;
	while (cap <= id)
		cap *= 2;
	m->counts = cx_realloc(m->counts, cap * m->stride * sizeof *m->counts);
	memset(m->counts + m->vcap * m->stride, 0, (cap - m->vcap) * m->stride * sizeof *m->counts);
	m->vcap = cap;
}

/* Room for class c: widen every row when needed. */
static void need_class(cx_bayes *m, size_t c)
{
	if (c >= m->dcap) {
		size_t cap = m->dcap ? 2 * m->dcap : 8;
		while (cap <= c)
			cap *= 2;
		m->docs = cx_realloc(m->docs, cap * sizeof *m->docs);
		memset(m->docs + m->dcap, 0, (cap - m->dcap) * sizeof *m->docs);
		m->dcap = cap;
	}
	if (c < m->stride)
		return;
	size_t ns = m->stride;
	while (ns <= c)
		ns *= 2;
	uint32_t *nc = NULL;
	if (m->vcap) {
		nc = cx_calloc(m->vcap * ns, sizeof *nc);
		for (size_t f = 0; f < m->vocab.n; f++)
			memcpy(nc + f * ns, m->counts + f * m->stride, m->stride * sizeof *nc);
	}
	free(m->counts);
	m->counts = nc;
	m->stride = ns;
}

static void count_gram(void *arg, const char *g, size_t len)
{
	cx_bayes *m = arg;
	uint32_t id = cx_keys_intern(&m->vocab, g, len, NULL);
	need_rows(m, id);
	uint32_t *p = &m->counts[(size_t)id * m->stride + m->cur];
	if (*p == UINT32_MAX)
		cx_die(CX_EXIT_DATA, "naive Bayes: a feature count passes 4294967295");
	(*p)++;
}

void cx_bayes_add(cx_bayes *m, const char *label, size_t llen, const char *text, size_t tlen)
{
	if (m->finished)
		cx_die(CX_EXIT_USAGE, "cx_bayes_add after cx_bayes_finish");
	uint32_t c = cx_keys_intern(&m->labels, label, llen, NULL);
	need_class(m, c);
	m->docs[c]++;
	m->cur = c;
	grams(text, tlen, &m->scratch, count_gram, m);
}

/* Priors, denominators, the log table; counts laid out with stride =
 * nlabels. */
static void derive(cx_bayes *m)
{
	size_t C = m->labels.n, V = m->vocab.n;
	free(m->logprior);
	free(m->logden);
	m->logprior = cx_calloc(C ? C : 1, sizeof *m->logprior);
	m->logden = cx_calloc(C ? C : 1, sizeof *m->logden);
	uint64_t D = 0;
	for (size_t c = 0; c < C; c++)
		D += m->docs[c];
	for (size_t c = 0; c < C; c++) {
		uint64_t N = 0;
		for (size_t f = 0; f < V; f++)
			N += m->counts[f * m->stride + c];
		m->logprior[c] = log((double)m->docs[c] / (double)D);
		m->logden[c] = log((double)N + (double)V);
	}
	if (!m->logtab) {
		m->logtab = cx_malloc(LOGTAB * sizeof *m->logtab);
		for (size_t k = 0; k < LOGTAB; k++)
			m->logtab[k] = log((double)k + 1);
	}
	m->finished = 1;
}

static int cmp_label(const void *a, const void *b, const cx_keys *k)
{
	size_t na, nb;
	const char *pa = cx_keys_get(k, *(const uint32_t *)a, &na);
	const char *pb = cx_keys_get(k, *(const uint32_t *)b, &nb);
	int r = memcmp(pa, pb, na < nb ? na : nb);
	return r ? r : (na > nb) - (na < nb);
}

static const cx_keys *sort_keys;
static int cmp_sorted(const void *a, const void *b)
{
	return cmp_label(a, b, sort_keys);
}

/* Ids of table k in byte order of their keys (malloc'd). */
static uint32_t *sorted_ids(const cx_keys *k)
{
	uint32_t *ids = cx_malloc((k->n ? k->n : 1) * sizeof *ids);
	for (size_t i = 0; i < k->n; i++)
		ids[i] = (uint32_t)i;
	sort_keys = k;
	qsort(ids, k->n, sizeof *ids, cmp_sorted);
	return ids;
}

void cx_bayes_finish(cx_bayes *m)
{
	if (m->finished)
		return;
	size_t C = m->labels.n, V = m->vocab.n;
	uint32_t *order = sorted_ids(&m->labels);
	cx_keys nl = CX_KEYS_INIT;
	for (size_t i = 0; i < C; i++) {
		size_t n;
		const char *p = cx_keys_get(&m->labels, order[i], &n);
		cx_keys_intern(&nl, p, n, NULL);
	}
	size_t S = C ? C : 1;
	uint32_t *nc = cx_calloc(V ? V * S : 1, sizeof *nc);
	uint64_t *nd = cx_calloc(S, sizeof *nd);
	for (size_t i = 0; i < C; i++) {
		nd[i] = m->docs[order[i]];
		for (size_t f = 0; f < V; f++)
			nc[f * S + i] = m->counts[f * m->stride + order[i]];
	}
	free(order);
	cx_keys_free(&m->labels);
	m->labels = nl;
	free(m->counts);
	free(m->docs);
	m->counts = nc;
	m->docs = nd;
	m->stride = S;
	m->vcap = V;
	m->dcap = S;
	cx_buf_free(&m->scratch);
	derive(m);
}

/* ---- classification ---- */

struct score_ctx {
	const cx_bayes *m;
	double *s;
	size_t hits;
};

static void score_gram(void *arg, const char *g, size_t len)
{
	struct score_ctx *x = arg;
	long id = cx_keys_find(&x->m->vocab, g, len);
	if (id < 0)
		return;
	x->hits++;
	const uint32_t *row = x->m->counts + (size_t)id * x->m->stride;
	size_t C = x->m->labels.n;
	for (size_t c = 0; c < C; c++) {
		uint32_t k = row[c];
		x->s[c] += k < LOGTAB ? x->m->logtab[k] : log((double)k + 1);
	}
}

size_t cx_bayes_classify(const cx_bayes *m, const char *text, size_t n, double *prob)
{
	size_t C = m->labels.n;
	if (!C)
		return 0;
	double local[64];
	double *s = prob ? prob : C <= 64 ? local : cx_malloc(C * sizeof *s);
	for (size_t c = 0; c < C; c++)
		s[c] = 0;
	struct score_ctx x = { m, s, 0 };
	cx_buf word = CX_BUF_INIT;
	grams(text, n, &word, score_gram, &x);
	cx_buf_free(&word);
	size_t best = 0;
	for (size_t c = 0; c < C; c++) {
		s[c] += m->logprior[c];
		if (x.hits)	/* (V = 0 makes logden -inf) */
			s[c] -= (double)x.hits * m->logden[c];
		if (s[c] > s[best])
			best = c;
	}
	if (prob) {
		double max = s[best], sum = 0;
		for (size_t c = 0; c < C; c++) {
			s[c] = exp(s[c] - max);
			sum += s[c];
		}
		for (size_t c = 0; c < C; c++)
			s[c] /= sum;
	} else if (s != local) {
		free(s);
	}
	return best;
}

/* ---- the model file ---- */

static void out_count(cx_output *o, uint64_t v)
{
	char tmp[24];
	int k = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	cx_out_raw(o, tmp, (size_t)k);
}

void cx_bayes_save(const cx_bayes *m, cx_output *o)
{
	size_t C = m->labels.n, V = m->vocab.n;
	cx_out_s(o, "kind\tclass\tfeature\tcount\n");
	cx_out_s(o, "format\t\tcx-bayes\t");
	out_count(o, CX_BAYES_VERSION);
	cx_out_eol(o);
	cx_out_s(o, "vocab\t\t\t");
	out_count(o, V);
	cx_out_eol(o);
	for (size_t c = 0; c < C; c++) {
		size_t n;
		const char *p = cx_keys_get(&m->labels, (uint32_t)c, &n);
		cx_out_s(o, "class\t");
		cx_out_field(o, p, n);
		cx_out_s(o, "\t\t");
		out_count(o, m->docs[c]);
		cx_out_eol(o);
	}
	uint32_t *order = sorted_ids(&m->vocab);
	for (size_t i = 0; i < V; i++) {
		size_t gn;
		const char *g = cx_keys_get(&m->vocab, order[i], &gn);
		const uint32_t *row = m->counts + (size_t)order[i] * m->stride;
		for (size_t c = 0; c < C; c++) {
			if (!row[c])
				continue;
			size_t ln;
			const char *l = cx_keys_get(&m->labels, (uint32_t)c, &ln);
			cx_out_s(o, "feature\t");
			cx_out_field(o, l, ln);
			cx_out_c(o, '\t');
			cx_out_field(o, g, gn);
			cx_out_c(o, '\t');
			out_count(o, row[c]);
			cx_out_eol(o);
		}
	}
	free(order);
}

/* A count as the file holds it: digits, no leading zero, <= max. */
static int parse_count(cx_slice s, uint64_t max, uint64_t *v)
{
	if (s.n == 0 || s.n > 20 || (s.n > 1 && s.p[0] == '0'))
		return 0;
	uint64_t x = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
		unsigned d = (unsigned)(s.p[i] - '0');
		if (x > (max - d) / 10)
			return 0;
		x = x * 10 + d;
	}
	*v = x;
	return 1;
}

static int slice_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int r = memcmp(a, b, na < nb ? na : nb);
	return r ? r : (na > nb) - (na < nb);
}

/* The model being loaded: reachable from here when a bad file ends the
 * program, so that leak checkers do not count it as lost. */
static cx_bayes *volatile loading;

cx_bayes *cx_bayes_load(const char *path)
{
	char *paths[1] = { (char *)(path ? path : "-") };
	cx_reader *r = cx_reader_open(paths, 1);
	static const char *const names[4] = { "kind", "class", "feature", "count" };
	if (r->nfields != 4)
		cx_die_at(CX_EXIT_DATA, r->file, 1, "not a cx-bayes model: the header must be kind, class, feature, count");
	for (size_t i = 0; i < 4; i++)
		if (strcmp(r->names[i], names[i]))
			cx_die_at(CX_EXIT_DATA, r->file, 1, "not a cx-bayes model: the header must be kind, class, feature, count");
	cx_bayes *m = cx_bayes_new();
	loading = m;
	cx_buf sk = CX_BUF_INIT, sc = CX_BUF_INIT, sf = CX_BUF_INIT, sn = CX_BUF_INIT;
	cx_buf prev_g = CX_BUF_INIT;
	long prev_c = -1;
	int state = 0;		/* 0 want format, 1 want vocab, 2 classes, 3 features */
	uint64_t vocab = 0;
	while (cx_reader_next(r)) {
		cx_slice kind = cx_rec_get(r, 0, &sk);
		cx_slice cls = cx_rec_get(r, 1, &sc);
		cx_slice feat = cx_rec_get(r, 2, &sf);
		cx_slice num = cx_rec_get(r, 3, &sn);
#define IS(s, lit) ((s).n == sizeof(lit) - 1 && !memcmp((s).p, lit, (s).n))
#define BAD(...) cx_die_at(CX_EXIT_DATA, r->file, r->line, __VA_ARGS__)
		uint64_t v;
		if (state == 0) {
			if (!IS(kind, "format") || !IS(feat, "cx-bayes") || cls.n)
				BAD("not a cx-bayes model: the first record must be 'format', 'cx-bayes'");
			if (!parse_count(num, UINT32_MAX, &v))
				BAD("bad model version '%.*s'", (int)num.n, num.p);
			if (v != CX_BAYES_VERSION)
				BAD("model version %llu is not supported (this is version %d)",
				    (unsigned long long)v, CX_BAYES_VERSION);
			state = 1;
		} else if (state == 1) {
			if (!IS(kind, "vocab") || cls.n || feat.n)
				BAD("expected the 'vocab' record");
			if (!parse_count(num, UINT32_MAX, &vocab))
				BAD("bad vocabulary size '%.*s'", (int)num.n, num.p);
			state = 2;
		} else if (IS(kind, "class")) {
			if (state != 2)
				BAD("a 'class' record after the features");
			if (feat.n)
				BAD("a 'class' record with a feature");
			if (!parse_count(num, UINT32_MAX, &v) || v == 0)
				BAD("bad document count '%.*s'", (int)num.n, num.p);
			size_t C = m->labels.n;
			if (C) {
				size_t pn;
				const char *pp = cx_keys_get(&m->labels, (uint32_t)(C - 1), &pn);
				if (slice_cmp(pp, pn, cls.p, cls.n) >= 0)
					BAD("class '%.*s' out of order or repeated", (int)cls.n, cls.p);
			}
			uint32_t c = cx_keys_intern(&m->labels, cls.p, cls.n, NULL);
			need_class(m, c);
			m->docs[c] = v;
		} else if (IS(kind, "feature")) {
			if (state == 2) {
				if (!m->labels.n)
					BAD("a model with no class");
				/* Rows are exactly nlabels wide from here on. */
				free(m->counts);
				m->counts = NULL;
				m->vcap = 0;
				m->stride = m->labels.n;
				state = 3;
			}
			long c = cx_keys_find(&m->labels, cls.p, cls.n);
			if (c < 0)
				BAD("feature of unknown class '%.*s'", (int)cls.n, cls.p);
			if (!feat.n)
				BAD("empty feature");
			if (!parse_count(num, UINT32_MAX, &v) || v == 0)
				BAD("bad feature count '%.*s'", (int)num.n, num.p);
			int d = m->vocab.n ? slice_cmp(prev_g.p, prev_g.len, feat.p, feat.n) : -1;
			if (d > 0 || (d == 0 && c <= prev_c))
				BAD("feature '%.*s' out of order or repeated", (int)feat.n, feat.p);
			uint32_t id;
			if (d < 0) {
				if (m->vocab.n >= vocab)
					BAD("more features than the vocab record says (%llu)",
					    (unsigned long long)vocab);
				id = cx_keys_intern(&m->vocab, feat.p, feat.n, NULL);
				need_rows(m, id);
				cx_buf_reset(&prev_g);
				cx_buf_add(&prev_g, feat.p, feat.n);
			} else {
				id = (uint32_t)(m->vocab.n - 1);
			}
			m->counts[(size_t)id * m->stride + (size_t)c] = (uint32_t)v;
			prev_c = c;
		} else {
			BAD("unknown record kind '%.*s'", (int)kind.n, kind.p);
		}
#undef IS
#undef BAD
	}
	if (state < 2)
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "truncated model: no %s record",
			  state == 0 ? "'format'" : "'vocab'");
	if (!m->labels.n)
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "a model with no class");
	if (m->vocab.n != vocab)
		cx_die_at(CX_EXIT_DATA, r->file, r->line,
			  "the vocab record says %llu features, the file has %zu",
			  (unsigned long long)vocab, m->vocab.n);
	if (state == 2) {	/* no feature rows at all */
		free(m->counts);
		m->counts = NULL;
		m->vcap = 0;
		m->stride = m->labels.n;
	}
	cx_reader_close(r);
	cx_buf_free(&sk);
	cx_buf_free(&sc);
	cx_buf_free(&sf);
	cx_buf_free(&sn);
	cx_buf_free(&prev_g);
	m->finished = 1;
	derive(m);
	loading = NULL;
	return m;
}

/* ---- evaluation ---- */

struct cx_bayes_eval {
	cx_keys labels;
	cx_buf text;		/* documents back to back */
	size_t *off, *len;
	uint32_t *lab;
	size_t n, cap;
};

cx_bayes_eval *cx_bayes_eval_new(void)
{
	cx_bayes_eval *ev = cx_calloc(1, sizeof *ev);
	ev->labels = (cx_keys)CX_KEYS_INIT;
	ev->text = (cx_buf)CX_BUF_INIT;
	return ev;
}

void cx_bayes_eval_free(cx_bayes_eval *ev)
{
	if (!ev)
		return;
	cx_keys_free(&ev->labels);
	cx_buf_free(&ev->text);
	free(ev->off);
	free(ev->len);
	free(ev->lab);
	free(ev);
}

void cx_bayes_eval_add(cx_bayes_eval *ev, const char *label, size_t llen, const char *text, size_t tlen)
{
	if (ev->n == ev->cap) {
		ev->cap = ev->cap ? 2 * ev->cap : 1024;
		ev->off = cx_realloc(ev->off, ev->cap * sizeof *ev->off);
		ev->len = cx_realloc(ev->len, ev->cap * sizeof *ev->len);
		ev->lab = cx_realloc(ev->lab, ev->cap * sizeof *ev->lab);
	}
	ev->lab[ev->n] = cx_keys_intern(&ev->labels, label, llen, NULL);
	ev->off[ev->n] = ev->text.len;
	ev->len[ev->n] = tlen;
	cx_buf_add(&ev->text, text, tlen);
	ev->n++;
}

/* splitmix64 (Steele, Lea, Flood 2014; Vigna's reference constants). */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n): rejection of the top partial block. */
static uint64_t below(uint64_t *s, uint64_t n)
{
	uint64_t lim = UINT64_MAX - UINT64_MAX % n;
	for (;;) {
		uint64_t x = splitmix64(s);
		if (x < lim)
			return x % n;
	}
}

static void put_ratio(cx_output *o, cx_buf *b, double v)
{
	cx_buf_reset(b);
	cx_num_put(b, v, 6);	/* NaN (not defined) is an empty field */
	cx_out_raw(o, b->p ? b->p : "", b->len);
}

/* One report row; NAN prints as an empty field, a negative count too. */
static void row(cx_output *o, cx_buf *b, const char *kind, const char *cls,
		long long support, double p, double r, double f, double acc,
		const char *pred, long long count)
{
	cx_out_s(o, kind);
	cx_out_c(o, '\t');
	if (cls)
		cx_out_field(o, cls, strlen(cls));
	cx_out_c(o, '\t');
	if (support >= 0)
		out_count(o, (uint64_t)support);
	cx_out_c(o, '\t');
	put_ratio(o, b, p);
	cx_out_c(o, '\t');
	put_ratio(o, b, r);
	cx_out_c(o, '\t');
	put_ratio(o, b, f);
	cx_out_c(o, '\t');
	put_ratio(o, b, acc);
	cx_out_c(o, '\t');
	if (pred)
		cx_out_field(o, pred, strlen(pred));
	cx_out_c(o, '\t');
	if (count >= 0)
		out_count(o, (uint64_t)count);
	cx_out_eol(o);
}

static double f1_of(double p, double r)
{
	if (isnan(p) || isnan(r))
		return NAN;
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

void cx_bayes_eval_run(cx_bayes_eval *ev, int folds, unsigned long seed, cx_output *o)
{
	if (folds < 2)
		cx_die(CX_EXIT_USAGE, "cross-validation needs at least 2 folds, not %d", folds);
	size_t C = ev->labels.n, N = ev->n, K = (size_t)folds;
	uint32_t *order = sorted_ids(&ev->labels);	/* rank -> label id */
	uint32_t *rank = cx_malloc((C ? C : 1) * sizeof *rank);
	for (size_t i = 0; i < C; i++)
		rank[order[i]] = (uint32_t)i;
	const char **name = cx_malloc((C ? C : 1) * sizeof *name);
	for (size_t i = 0; i < C; i++)
		name[i] = cx_keys_get(&ev->labels, order[i], NULL);

	/* Stratified folds. */
	size_t *fold = cx_malloc((N ? N : 1) * sizeof *fold);
	size_t *idx = cx_malloc((N ? N : 1) * sizeof *idx);
	uint64_t st = (uint64_t)seed;
	size_t deal = 0;
	for (size_t c = 0; c < C; c++) {
		size_t k = 0;
		for (size_t i = 0; i < N; i++)
			if (ev->lab[i] == order[c])
				idx[k++] = i;
		for (size_t i = k; i > 1; i--) {
			size_t j = (size_t)below(&st, i);
			size_t t = idx[i - 1];
			idx[i - 1] = idx[j];
			idx[j] = t;
		}
		for (size_t i = 0; i < k; i++)
			fold[idx[i]] = deal++ % K;
	}

	/* Train on k-1 folds, classify the held-out one. */
	uint64_t *conf = cx_calloc(C ? C * C : 1, sizeof *conf);
	for (size_t f = 0; f < K; f++) {
		size_t ntest = 0;
		for (size_t i = 0; i < N; i++)
			ntest += fold[i] == f;
		if (!ntest)
			continue;
		cx_bayes *m = cx_bayes_new();
		for (size_t i = 0; i < N; i++)
			if (fold[i] != f) {
				size_t ln;
				const char *l = cx_keys_get(&ev->labels, ev->lab[i], &ln);
				cx_bayes_add(m, l, ln, ev->text.p + ev->off[i], ev->len[i]);
			}
		cx_bayes_finish(m);
		/* model class -> rank */
		size_t MC = cx_bayes_nlabels(m);
		uint32_t *map = cx_malloc((MC ? MC : 1) * sizeof *map);
		for (size_t c = 0; c < MC; c++) {
			size_t ln;
			const char *l = cx_keys_get(&m->labels, (uint32_t)c, &ln);
			map[c] = rank[cx_keys_find(&ev->labels, l, ln)];
		}
		for (size_t i = 0; i < N; i++)
			if (fold[i] == f) {
				size_t p = cx_bayes_classify(m, ev->text.p + ev->off[i], ev->len[i], NULL);
				/* A model trained on nothing predicts the first label. */
				size_t pr = MC ? map[p] : 0;
				conf[(size_t)rank[ev->lab[i]] * C + pr]++;
			}
		free(map);
		cx_bayes_free(m);
	}

	/* The report. */
	cx_buf b = CX_BUF_INIT;
	cx_out_s(o, "kind\tclass\tsupport\tprecision\trecall\tf1\taccuracy\tpredicted\tcount\n");
	double sp = 0, sr = 0, sf = 0;
	uint64_t correct = 0, maj = 0;
	size_t majc = 0;
	for (size_t c = 0; c < C; c++) {
		uint64_t tp = conf[c * C + c], sup = 0, pred = 0;
		for (size_t j = 0; j < C; j++) {
			sup += conf[c * C + j];
			pred += conf[j * C + c];
		}
		correct += tp;
		if (sup > maj) {
			maj = sup;
			majc = c;
		}
		double p = pred ? (double)tp / (double)pred : NAN;
		double r = sup ? (double)tp / (double)sup : NAN;
		double f = f1_of(p, r);
		sp += isnan(p) ? 0 : p;
		sr += isnan(r) ? 0 : r;
		sf += isnan(f) ? 0 : f;
		row(o, &b, "class", name[c], (long long)sup, p, r, f, NAN, NULL, -1);
	}
	double dc = C ? (double)C : NAN, dn = N ? (double)N : NAN;
	row(o, &b, "macro", NULL, (long long)N, sp / dc, sr / dc, sf / dc, NAN, NULL, -1);
	row(o, &b, "accuracy", NULL, (long long)N, NAN, NAN, NAN, (double)correct / dn, NULL,
	    (long long)correct);
	if (C) {
		/* Always majc: precision maj/N for it, undefined (0) for the
		 * others; recall 1 for it, 0 for the others. */
		double p = (double)maj / dn;
		row(o, &b, "majority", name[majc], (long long)N, p / dc, 1 / dc,
		    f1_of(p, 1) / dc, p, NULL, (long long)maj);
	}
	for (size_t c = 0; c < C; c++)
		for (size_t j = 0; j < C; j++)
			row(o, &b, "confusion", name[c], -1, NAN, NAN, NAN, NAN, name[j],
			    (long long)conf[c * C + j]);
	cx_buf_free(&b);
	free(conf);
	free(fold);
	free(idx);
	free(name);
	free(rank);
	free(order);
}
