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
 * Both files are read the same way, by a cx_rparse: logical lines (a
 * line ending in a backslash continues on the next; CRLF is accepted;
 * NUL bytes and invalid UTF-8 are refused), their tokens, and one error
 * shape, "FILE:LINE: rule 'NAME': what is wrong", kept for the first
 * failure only, so a grammar function can just return cx_rp_fail(...).
 *
 * Memory: a cx_toks owns its tokens' copies (NUL-terminated); flags is
 * never NULL ("" when there are none).  cx_toks_clear keeps the array
 * for the next line.  A cx_rparse borrows the text, the file name, the
 * rule name and the error buffer (the caller's, which it resets and
 * fills on the first failure); it owns its tokens and its line buffer,
 * released by cx_rp_free.
 */
#ifndef CX_RULETOK_H
#define CX_RULETOK_H

#include <stddef.h>

#include "core/buf.h"

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

typedef struct cx_rparse {
	cx_toks tk;		/* the current logical line's tokens */
	size_t pos;		/* the next token to read */
	const char *file;
	long line;		/* the logical line's first physical line */
	const char *rule;	/* the rule's name once read, for messages */
	cx_buf *err;
	int failed;
	/* private: the text being read */
	const char *text;
	size_t n, at;
	long lines;
	int tokflags;
	cx_buf logical;
	cx_buf shown;
} cx_rparse;

void cx_rp_init(cx_rparse *ps, const char *text, size_t n, const char *file, int tokflags,
		cx_buf *err);
/* Tokenize the next logical line that has tokens: 1, or 0 at the end of
 * the text, or -1 (error set) for a NUL byte, invalid UTF-8 or what
 * cx_tokenize refuses.  Resets pos and rule. */
int cx_rp_line(cx_rparse *ps);
void cx_rp_free(cx_rparse *ps);

/* Record the first failure as "FILE:LINE: [rule 'R': ]message"; -1. */
int cx_rp_fail(cx_rparse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The next token (NULL past the last), without or with taking it; next
 * fails "expected WHAT [after 'AFTER'] at the end of the line". */
cx_tok *cx_rp_peek(const cx_rparse *ps);
cx_tok *cx_rp_next(cx_rparse *ps, const char *what, const char *after);
/* The next token, which must be a word: its text, or NULL (error set:
 * "expected WHAT [after 'AFTER'], not 'TOKEN'", the token as written). */
const char *cx_rp_word(cx_rparse *ps, const char *what, const char *after);
int cx_rp_is_word(const cx_tok *t, const char *w);
/* A token as the file writes it, for messages: a "string" or /pattern/
 * with its delimiters and flags, so that severity "high" is not reported
 * as 'high', which would look right.  Valid until the next call. */
const char *cx_rp_shown(cx_rparse *ps, const cx_tok *t);

#endif
