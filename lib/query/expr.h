/*
 * expr: the filter expressions of cx-filter, compiled once, evaluated per
 * record (man/cx-filter.1 has the language and its grammar).
 *
 *   product == "RF-101" && severity >= 2 && text ~ "漏水|退款"
 *   created_at in 2024-04-01..2024-04-07 && region in ("north", "east")
 *
 * cx_expr_parse() turns the text into a small tree: n-ary && and ||, !,
 * comparisons of two operands (a field, a string, a number or a time
 * literal), regular-expression matches (PCRE2, UTF mode, compiled and
 * JIT-compiled here, once) and the functions missing() and present().
 * `x in (a, b)` is compiled to `x == a || x == b`, and `x in a..b` to
 * `x >= a && x <= b`, so the tree has no list or range nodes.  Time
 * literals are read in the zone in force (cx_tz_set), so parse after the
 * options are.  Parsing never dies: a mistake comes back as a byte offset
 * and a message, which cx_expr_error_format() turns into the usage error
 * with line, column and a caret.
 *
 * cx_expr_bind() resolves the field names against a reader's header
 * (cx_reader_need: an unknown name is a usage error listing the fields).
 * cx_expr_eval() then evaluates the current record: it allocates nothing
 * once the per-field scratch buffers have grown to the longest value seen,
 * unescapes a field only when it holds a backslash and only when the
 * expression reaches it, and dies with status 3 on bad data (a value that
 * is not UTF-8 under ~, a value that is not a timestamp where a time
 * literal needs one).
 *
 * Ownership: a cx_expr owns everything in it (the nodes, the names, the
 * literals, the compiled patterns, the scratch buffers); cx_expr_free()
 * releases it all.  The reader given to bind and eval stays the caller's.
 */
#ifndef CX_EXPR_H
#define CX_EXPR_H

#include <stddef.h>

#include "core/buf.h"
#include "io/stream.h"

typedef struct cx_expr cx_expr;

typedef struct cx_expr_error {
	size_t off;		/* byte offset in the expression text */
	char msg[320];
} cx_expr_error;

/* Parse src[0..n).  Returns the expression, or NULL with *err filled. */
cx_expr *cx_expr_parse(const char *src, size_t n, cx_expr_error *err);
void cx_expr_free(cx_expr *e);

/* Append to b "expression:LINE:COL: MESSAGE", then the line of src that
 * holds the offset and a caret under its column (columns count characters;
 * the caret line pads wide characters with two spaces, so it lines up on a
 * terminal), each of those two lines indented by two spaces. */
void cx_expr_error_format(cx_buf *b, const char *src, size_t n, const cx_expr_error *err);

/* Append the canonical text of e: every && and || group in parentheses,
 * strings escaped, names backquoted where they must be.  Parsing it gives
 * the same tree (and so the same text). */
void cx_expr_print(const cx_expr *e, cx_buf *b);

/* Resolve the field names against r's header; dies (status 2) naming an
 * unknown field and listing the header's.  Returns one more than the
 * largest field index used (0 when none), for cx_reader_split(). */
size_t cx_expr_bind(cx_expr *e, const cx_reader *r);

/* 1 if the current record of r satisfies e, else 0. */
int cx_expr_eval(cx_expr *e, cx_reader *r);

#endif
