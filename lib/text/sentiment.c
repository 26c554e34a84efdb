#include "text/sentiment.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "io/input.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/utf8.h"

const char *const cx_emotion_names[CX_EMO_N] = { "", "anger", "anxiety", "disappointment", "joy" };

enum { E_WORD, E_NEG, E_DEGREE };

typedef struct entry {
	unsigned char kind;	/* E_* */
	unsigned char emotion;	/* CX_EMO_* */
	double value;		/* weight, or the intensifier's factor */
} entry;

struct cx_lexicon {
	cx_keys words;		/* Chinese as written, English lowercased */
	entry *e;		/* per word id */
	size_t cap;
	cx_keys first;		/* first character of the non-ASCII entries */
	size_t *maxb;		/* per first id: longest entry, bytes */
	size_t fcap;
};

/* Longest entry we look up, in bytes: 16 CJK characters. */
#define MAXB 48

cx_lexicon *cx_lex_new(void)
{
	cx_lexicon *lx = cx_calloc(1, sizeof *lx);
	lx->words = (cx_keys)CX_KEYS_INIT;
	lx->first = (cx_keys)CX_KEYS_INIT;
	return lx;
}

void cx_lex_free(cx_lexicon *lx)
{
	if (!lx)
		return;
	cx_keys_free(&lx->words);
	cx_keys_free(&lx->first);
	free(lx->e);
	free(lx->maxb);
	free(lx);
}

size_t cx_lex_size(const cx_lexicon *lx)
{
	return lx->words.n;
}

int cx_lex_format_parse(const char *s)
{
	if (!strcmp(s, "cx"))
		return CX_LEX_CX;
	if (!strcmp(s, "hownet"))
		return CX_LEX_HOWNET;
	if (!strcmp(s, "ntusd"))
		return CX_LEX_NTUSD;
	return -1;
}

static void add(cx_lexicon *lx, const char *w, size_t n, int kind, double v, int emo)
{
	if (!n || n > MAXB)
		return;
	char low[MAXB];
	int ascii = !((unsigned char)w[0] & 0x80);
	if (ascii) {
		for (size_t i = 0; i < n; i++)
			low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
		w = low;
	}
	int added;
	uint32_t id = cx_keys_intern(&lx->words, w, n, &added);
	if (id >= lx->cap) {
		lx->cap = lx->cap ? 2 * lx->cap : 256;
		lx->e = cx_realloc(lx->e, lx->cap * sizeof *lx->e);
	}
	lx->e[id] = (entry){ (unsigned char)kind, (unsigned char)emo, v };
	if (ascii)
		return;
	uint32_t cp;
	size_t cl = cx_utf8_decode(w, n, &cp);
	uint32_t f = cx_keys_intern(&lx->first, w, cl, &added);
	if (f >= lx->fcap) {
		lx->fcap = lx->fcap ? 2 * lx->fcap : 256;
		lx->maxb = cx_realloc(lx->maxb, lx->fcap * sizeof *lx->maxb);
	}
	if (added || lx->maxb[f] < n)
		lx->maxb[f] = n;
}

/* ---- loading */

typedef struct lstate {
	const char *name;
	long line;
	cx_buf *err;
} lstate;

__attribute__((format(printf, 2, 3)))
static int lfail(lstate *ls, const char *fmt, ...)
{
	cx_buf_reset(ls->err);
	cx_buf_addf(ls->err, "%s:%ld: ", ls->name, ls->line);
	va_list ap;
	va_start(ap, fmt);
	char tmp[512];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	cx_buf_adds(ls->err, tmp);
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next blank-separated field of s[*i..n); its length, 0 at the end. */
static size_t field(const char *s, size_t n, size_t *i, const char **f)
{
	while (*i < n && is_blank(s[*i]))
		(*i)++;
	*f = s + *i;
	size_t st = *i;
	while (*i < n && !is_blank(s[*i]))
		(*i)++;
	return *i - st;
}

static int emotion_of(const char *s, size_t n)
{
	for (int e = 1; e < CX_EMO_N; e++)
		if (strlen(cx_emotion_names[e]) == n && !memcmp(cx_emotion_names[e], s, n))
			return e;
	return -1;
}

static int parse_cx_line(cx_lexicon *lx, lstate *ls, const char *s, size_t n)
{
	size_t i = 0;
	const char *w, *v, *em, *extra;
	size_t wn = field(s, n, &i, &w);
	if (!wn)
		return 0;
	size_t vn = field(s, n, &i, &v);
	size_t en = field(s, n, &i, &em);
	if (field(s, n, &i, &extra))
		return lfail(ls, "expected WORD VALUE [EMOTION], found more fields");
	if (!vn)
		return lfail(ls, "'%.*s': expected a value (+1, -2, 0, neg, x1.5) after the word", (int)wn, w);
	if (wn > MAXB) {
		/* Its start, cut between characters to keep the message UTF-8. */
		int k = 12;
		while (k > 0 && ((unsigned char)w[k] & 0xC0) == 0x80)
			k--;
		return lfail(ls, "'%.*s...': longer than %d bytes", k, w, MAXB);
	}
	int emo = 0;
	if (en && (emo = emotion_of(em, en)) < 0)
		return lfail(ls, "unknown emotion '%.*s' (anger, anxiety, disappointment, joy)", (int)en, em);
	if (vn == 3 && !memcmp(v, "neg", 3)) {
		if (en)
			return lfail(ls, "a negator has no emotion");
		add(lx, w, wn, E_NEG, 0, 0);
		return 0;
	}
	int degree = v[0] == 'x';
	size_t off = (size_t)degree;
	/* A decimal number as the stream's numbers are (cx_num_parse):
	 * strtod would also take "0x10", which is no weight. */
	double d;
	if (cx_num_parse(v + off, vn - off, &d) != CX_NUM_OK || d < -100 || d > 100 ||
	    (degree && d <= 0))
		return lfail(ls, "bad value '%.*s' (+1, -2, 0, neg, x1.5)", (int)vn, v);
	if (degree && en)
		return lfail(ls, "an intensifier has no emotion");
	add(lx, w, wn, degree ? E_DEGREE : E_WORD, d, emo);
	return 0;
}

static int contains(const char *h, const char *needle)
{
	return strstr(h, needle) != NULL;
}

/* HowNet 程度级别词语: "1. “极其|extreme / 最|most”	69" opens a section. */
static double hownet_degree(const char *s, size_t n)
{
	static const struct { const char *w; double f; } lv[] = {
		{ "极其", 2 }, { "超", 2 }, { "很", 1.5 }, { "较", 1.2 }, { "稍", 0.8 }, { "欠", 0.5 },
	};
	if (n < 3 || s[0] < '0' || s[0] > '9' || s[1] != '.')
		return 0;
	for (size_t i = 0; i < sizeof lv / sizeof lv[0]; i++) {
		size_t k = strlen(lv[i].w);
		for (size_t j = 2; j + k <= n && j < 12; j++)
			if (!memcmp(s + j, lv[i].w, k))
				return lv[i].f;
	}
	return 0;
}

int cx_lex_parse(cx_lexicon *lx, const char *text, size_t n, const char *name,
		 enum cx_lex_format fmt, int polarity, cx_buf *err)
{
	lstate ls = { name, 0, err };
	size_t bad = cx_utf8_check(text, n);
	if (bad) {
		/* The line, and the byte within it (from 1), as for a field. */
		size_t start = 0;
		ls.line = 1;
		for (size_t q = 0; q + 1 < bad; q++)
			if (text[q] == '\n') {
				ls.line++;
				start = q + 1;
			}
		return lfail(&ls, "not UTF-8 (byte %zu); convert it first, e.g. iconv -f GBK -t UTF-8",
			     bad - start);
	}
	/* A NUL would end the word or the value unseen ("-1\0x" read as -1)
	 * or make a word no text can hold: refused, as in a rules file. */
	const char *nul = memchr(text, '\0', n);
	if (nul) {
		ls.line = 1;
		for (const char *q = text; q < nul; q++)
			ls.line += *q == '\n';
		return lfail(&ls, "a NUL byte in the lexicon");
	}
	int kind = E_WORD;
	double degree = 0;
	if (fmt != CX_LEX_CX && !polarity) {
		const char *b = strrchr(name, '/');
		b = b ? b + 1 : name;
		if (fmt == CX_LEX_HOWNET && (contains(b, "程度") || contains(b, "degree")))
			kind = E_DEGREE;
		else if (fmt == CX_LEX_HOWNET && (contains(b, "否定") || contains(b, "negat")))
			kind = E_NEG;
		else if (contains(b, "pos") || contains(b, "正面"))
			polarity = 1;
		else if (contains(b, "neg") || contains(b, "负面"))
			polarity = -1;
		else {
			ls.line = 0;
			cx_buf_reset(err);
			cx_buf_addf(err, "%s: cannot tell the polarity from the file name "
				    "(it should contain pos or neg)", name);
			return -1;
		}
	}
	size_t i = 0;
	if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - text) : n;
		const char *s = text + i;
		size_t len = end - i;
		ls.line++;
		i = nl ? end + 1 : n;
		while (len && is_blank(s[len - 1]))
			len--;
		while (len && is_blank(*s)) {
			s++;
			len--;
		}
		if (!len || *s == '#')
			continue;
		if (fmt == CX_LEX_CX) {
			if (parse_cx_line(lx, &ls, s, len) < 0)
				return -1;
			continue;
		}
		if (fmt == CX_LEX_HOWNET) {
			/* The original files open with a title and a "count" line:
			 * a line with a blank and a number is a header. */
			const char *t = s + len;
			while (t > s && t[-1] >= '0' && t[-1] <= '9')
				t--;
			if (t < s + len && t > s && is_blank(t[-1])) {
				if (kind == E_DEGREE)
					degree = hownet_degree(s, len);
				continue;
			}
			if (kind == E_DEGREE) {
				if (degree > 0)
					add(lx, s, len, E_DEGREE, degree, 0);
				continue;
			}
		}
		if (kind == E_NEG)
			add(lx, s, len, E_NEG, 0, 0);
		else
			add(lx, s, len, E_WORD, polarity, 0);
	}
	return 0;
}

void cx_lex_load(cx_lexicon *lx, const char *path, enum cx_lex_format fmt)
{
	cx_buf b = CX_BUF_INIT;
	cx_input_slurp(path, NULL, &b);
	cx_buf err = CX_BUF_INIT;
	/* Messages name standard input as cx(7) does, not "-". */
	const char *name = cx_path_name(path);
	if (cx_lex_parse(lx, b.p ? b.p : "", b.len, name, fmt, 0, &err) < 0)
		cx_die(CX_EXIT_USAGE, "%s", err.p);
	cx_buf_free(&err);
	cx_buf_free(&b);
}

/* ---- scoring */

static int is_clause_end(uint32_t cp)
{
	switch (cp) {
	case ',': case '.': case '!': case '?': case ';': case ':': case '\n':
	case 0xFF0C: case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A: case 0x3001:
	case 0x2026:
		return 1;
	}
	return 0;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

typedef struct mod {
	long end;	/* unit after the modifier */
	int kind;
	double f;
} mod;

#define MAXMODS 16

void cx_sentiment(const cx_lexicon *lx, const char *s, size_t n, cx_senti *out)
{
	memset(out, 0, sizeof *out);
	mod mods[MAXMODS];
	size_t nm = 0;
	long unit = 0;
	size_t i = 0;
	while (i < n) {
		const entry *e = NULL;
		size_t len = 0, units = 1;
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (is_alpha(s[i])) {
				size_t j = i;
				char low[MAXB];
				while (j < n && (is_alpha(s[j]) || (s[j] == '\'' && j + 1 < n && is_alpha(s[j + 1]))))
					j++;
				len = j - i;
				if (len <= MAXB) {
					for (size_t k = 0; k < len; k++)
						low[k] = (char)(s[i + k] | (is_alpha(s[i + k]) ? 0x20 : 0));
					long id = cx_keys_find(&lx->words, low, len);
					static const entry neg = { E_NEG, 0, 0 };
					if (id >= 0)
						e = &lx->e[id];
					else if (len > 3 && !memcmp(low + len - 3, "n't", 3))
						e = &neg;
				}
			} else {
				len = 1;
				units = 0;
				if (is_clause_end(c)) {
					nm = 0;
					unit += CX_SENTI_WINDOW + 1;
				}
			}
		} else {
			uint32_t cp;
			size_t cl = cx_utf8_decode(s + i, n - i, &cp);
			len = cl;
			if (is_clause_end(cp)) {
				nm = 0;
				unit += CX_SENTI_WINDOW + 1;
				units = 0;
			} else {
				long f = cx_keys_find(&lx->first, s + i, cl);
				if (f >= 0) {
					size_t mb = lx->maxb[f];
					if (mb > n - i)
						mb = n - i;
					/* Ends of the next characters, longest first. */
					size_t ends[17], ne = 0, p = i;
					while (p < i + mb && ne < 17) {
						uint32_t x;
						p += cx_utf8_decode(s + p, n - p, &x);
						if (p - i <= mb)
							ends[ne++] = p - i;
					}
					while (ne > 0) {
						long id = cx_keys_find(&lx->words, s + i, ends[ne - 1]);
						if (id >= 0) {
							e = &lx->e[id];
							len = ends[ne - 1];
							units = ne;
							break;
						}
						ne--;
					}
				}
			}
		}
		if (e) {
			if (e->kind == E_WORD) {
				double v = e->value;
				int negs = 0;
				for (size_t k = 0; k < nm; k++) {
					if (unit - mods[k].end > CX_SENTI_WINDOW)
						continue;
					if (mods[k].kind == E_NEG)
						negs++;
					else
						v *= mods[k].f;
				}
				if (negs & 1)
					v = -v;
				out->raw += v;
				if (e->emotion && !(negs & 1))
					out->emo[e->emotion] += fabs(v);
				nm = 0;
			} else {
				if (nm == MAXMODS) {
					memmove(mods, mods + 1, (MAXMODS - 1) * sizeof *mods);
					nm--;
				}
				mods[nm++] = (mod){ unit + (long)units, e->kind, e->value };
			}
		}
		unit += (long)units;
		i += len;
	}
	out->score = out->raw / sqrt(out->raw * out->raw + 4);
	double best = 0;
	for (int k = 1; k < CX_EMO_N; k++)
		if (out->emo[k] > best) {
			best = out->emo[k];
			out->emotion = k;
		}
	out->anger = out->emo[CX_EMO_ANGER] >= 1;
}
