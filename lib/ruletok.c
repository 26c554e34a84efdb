#include "ruletok.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

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

const char *cx_tokenize(cx_toks *ts, const char *s, size_t n, int flags)
{
	int ops = flags & CX_TOK_OPERATORS;
	cx_buf b = CX_BUF_INIT;
	const char *err = NULL;
	size_t i = 0;
	while (i < n && !err) {
		char c = s[i];
		int after_tilde = ts->n > 0 && ts->t[ts->n - 1].type == CX_TOK_OP &&
				  strchr(ts->t[ts->n - 1].s, '~');
		if (is_space(c)) {
			i++;
		} else if (c == '#') {
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
			push(ts, c == '"' ? CX_TOK_STRING : CX_TOK_REGEX, b.p ? b.p : "", b.len, s + f,
			     i - f);
		} else if (ops && is_opchar(c)) {
			size_t st = i;
			while (i < n && is_opchar(s[i]) && i - st < 2)
				i++;
			push(ts, CX_TOK_OP, s + st, i - st, NULL, 0);
		} else {
			size_t st = i;
			while (i < n && !is_space(s[i]) && s[i] != '"' &&
			       (ops ? !is_opchar(s[i]) : s[i] != '#'))
				i++;
			push(ts, CX_TOK_WORD, s + st, i - st, NULL, 0);
		}
	}
	cx_buf_free(&b);
	return err;
}
