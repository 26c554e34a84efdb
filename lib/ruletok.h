/*
 * ruletok: splitting a line of a rules file into tokens.
 *
 * cx-alert's rules (man 5 cx-alert) and cx-classify's (man 5
 * cx-classify) are both line-oriented: words, "strings" and /regular
 * expressions/ with flag letters after them, '#' comments.  The grammars
 * differ in one respect, chosen by CX_TOK_OPERATORS: cx-alert has
 * comparison operators (> >= < <= == != ~ !~), which end words, and a
 * regular expression only after an operator containing '~'; cx-classify
 * has no operators, and a '"' or '/' starts a string or a pattern
 * wherever it stands, with flag letters after either ("refund"i).
 *
 * Inside a string \" and \\ stand for " and \; inside a pattern \/
 * stands for /; any other backslash is kept as written, for PCRE2.
 *
 * Memory: a cx_toks owns its tokens' copies (NUL-terminated); flags is
 * never NULL ("" when there are none).  cx_toks_clear keeps the array
 * for the next line.
 */
#ifndef CX_RULETOK_H
#define CX_RULETOK_H

#include <stddef.h>

enum cx_tok_type { CX_TOK_WORD, CX_TOK_STRING, CX_TOK_OP, CX_TOK_REGEX };

typedef struct cx_tok {
	enum cx_tok_type type;
	char *s;
	char *flags;	/* the letters after a closing / (or " without operators) */
} cx_tok;

typedef struct cx_toks {
	cx_tok *t;
	size_t n, cap;
} cx_toks;

enum { CX_TOK_OPERATORS = 1 };

/* Append the tokens of s[0..n) (one logical line); NULL, or what is
 * wrong ("unterminated string", "unterminated regular expression"). */
const char *cx_tokenize(cx_toks *ts, const char *s, size_t n, int flags);
void cx_toks_clear(cx_toks *ts);
void cx_toks_free(cx_toks *ts);

#endif
