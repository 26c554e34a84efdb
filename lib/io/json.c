#include "io/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

struct cx_json_slot {
	unsigned long gen;	/* 0: never used */
	size_t idx;
};

struct parser {
	const char *s;
	size_t n, i;
	cx_buf *err;
};

/* Longest key quoted in a duplicate-key message, in bytes of the key. */
#define KEY_SHOWN 60

static int peek(const struct parser *ps)
{
	return ps->i < ps->n ? (unsigned char)ps->s[ps->i] : -1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->i < ps->n) {
		char c = ps->s[ps->i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		ps->i++;
	}
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Start a message "col N: " for the byte at offset at. */
static cx_buf *err_start(struct parser *ps, size_t at)
{
	if (!ps->err)
		return NULL;
	cx_buf_reset(ps->err);
	cx_buf_addf(ps->err, "col %zu: ", at + 1);
	return ps->err;
}

static int fail_at(struct parser *ps, size_t at, const char *msg)
{
	cx_buf *e = err_start(ps, at);
	if (e)
		cx_buf_adds(e, msg);
	return -1;
}

/* Name what stands at the current position, for "expected X, found Y".  A
 * word is shown whole because "found 'NaN'" says more than "found 'N'". */
static void describe(cx_buf *e, const struct parser *ps)
{
	int c = peek(ps);
	if (c < 0) {
		cx_buf_adds(e, "end of line");
	} else if (is_alnum(c)) {
		size_t j = ps->i;
		while (j < ps->n && j - ps->i < 20 && is_alnum((unsigned char)ps->s[j]))
			j++;
		cx_buf_addf(e, "'%.*s%s'", (int)(j - ps->i), ps->s + ps->i,
			    j < ps->n && is_alnum((unsigned char)ps->s[j]) ? "..." : "");
	} else if (c > 0x20 && c < 0x7f) {
		cx_buf_addf(e, "'%c'", c);
	} else {
		cx_buf_addf(e, "byte 0x%02x", (unsigned)c);
	}
}

static int expected(struct parser *ps, const char *what)
{
	cx_buf *e = err_start(ps, ps->i);
	if (e) {
		cx_buf_addf(e, "expected %s, found ", what);
		describe(e, ps);
	}
	return -1;
}

/* Length of the valid UTF-8 sequence at s[0..n) (lead byte >= 0x80), or 0.
 * Strict RFC 3629: no overlong forms, no encoded surrogates, nothing past
 * U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;
	unsigned char c = s[0];
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

static void put_utf8(cx_buf *b, unsigned long cp)
{
	char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	cx_buf_add(b, u, k);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the 4 hex digits of a \u escape whose backslash is at ps->i. */
static int read_u4(struct parser *ps, unsigned long *cp)
{
	unsigned long v = 0;
	for (size_t k = 2; k < 6; k++) {
		int d = ps->i + k < ps->n ? hexval((unsigned char)ps->s[ps->i + k]) : -1;
		if (d < 0) {
			size_t at = ps->i + k;
			ps->i = at;
			return expected(ps, "4 hex digits after \\u");
		}
		v = v << 4 | (unsigned long)d;
	}
	*cp = v;
	return 0;
}

static int lone_surrogate(struct parser *ps, unsigned long cp)
{
	cx_buf *e = err_start(ps, ps->i);
	if (e)
		cx_buf_addf(e, "unpaired surrogate \\u%04lx", cp);
	return -1;
}

/*
 * The string whose opening quote is at ps->i.  With unescape, its decoded
 * bytes go to out; without, its source text, quotes included.  Either way it
 * is checked in full, and ps->i ends past the closing quote.
 */
static int scan_string(struct parser *ps, cx_buf *out, int unescape)
{
	const unsigned char *s = (const unsigned char *)ps->s;
	size_t open = ps->i;
	ps->i++;
	for (;;) {
		size_t run = ps->i;
		while (ps->i < ps->n && s[ps->i] >= 0x20 && s[ps->i] < 0x80 &&
		       s[ps->i] != '"' && s[ps->i] != '\\')
			ps->i++;
		if (unescape && ps->i > run)
			cx_buf_add(out, s + run, ps->i - run);
		if (ps->i >= ps->n) {
			cx_buf *e = err_start(ps, ps->i);
			if (e)
				cx_buf_addf(e, "expected '\"' to end the string "
					    "begun at col %zu, found end of line", open + 1);
			return -1;
		}
		unsigned char c = s[ps->i];
		if (c == '"') {
			ps->i++;
			if (!unescape)
				cx_buf_add(out, s + open, ps->i - open);
			return 0;
		}
		if (c < 0x20) {
			cx_buf *e = err_start(ps, ps->i);
			if (e)
				cx_buf_addf(e, "control character 0x%02x in string "
					    "(expected it escaped)", c);
			return -1;
		}
		if (c >= 0x80) {
			size_t len = utf8_len(s + ps->i, ps->n - ps->i);
			if (len == 0)
				return fail_at(ps, ps->i, "invalid UTF-8 in string");
			if (unescape)
				cx_buf_add(out, s + ps->i, len);
			ps->i += len;
			continue;
		}
		/* A backslash. */
		int x = ps->i + 1 < ps->n ? s[ps->i + 1] : -1;
		char one;
		switch (x) {
		case '"': one = '"'; break;
		case '\\': one = '\\'; break;
		case '/': one = '/'; break;
		case 'b': one = '\b'; break;
		case 'f': one = '\f'; break;
		case 'n': one = '\n'; break;
		case 'r': one = '\r'; break;
		case 't': one = '\t'; break;
		case 'u': one = 0; break;
		default:
			ps->i++;
			return expected(ps, "one of \"\\/bfnrtu after '\\'");
		}
		if (x != 'u') {
			if (unescape)
				cx_buf_addc(out, one);
			ps->i += 2;
			continue;
		}
		unsigned long cp;
		if (read_u4(ps, &cp) < 0)
			return -1;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return lone_surrogate(ps, cp);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			unsigned long lo;
			struct parser next = *ps;
			next.i += 6;
			next.err = NULL;
			if (next.i + 1 >= ps->n || s[next.i] != '\\' || s[next.i + 1] != 'u' ||
			    read_u4(&next, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
				return lone_surrogate(ps, cp);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			ps->i += 6;
		}
		if (unescape)
			put_utf8(out, cp);
		ps->i += 6;
	}
}

/*
 * Advance *i over a number at s[*i..n).  Returns NULL, or what was expected
 * with *i at the offending byte.  What may follow is the caller's business.
 */
static const char *scan_number(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int minus = j < n && s[j] == '-';
#define DIGIT(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
	if (minus)
		j++;
	if (!DIGIT(j)) {
		*i = j;
		return minus ? "digit after '-'" : "digit";
	}
	if (s[j] == '0') {
		if (DIGIT(j + 1)) {
			*i = j;
			return "a number without leading zeros";
		}
		j++;
	} else {
		while (DIGIT(j))
			j++;
	}
	if (j < n && s[j] == '.') {
		j++;
		if (!DIGIT(j)) {
			*i = j;
			return "digit after '.'";
		}
		while (DIGIT(j))
			j++;
	}
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		j++;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (!DIGIT(j)) {
			*i = j;
			return "digit in exponent";
		}
		while (DIGIT(j))
			j++;
	}
#undef DIGIT
	*i = j;
	return NULL;
}

int cx_json_is_number(const char *s, size_t n)
{
	size_t i = 0;
	return scan_number(s, n, &i) == NULL && i == n && n > 0;
}

static int word_is(const struct parser *ps, size_t len, const char *w)
{
	return len == strlen(w) && memcmp(ps->s + ps->i, w, len) == 0;
}

/*
 * A string, number or literal at ps->i.  At the record's top level (top)
 * strings are unescaped and literals become stream values; inside a nested
 * value everything is copied as written.
 */
static int scan_scalar(struct parser *ps, cx_buf *out, int top,
		       enum cx_json_kind *kind)
{
	int c = peek(ps);
	if (c == '"') {
		*kind = CX_JSON_STRING;
		return scan_string(ps, out, top);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t start = ps->i, end = ps->i;
		const char *want = scan_number(ps->s, ps->n, &end);
		if (want) {
			ps->i = end;
			return expected(ps, want);
		}
		cx_buf_add(out, ps->s + start, end - start);
		ps->i = end;
		*kind = CX_JSON_NUMBER;
		return 0;
	}
	size_t len = 0;
	while (ps->i + len < ps->n && is_alnum((unsigned char)ps->s[ps->i + len]))
		len++;
	const char *val;
	if (word_is(ps, len, "true")) {
		*kind = CX_JSON_BOOL;
		val = top ? "1" : "true";
	} else if (word_is(ps, len, "false")) {
		*kind = CX_JSON_BOOL;
		val = top ? "0" : "false";
	} else if (word_is(ps, len, "null")) {
		*kind = CX_JSON_NULL;
		val = top ? "" : "null";
	} else {
		return expected(ps, "value");
	}
	cx_buf_adds(out, val);
	ps->i += len;
	return 0;
}

/*
 * The object or array at ps->i, inside the record (level 2), written to out
 * without whitespace.  Iterative, with an explicit stack of closers, so
 * hostile nesting costs CX_JSON_MAX_DEPTH bytes of stack and no recursion.
 */
static int scan_nested(struct parser *ps, cx_buf *out)
{
	char closer[CX_JSON_MAX_DEPTH];
	size_t depth = 0;
	enum { VALUE, KEY, AFTER } st = VALUE;
	int first = 0;		/* just past the opening bracket */
	enum cx_json_kind kind;
	for (;;) {
		int c = peek(ps);
		switch (st) {
		case VALUE:
			if (c != '{' && c != '[') {
				/* Only a bracket can be empty, so name its close. */
				if (first && c != '"' && c != '-' && !is_alnum(c))
					return expected(ps, "value or ']'");
				if (scan_scalar(ps, out, 0, &kind) < 0)
					return -1;
				st = AFTER;
				break;
			}
			/* The record is level 1, this bracket level depth + 2. */
			if (depth + 2 > CX_JSON_MAX_DEPTH)
				return fail_at(ps, ps->i, "nesting deeper than 256 levels");
			closer[depth++] = c == '{' ? '}' : ']';
			cx_buf_addc(out, (char)c);
			ps->i++;
			skip_ws(ps);
			if (peek(ps) == closer[depth - 1]) {
				cx_buf_addc(out, closer[--depth]);
				ps->i++;
				st = AFTER;
				first = 0;
			} else {
				st = c == '{' ? KEY : VALUE;
				first = 1;
			}
			continue;
		case KEY:
			if (c != '"')
				return expected(ps, first ? "string key or '}'" : "string key");
			if (scan_string(ps, out, 0) < 0)
				return -1;
			skip_ws(ps);
			if (peek(ps) != ':')
				return expected(ps, "':'");
			cx_buf_addc(out, ':');
			ps->i++;
			skip_ws(ps);
			st = VALUE;
			break;
		case AFTER:
			if (depth == 0)
				return 0;
			skip_ws(ps);
			c = peek(ps);
			if (c == ',') {
				cx_buf_addc(out, ',');
				ps->i++;
				skip_ws(ps);
				st = closer[depth - 1] == '}' ? KEY : VALUE;
			} else if (c == closer[depth - 1]) {
				cx_buf_addc(out, closer[--depth]);
				ps->i++;
			} else {
				return expected(ps, closer[depth - 1] == '}' ?
						"',' or '}'" : "',' or ']'");
			}
			break;
		}
		first = 0;
	}
}

static unsigned long hash_key(const char *s, size_t n)
{
	unsigned long h = 2166136261u;
	for (size_t k = 0; k < n; k++)
		h = (h ^ (unsigned char)s[k]) * 16777619u;
	return h;
}

static void slot_put(cx_json_obj *obj, size_t idx)
{
	const cx_json_pair *p = &obj->pairs[idx];
	size_t mask = obj->nslots - 1;
	size_t h = hash_key(obj->text.p + p->key_off, p->key_len) & mask;
	while (obj->slots[h].gen == obj->gen)
		h = (h + 1) & mask;
	obj->slots[h].gen = obj->gen;
	obj->slots[h].idx = idx;
}

static long slot_find(const cx_json_obj *obj, const char *key, size_t n,
		      size_t below)
{
	if (obj->nslots == 0)
		return -1;
	size_t mask = obj->nslots - 1;
	size_t h = hash_key(key, n) & mask;
	while (obj->slots[h].gen == obj->gen) {
		size_t idx = obj->slots[h].idx;
		const cx_json_pair *p = &obj->pairs[idx];
		if (idx < below && p->key_len == n &&
		    (n == 0 || memcmp(obj->text.p + p->key_off, key, n) == 0))
			return (long)idx;
		h = (h + 1) & mask;
	}
	return -1;
}

long cx_json_obj_find(const cx_json_obj *obj, const char *key, size_t n)
{
	return slot_find(obj, key, n, obj->npairs);
}

/* Index key idx (pairs 0..idx-1 are indexed already), keeping the table at
 * most half full so probes stay short. */
static void index_key(cx_json_obj *obj, size_t idx)
{
	if ((idx + 1) * 2 > obj->nslots) {
		size_t ns = obj->nslots ? obj->nslots : 16;
		while ((idx + 1) * 2 > ns)
			ns *= 2;
		free(obj->slots);
		obj->slots = cx_calloc(ns, sizeof *obj->slots);
		obj->nslots = ns;
		for (size_t k = 0; k < idx; k++)
			slot_put(obj, k);
	}
	slot_put(obj, idx);
}

static void dup_key(struct parser *ps, size_t at, const char *key, size_t n)
{
	cx_buf *e = err_start(ps, at);
	if (!e)
		return;
	size_t shown = n;
	if (shown > KEY_SHOWN) {
		/* Cut on a character boundary: keys are valid UTF-8. */
		shown = KEY_SHOWN;
		while (shown > 0 && ((unsigned char)key[shown] & 0xc0) == 0x80)
			shown--;
	}
	cx_buf_adds(e, "duplicate key ");
	cx_json_put_string(e, key, shown);
	if (shown < n) {
		e->len--;
		cx_buf_adds(e, "...\"");
	}
}

int cx_json_parse_object(cx_json_obj *obj, const char *line, size_t n,
			 cx_buf *err)
{
	struct parser ps = { line, n, 0, err };
	cx_buf *text = &obj->text;
	/* Keys and values are addressed as text->p + offset, also when they
	 * are empty: the buffer must exist before the first one. */
	cx_buf_grow(text, 64);
	cx_buf_reset(text);
	obj->npairs = 0;
	if (++obj->gen == 0) {
		if (obj->slots)
			memset(obj->slots, 0, obj->nslots * sizeof *obj->slots);
		obj->gen = 1;
	}
	if (err)
		cx_buf_reset(err);

	skip_ws(&ps);
	if (ps.i == n)
		return fail_at(&ps, 0, "empty line");
	if (peek(&ps) != '{') {
		expected(&ps, "'{' (a record is a JSON object)");
		goto fail;
	}
	ps.i++;
	skip_ws(&ps);
	if (peek(&ps) == '}') {
		ps.i++;
		goto end;
	}
	for (;;) {
		if (peek(&ps) != '"') {
			expected(&ps, obj->npairs ? "string key" : "string key or '}'");
			goto fail;
		}
		size_t key_at = ps.i;
		size_t key_off = text->len;
		if (scan_string(&ps, text, 1) < 0)
			goto fail;
		size_t key_len = text->len - key_off;
		if (slot_find(obj, text->p + key_off, key_len, obj->npairs) >= 0) {
			dup_key(&ps, key_at, text->p + key_off, key_len);
			goto fail;
		}
		cx_buf_addc(text, '\0');
		if (obj->npairs == obj->cap) {
			obj->cap = obj->cap ? obj->cap * 2 : 16;
			obj->pairs = cx_realloc(obj->pairs, obj->cap * sizeof *obj->pairs);
		}
		cx_json_pair *p = &obj->pairs[obj->npairs];
		p->key_off = key_off;
		p->key_len = key_len;
		index_key(obj, obj->npairs);
		obj->npairs++;

		skip_ws(&ps);
		if (peek(&ps) != ':') {
			expected(&ps, "':'");
			goto fail;
		}
		ps.i++;
		skip_ws(&ps);
		p->val_off = text->len;
		int c = peek(&ps);
		if (c == '{' || c == '[') {
			p->kind = c == '{' ? CX_JSON_OBJECT : CX_JSON_ARRAY;
			if (scan_nested(&ps, text) < 0)
				goto fail;
		} else if (scan_scalar(&ps, text, 1, &p->kind) < 0) {
			goto fail;
		}
		p->val_len = text->len - p->val_off;
		cx_buf_addc(text, '\0');

		skip_ws(&ps);
		c = peek(&ps);
		if (c == ',') {
			ps.i++;
			skip_ws(&ps);
		} else if (c == '}') {
			ps.i++;
			break;
		} else {
			expected(&ps, "',' or '}'");
			goto fail;
		}
	}
end:
	skip_ws(&ps);
	if (ps.i < n) {
		expected(&ps, "end of line after the record's closing '}'");
		goto fail;
	}
	return 0;
fail:
	obj->npairs = 0;
	return -1;
}

void cx_json_obj_free(cx_json_obj *obj)
{
	cx_buf_free(&obj->text);
	free(obj->pairs);
	free(obj->slots);
	obj->pairs = NULL;
	obj->slots = NULL;
	obj->npairs = obj->cap = obj->nslots = 0;
	obj->gen = 0;
}

void cx_json_put_string(cx_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	cx_buf_grow(out, n + 2);
	cx_buf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (i > run)
			cx_buf_add(out, s + run, i - run);
		run = i + 1;
		char esc[6] = { '\\', 0, '0', '0', 0, 0 };
		size_t len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			len = 6;
			break;
		}
		cx_buf_add(out, esc, len);
	}
	if (n > run)
		cx_buf_add(out, s + run, n - run);
	cx_buf_addc(out, '"');
}
