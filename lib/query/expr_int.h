/*
 * expr_int.h: the tree of a compiled expression, shared by the parser and
 * printer (expr.c) and the evaluator (expr_eval.c) only.
 *
 * Nodes live in one array owned by the cx_expr and refer to each other by
 * index.  An && or || node lists its operands in kids[] (n-ary, so a long
 * chain evaluates in a loop rather than a recursion as deep as the chain);
 * nesting (parentheses, !) is limited to CX_EXPR_MAX_DEPTH, which bounds
 * the recursion of the parser, the printer and the evaluator alike.
 * Field operands name a slot: one per distinct field name, with its header
 * index after bind and the current record's value, cached for the record
 * (gen) so that a field used twice is unescaped and parsed once.
 */
#ifndef CX_EXPR_INT_H
#define CX_EXPR_INT_H

#include <stdint.h>

#include "core/cxtime.h"
#include "core/jit.h"
#include "query/expr.h"

#define CX_EXPR_MAX_DEPTH 100

enum xkind { X_OR, X_AND, X_NOT, X_CMP, X_MATCH, X_MISSING, X_PRESENT };
enum xop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH, OP_NOMATCH };
enum okind { O_FIELD, O_STRING, O_NUMBER, O_TIME };

typedef struct xoperand {
	enum okind kind;
	char *text;		/* field name, string value, or number/time as written */
	size_t len;
	size_t slot;		/* O_FIELD */
	double num;		/* O_NUMBER */
	cx_instant lo, hi;	/* O_TIME: the instants [lo, hi) it stands for */
} xoperand;

typedef struct xnode {
	enum xkind kind;
	enum xop op;		/* X_CMP, X_MATCH */
	size_t *kids, nkids;	/* X_OR, X_AND: operands; X_NOT: one */
	xoperand l, r;		/* X_CMP: both; X_MATCH, X_MISSING, X_PRESENT: l */
	pcre2_code *re;		/* X_MATCH */
} xnode;

typedef struct xslot {
	char *name;
	size_t field;		/* header index, after bind */
	uint64_t gen;		/* record the cache below is for */
	cx_slice v;		/* unescaped value */
	int num_state;		/* 0 not parsed yet, 1 a number, -1 not one */
	int utf8_ok;		/* checked for this record */
	int time_state;		/* as num_state, for the timestamp t */
	double num;
	cx_instant t;
	cx_buf scratch;
} xslot;

struct cx_expr {
	xnode *v;
	size_t n, cap;
	size_t root;
	xslot *slots;
	size_t nslots;
	uint64_t gen;
	pcre2_match_data *md;
};

#endif
