/*
 * expr_eval.c: binding a parsed expression to a header and evaluating it
 * on each record (the rules are in man/cx-filter.1, COMPARISONS).
 *
 * A field's value is fetched once per record, the first time a node asks
 * for it, into its slot: cx_rec_get() returns a slice of the record, or of
 * the slot's scratch buffer when the field holds a backslash.  Whether it
 * is a number, a timestamp or valid UTF-8 is worked out when a comparison
 * first needs to know, and kept for the record.  Nothing is allocated here
 * after the scratch buffers have grown.
 */
#include "query/expr_int.h"

#include <string.h>

#include "core/err.h"
#include "core/num.h"
#include "core/utf8.h"

size_t cx_expr_bind(cx_expr *e, const cx_reader *r)
{
	size_t used = 0;
	for (size_t i = 0; i < e->nslots; i++) {
		e->slots[i].field = cx_reader_need(r, e->slots[i].name);
		if (e->slots[i].field + 1 > used)
			used = e->slots[i].field + 1;
	}
	return used;
}

static xslot *value(cx_expr *e, cx_reader *r, size_t slot)
{
	xslot *s = &e->slots[slot];
	if (s->gen != e->gen) {
		s->gen = e->gen;
		s->v = cx_rec_get(r, s->field, &s->scratch);
		s->num_state = 0;
		s->time_state = 0;
		s->utf8_ok = 0;
	}
	return s;
}

static int is_number(xslot *s)
{
	if (s->num_state == 0)
		s->num_state = cx_num_parse(s->v.p, s->v.n, &s->num) == 0 ? 1 : -1;
	return s->num_state > 0;
}

static int apply(enum xop op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return 0;
	}
}

/* field op time: the field's instant t against the literal's [lo, hi). */
static int eval_time(cx_expr *e, cx_reader *r, const xnode *x)
{
	xslot *s = value(e, r, x->l.slot);
	if (s->v.n == 0)
		return 0;
	if (s->time_state == 0) {
		int rc = cx_time_parse(s->v.p, s->v.n, &s->t);
		if (rc < 0)
			cx_rec_bad_field(r, s->field, cx_time_strerror(rc));
		s->time_state = 1;
	}
	cx_instant t = s->t, lo = x->r.lo, hi = x->r.hi;
	switch (x->op) {
	case OP_EQ: return t >= lo && t < hi;
	case OP_NE: return t < lo || t >= hi;
	case OP_LT: return t < lo;
	case OP_LE: return t < hi;
	case OP_GT: return t >= hi;
	case OP_GE: return t >= lo;
	default: return 0;
	}
}

/* One side of a comparison: its bytes, and its number when it has one
 * and the comparison may be numeric. */
typedef struct side {
	const char *p;
	size_t n;
	int field, number;
	double num;
} side;

static void get_side(cx_expr *e, cx_reader *r, const xoperand *o, int want_num, side *sd)
{
	if (o->kind == O_FIELD) {
		xslot *s = value(e, r, o->slot);
		sd->p = s->v.p;
		sd->n = s->v.n;
		sd->field = 1;
		sd->number = want_num && s->v.n && is_number(s);
		sd->num = s->num;
		return;
	}
	sd->p = o->text;
	sd->n = o->len;
	sd->field = 0;
	sd->number = o->kind == O_NUMBER;
	sd->num = o->num;
}

static int eval_cmp(cx_expr *e, cx_reader *r, const xnode *x)
{
	if (x->r.kind == O_TIME)
		return eval_time(e, r, x);
	/* A quoted string always compares as a string. */
	int want_num = x->l.kind != O_STRING && x->r.kind != O_STRING;
	side a, b;
	get_side(e, r, &x->l, want_num, &a);
	/* A missing field compares false, except with the literal "". */
	int empty_lit = (x->l.kind == O_STRING && x->l.len == 0) ||
			(x->r.kind == O_STRING && x->r.len == 0);
	if (a.field && a.n == 0 && !empty_lit)
		return 0;
	get_side(e, r, &x->r, want_num && a.number, &b);
	if (b.field && b.n == 0 && !empty_lit)
		return 0;
	int c;
	if (a.number && b.number) {
		c = (a.num > b.num) - (a.num < b.num);
	} else {
		if ((x->op == OP_EQ || x->op == OP_NE) && a.n != b.n)
			return x->op == OP_NE;
		int m = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
		c = m ? m : (a.n > b.n) - (a.n < b.n);
	}
	return apply(x->op, c);
}

static int eval_match(cx_expr *e, cx_reader *r, const xnode *x)
{
	xslot *s = value(e, r, x->l.slot);
	if (s->v.n == 0)
		return 0;
	if (!s->utf8_ok) {
		size_t bad = cx_utf8_check(s->v.p, s->v.n);
		if (bad)
			cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': not UTF-8 (byte %zu)",
				  s->name, bad);
		s->utf8_ok = 1;
	}
	int rc = pcre2_match(x->re, (PCRE2_SPTR)s->v.p, s->v.n, 0, PCRE2_NO_UTF_CHECK, e->md, NULL);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(rc, msg, sizeof msg);
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': matching %s: %s", s->name,
			  x->r.text, (char *)msg);
	}
	return (rc >= 0) == (x->op == OP_MATCH);
}

static int eval(cx_expr *e, cx_reader *r, size_t i)
{
	const xnode *x = &e->v[i];
	switch (x->kind) {
	case X_OR:
		for (size_t k = 0; k < x->nkids; k++)
			if (eval(e, r, x->kids[k]))
				return 1;
		return 0;
	case X_AND:
		for (size_t k = 0; k < x->nkids; k++)
			if (!eval(e, r, x->kids[k]))
				return 0;
		return 1;
	case X_NOT:
		return !eval(e, r, x->kids[0]);
	case X_CMP:
		return eval_cmp(e, r, x);
	case X_MATCH:
		return eval_match(e, r, x);
	case X_MISSING:
		return value(e, r, x->l.slot)->v.n == 0;
	case X_PRESENT:
		return value(e, r, x->l.slot)->v.n != 0;
	}
	return 0;
}

int cx_expr_eval(cx_expr *e, cx_reader *r)
{
	e->gen++;
	return eval(e, r, e->root);
}
