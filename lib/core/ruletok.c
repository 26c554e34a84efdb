#include "core/ruletok.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"

static void push(cx_toks *ts, enum cx_tok_type type, const char *s, size_t n, const char *fl,
		 size_t fn)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->t = cx_realloc(ts->t, ts->cap * sizeof *ts->t);
	}
	cx_tok *t = &ts->t[ts->n++];
	t->type = type;
	t->s = cx_strndup(s, n);
	t->flags = cx_strndup(fl ? fl : "", fl ? fn : 0);
}

void cx_toks_clear(cx_toks *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->t[i].s);
		free(ts->t[i].flags);
	}
	ts->n = 0;
}

void cx_toks_free(cx_toks *ts)
{
	cx_toks_clear(ts);
	free(ts->t);
	ts->t = NULL;
	ts->cap = 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_opchar(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
}

/* A string or pattern from s[*i] (its opening delimiter) into b. */
static int quoted(const char *s, size_t n, size_t *i, char delim, cx_buf *b)
{
	cx_buf_reset(b);
	size_t k = *i + 1;
	while (k < n && s[k] != delim) {
		if (s[k] == '\\' && k + 1 < n && (s[k + 1] == delim || (delim == '"' && s[k + 1] == '\\')))
			k++;
		else if (s[k] == '\\' && k + 1 < n)
			cx_buf_addc(b, s[k++]);
		cx_buf_addc(b, s[k++]);
	}
	if (k >= n)
		return -1;
	*i = k + 1;
	return 0;
}

/* The tokenizer: tokens go to ts, or nowhere when ts is NULL (a scan
 * for *comment alone: whether s ends inside a '#' comment). */
static const char *scan(cx_toks *ts, const char *s, size_t n, int flags, int *comment)
{
	int ops = flags & CX_TOK_OPERATORS;
	int after_tilde = 0;	/* the last token is an operator with '~' */
	cx_buf b = CX_BUF_INIT;
	const char *err = NULL;
	size_t i = 0;
	*comment = 0;
	while (i < n && !err) {
		char c = s[i];
		int tilde = 0;
		if (is_space(c)) {
			i++;
			continue;
		} else if (c == '#') {
			*comment = 1;
			break;
		} else if (c == '"' || (c == '/' && (!ops || after_tilde))) {
			if (quoted(s, n, &i, c, &b) < 0) {
				err = c == '"' ? "unterminated string" : "unterminated regular expression";
				break;
			}
			/* Flag letters: after a pattern; after a string too
			 * without operators ("literal"i). */
			size_t f = i;
			if (c == '/' || !ops)
				while (i < n && !is_space(s[i]) && (ops || s[i] != '#'))
					i++;
			if (ts)
				push(ts, c == '"' ? CX_TOK_STRING : CX_TOK_REGEX, b.p ? b.p : "", b.len,
				     s + f, i - f);
		} else if (ops && is_opchar(c)) {
			size_t st = i;
			while (i < n && is_opchar(s[i]) && i - st < 2)
				i++;
			tilde = memchr(s + st, '~', i - st) != NULL;
			if (ts)
				push(ts, CX_TOK_OP, s + st, i - st, NULL, 0);
		} else {
			size_t st = i;
			while (i < n && !is_space(s[i]) && s[i] != '"' &&
			       (ops ? !is_opchar(s[i]) : s[i] != '#'))
				i++;
			if (ts)
				push(ts, CX_TOK_WORD, s + st, i - st, NULL, 0);
		}
		after_tilde = tilde;
	}
	cx_buf_free(&b);
	return err;
}

const char *cx_tokenize(cx_toks *ts, const char *s, size_t n, int flags)
{
	int comment;
	return scan(ts, s, n, flags, &comment);
}

/* ---- reading a rules file */

void cx_rp_init(cx_rparse *ps, const char *text, size_t n, const char *file, int tokflags,
		cx_buf *err)
{
	memset(ps, 0, sizeof *ps);
	ps->text = text;
	ps->n = n;
	ps->file = file;
	ps->tokflags = tokflags;
	ps->err = err;
}

void cx_rp_free(cx_rparse *ps)
{
	cx_toks_free(&ps->tk);
	cx_buf_free(&ps->logical);
	cx_buf_free(&ps->shown);
}

int cx_rp_fail(cx_rparse *ps, const char *fmt, ...)
{
	if (ps->failed)
		return -1;
	ps->failed = 1;
	cx_buf_reset(ps->err);
	cx_buf_addf(ps->err, "%s:%ld: ", ps->file, ps->line);
	if (ps->rule)
		cx_buf_addf(ps->err, "rule '%s': ", ps->rule);
	va_list ap;
	va_start(ap, fmt);
	cx_buf_vaddf(ps->err, fmt, ap);
	va_end(ap);
	return -1;
}

int cx_rp_line(cx_rparse *ps)
{
	cx_buf *lg = &ps->logical;
	do {
		if (ps->at >= ps->n)
			return 0;
		cx_toks_clear(&ps->tk);
		ps->pos = 0;
		ps->rule = NULL;
		ps->line = ps->lines + 1;
		cx_buf_reset(lg);
		for (;;) {	/* join lines ending in a backslash */
			const char *t = ps->text;
			const char *nl = memchr(t + ps->at, '\n', ps->n - ps->at);
			size_t end = nl ? (size_t)(nl - t) : ps->n, e = end;
			if (e > ps->at && t[e - 1] == '\r')
				e--;
			ps->lines++;
			int cont = e > ps->at && t[e - 1] == '\\';
			cx_buf_add(lg, t + ps->at, e - ps->at - (size_t)cont);
			/* A backslash in a comment does not continue the line:
			 * "# off for now \" would swallow the rule under it. */
			if (cont) {
				int comment;
				scan(NULL, lg->p, lg->len, ps->tokflags, &comment);
				cont = !comment;
			}
			ps->at = nl ? end + 1 : ps->n;
			if (!cont || ps->at >= ps->n)
				break;
			cx_buf_addc(lg, ' ');
		}
		if (lg->len && memchr(lg->p, '\0', lg->len))
			return cx_rp_fail(ps, "a NUL byte in the rules");
		size_t bad = cx_utf8_check(lg->p ? lg->p : "", lg->len);
		if (bad)
			return cx_rp_fail(ps, "invalid UTF-8 at byte %zu of the rule", bad);
		const char *why = cx_tokenize(&ps->tk, lg->p ? lg->p : "", lg->len, ps->tokflags);
		if (why)
			return cx_rp_fail(ps, "%s", why);
	} while (ps->tk.n == 0);
	return 1;
}

cx_tok *cx_rp_peek(const cx_rparse *ps)
{
	return ps->pos < ps->tk.n ? &ps->tk.t[ps->pos] : NULL;
}

cx_tok *cx_rp_next(cx_rparse *ps, const char *what, const char *after)
{
	if (ps->pos < ps->tk.n)
		return &ps->tk.t[ps->pos++];
	if (after)
		cx_rp_fail(ps, "expected %s after '%s' at the end of the line", what, after);
	else
		cx_rp_fail(ps, "expected %s at the end of the line", what);
	return NULL;
}

const char *cx_rp_word(cx_rparse *ps, const char *what, const char *after)
{
	cx_tok *t = cx_rp_next(ps, what, after);
	if (!t)
		return NULL;
	if (t->type == CX_TOK_WORD)
		return t->s;
	if (after)
		cx_rp_fail(ps, "expected %s after '%s', not '%s'", what, after, cx_rp_shown(ps, t));
	else
		cx_rp_fail(ps, "expected %s, not '%s'", what, cx_rp_shown(ps, t));
	return NULL;
}

const char *cx_rp_shown(cx_rparse *ps, const cx_tok *t)
{
	cx_buf *b = &ps->shown;
	cx_buf_reset(b);
	if (t->type == CX_TOK_STRING)
		cx_buf_addf(b, "\"%s\"%s", t->s, t->flags);
	else if (t->type == CX_TOK_REGEX)
		cx_buf_addf(b, "/%s/%s", t->s, t->flags);
	else
		cx_buf_adds(b, t->s);
	return b->p;
}

int cx_rp_is_word(const cx_tok *t, const char *w)
{
	return t && t->type == CX_TOK_WORD && !strcmp(t->s, w);
}
