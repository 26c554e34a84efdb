/*
 * expr.c: the lexer, the recursive-descent parser and the printer of
 * filter expressions (the grammar is in man/cx-filter.1).
 *
 * The lexer reads one token ahead.  Every error records the byte offset of
 * the token it is about and a message; the first error wins and parsing
 * unwinds (each function returns -1).  Nothing here dies, so that the
 * fuzzer (testdata/fuzz/fuzz_filter_expr.c) can feed it anything.
 *
 * Memory: the tree, its strings and its patterns belong to the cx_expr
 * being built; on an error cx_expr_free() releases the part built so far.
 */
#include "query/expr_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"
#include "core/utf8.h"

enum tk {
	T_END, T_IDENT, T_QNAME, T_STRING, T_LIT, T_LP, T_RP, T_COMMA, T_DOTDOT,
	T_AND, T_OR, T_NOT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NMATCH,
};

typedef struct token {
	enum tk t;
	size_t off, end;	/* the token's bytes in the source */
	int escaped;		/* a string with escapes: its value differs from its text */
} token;

typedef struct parser {
	const char *s;
	size_t n, pos;
	token tok;
	cx_buf val;		/* the current string's or name's value */
	cx_expr *e;
	cx_expr_error *err;
	int failed;
	int depth;
} parser;

static const char *const op_text[] = {
	[OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
	[OP_GT] = ">", [OP_GE] = ">=", [OP_MATCH] = "~", [OP_NOMATCH] = "!~",
};

static int fail(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(parser *p, size_t off, const char *fmt, ...)
{
	if (p->failed)
		return -1;
	p->failed = 1;
	p->err->off = off;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* The current token as a message quotes it: 'text', or the end. */
static const char *found(parser *p, cx_buf *b)
{
	cx_buf_reset(b);
	if (p->tok.t == T_END)
		return "the end of the expression";
	cx_buf_addc(b, '\'');
	cx_shown(b, p->s + p->tok.off, p->tok.end - p->tok.off);
	cx_buf_addc(b, '\'');
	return b->p;
}

static int is_ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The characters of a number or time literal. */
static int is_lit(char c)
{
	return is_ident(c) || c == '.' || c == ':' || c == '+' || c == '-';
}

static int lex_string(parser *p, token *t)
{
	size_t i = p->pos + 1;
	cx_buf_reset(&p->val);
	for (;;) {
		if (i >= p->n)
			return fail(p, t->off, "unterminated string (no closing '\"')");
		char c = p->s[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i + 1 >= p->n)
				return fail(p, t->off, "unterminated string (no closing '\"')");
			char d = p->s[i + 1];
			/* Any other pair is kept whole, so "\d+" reaches PCRE2 as \d+. */
			t->escaped |= d == '"' || d == '\\' || d == 't' || d == 'n';
			if (d == '"' || d == '\\')
				cx_buf_addc(&p->val, d);
			else if (d == 't')
				cx_buf_addc(&p->val, '\t');
			else if (d == 'n')
				cx_buf_addc(&p->val, '\n');
			else
				cx_buf_add(&p->val, p->s + i, 2);
			i += 2;
			continue;
		}
		cx_buf_addc(&p->val, c);
		i++;
	}
	t->t = T_STRING;
	t->end = i + 1;
	return 0;
}

static int lex_qname(parser *p, token *t)
{
	const char *q = memchr(p->s + p->pos + 1, '`', p->n - p->pos - 1);
	if (!q)
		return fail(p, t->off, "unterminated field name (no closing '`')");
	size_t len = (size_t)(q - (p->s + p->pos + 1));
	if (len == 0)
		return fail(p, t->off, "empty field name ``");
	cx_buf_reset(&p->val);
	cx_buf_add(&p->val, p->s + p->pos + 1, len);
	if (memchr(p->val.p, '\0', len))
		return fail(p, t->off, "a NUL byte in a field name");
	t->t = T_QNAME;
	t->end = (size_t)(q - p->s) + 1;
	return 0;
}

/* Two-character and one-character operators. */
static int lex_op(parser *p, token *t)
{
	static const struct { const char *s; enum tk t; } ops[] = {
		{ "&&", T_AND }, { "||", T_OR }, { "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE },
		{ ">=", T_GE }, { "!~", T_NMATCH }, { "..", T_DOTDOT }, { "<", T_LT }, { ">", T_GT },
		{ "~", T_MATCH }, { "!", T_NOT }, { "(", T_LP }, { ")", T_RP }, { ",", T_COMMA },
	};
	const char *s = p->s + p->pos;
	size_t left = p->n - p->pos;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t k = strlen(ops[i].s);
		if (k <= left && !memcmp(s, ops[i].s, k)) {
			t->t = ops[i].t;
			t->end = p->pos + k;
			return 0;
		}
	}
	if (*s == '=')
		return fail(p, t->off, "'=' is not an operator; a comparison is '=='");
	if (*s == '&')
		return fail(p, t->off, "'&' is not an operator; 'and' is '&&'");
	if (*s == '|')
		return fail(p, t->off, "'|' is not an operator; 'or' is '||'");
	if ((unsigned char)*s >= 0x80) {
		uint32_t cp;
		size_t k = cx_utf8_decode(s, left, &cp);
		return fail(p, t->off,
			    "unexpected character '%.*s' (a field name with characters other than "
			    "A-Z, a-z, 0-9 and _ is written in backquotes, as `名称`)", (int)k, s);
	}
	cx_buf b = CX_BUF_INIT;
	fail(p, t->off, "unexpected character '%s'", cx_shown(&b, s, 1));
	cx_buf_free(&b);
	return -1;
}

/* Read the next token into p->tok. */
static int next(parser *p)
{
	while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				 p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
	token *t = &p->tok;
	memset(t, 0, sizeof *t);
	t->off = t->end = p->pos;
	if (p->pos >= p->n) {
		t->t = T_END;
		return 0;
	}
	const char *s = p->s;
	char c = s[p->pos];
	char d = p->pos + 1 < p->n ? s[p->pos + 1] : '\0';
	int rc;
	if (is_ident_start(c)) {
		size_t i = p->pos;
		while (i < p->n && is_ident(s[i]))
			i++;
		t->t = T_IDENT;
		t->end = i;
		cx_buf_reset(&p->val);
		cx_buf_add(&p->val, s + p->pos, i - p->pos);
		rc = 0;
	} else if (is_digit(c) || ((c == '-' || c == '+' || c == '.') && is_digit(d))) {
		size_t i = p->pos + 1;
		while (i < p->n && is_lit(s[i]) && !(s[i] == '.' && i + 1 < p->n && s[i + 1] == '.'))
			i++;
		t->t = T_LIT;
		t->end = i;
		rc = 0;
	} else if (c == '"') {
		rc = lex_string(p, t);
	} else if (c == '`') {
		rc = lex_qname(p, t);
	} else {
		rc = lex_op(p, t);
	}
	if (rc == 0)
		p->pos = t->end;
	return rc;
}

static size_t add_node(parser *p, enum xkind kind)
{
	cx_expr *e = p->e;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = cx_realloc(e->v, e->cap * sizeof *e->v);
	}
	memset(&e->v[e->n], 0, sizeof e->v[e->n]);
	e->v[e->n].kind = kind;
	return e->n++;
}

static void add_kid(cx_expr *e, size_t node, size_t kid)
{
	xnode *x = &e->v[node];
	x->kids = cx_realloc(x->kids, (x->nkids + 1) * sizeof *x->kids);
	x->kids[x->nkids++] = kid;
}

static size_t slot_of(cx_expr *e, const char *name, size_t len)
{
	for (size_t i = 0; i < e->nslots; i++)
		if (strlen(e->slots[i].name) == len && !memcmp(e->slots[i].name, name, len))
			return i;
	e->slots = cx_realloc(e->slots, (e->nslots + 1) * sizeof *e->slots);
	xslot *s = &e->slots[e->nslots];
	memset(s, 0, sizeof *s);
	s->name = cx_strndup(name, len);
	return e->nslots++;
}

/* A date (YYYY-MM-DD) stands for its local day, a month (YYYY-MM) for its
 * local month, anything with a clock time for its one second. */
static int time_literal(parser *p, xoperand *o, const char *t, size_t n)
{
	cx_instant lo;
	int rc = cx_time_parse(t, n, &lo);
	if (rc < 0)
		return fail(p, p->tok.off, "bad time literal '%.*s': %s", (int)n, t, cx_time_strerror(rc));
	size_t dashes = 0;
	int clock = 0;
	for (size_t i = 0; i < n; i++) {
		dashes += t[i] == '-';
		clock |= t[i] == ':' || t[i] == 'T' || t[i] == 't';
	}
	o->kind = O_TIME;
	o->lo = lo;
	o->hi = lo + 1;
	if (!clock && dashes > 0 && t[0] != '-') {
		struct cx_civil c;
		cx_instant_to_local(lo, &c);
		if (dashes == 2)
			o->hi = cx_local_to_instant(c.year, c.month, c.day + 1, 0, 0, 0);
		else
			o->hi = cx_local_to_instant(c.year, c.month + 1, 1, 0, 0, 0);
	}
	return 0;
}

/* A number, else a time literal (it has a '-' after its first character,
 * or a ':'), else an error. */
static int literal(parser *p, xoperand *o)
{
	const char *t = p->s + p->tok.off;
	size_t n = p->tok.end - p->tok.off;
	o->text = cx_strndup(t, n);
	o->len = n;
	int rc = cx_num_parse(t, n, &o->num);
	if (rc == 0) {
		o->kind = O_NUMBER;
		return 0;
	}
	int timeish = memchr(t, ':', n) != NULL;
	for (size_t i = 1; i < n && !timeish; i++)
		timeish = t[i] == '-' && t[i - 1] != 'e' && t[i - 1] != 'E';
	if (timeish)
		return time_literal(p, o, t, n);
	return fail(p, p->tok.off, "bad number '%.*s': %s", (int)n, t, cx_num_strerror(rc));
}

/* A field, a string or a literal: the current token, consumed. */
static int operand(parser *p, xoperand *o, const char *expected)
{
	cx_buf b = CX_BUF_INIT;
	int rc = 0;
	memset(o, 0, sizeof *o);
	switch (p->tok.t) {
	case T_IDENT:
	case T_QNAME:
		o->kind = O_FIELD;
		o->text = cx_strndup(p->val.p, p->val.len);
		o->len = p->val.len;
		o->slot = slot_of(p->e, p->val.p, p->val.len);
		break;
	case T_STRING:
		o->kind = O_STRING;
		o->text = cx_strndup(p->val.p ? p->val.p : "", p->val.len);
		o->len = p->val.len;
		break;
	case T_LIT:
		rc = literal(p, o);
		break;
	default:
		rc = fail(p, p->tok.off, "%s, found %s", expected, found(p, &b));
	}
	cx_buf_free(&b);
	if (rc == 0)
		rc = next(p);
	if (rc < 0) {
		free(o->text);
		o->text = NULL;
	}
	return rc;
}

static xoperand copy_operand(const xoperand *o)
{
	xoperand c = *o;
	c.text = cx_strndup(o->text, o->len);
	return c;
}

static enum xop mirror(enum xop op)
{
	switch (op) {
	case OP_LT: return OP_GT;
	case OP_LE: return OP_GE;
	case OP_GT: return OP_LT;
	case OP_GE: return OP_LE;
	default: return op;
	}
}

/* A comparison node; a time literal must face a field, which goes left. */
static int make_cmp(parser *p, size_t at, enum xop op, xoperand l, xoperand r, size_t *out)
{
	size_t i = add_node(p, X_CMP);
	xnode *x = &p->e->v[i];
	x->op = op;
	x->l = l;
	x->r = r;
	*out = i;
	if (l.kind == O_TIME && r.kind == O_FIELD) {
		x->l = r;
		x->r = l;
		x->op = mirror(op);
	} else if ((l.kind == O_TIME) != (r.kind == O_TIME) && (l.kind != O_FIELD && r.kind != O_FIELD)) {
		const xoperand *other = l.kind == O_TIME ? &r : &l;
		return fail(p, at, "a time literal is compared with a field, not with '%s'", other->text);
	} else if (l.kind == O_TIME && r.kind == O_TIME) {
		return fail(p, at, "a time literal is compared with a field, not with another time");
	}
	return 0;
}

static int parse_or(parser *p, size_t *out);

static int regex(parser *p, size_t node)
{
	int code;
	PCRE2_SIZE off;
	xnode *x = &p->e->v[node];
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)x->r.text, x->r.len, PCRE2_UTF | PCRE2_UCP, &code,
				       &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		/* Point into the pattern when its text is its value. */
		size_t at = p->tok.escaped || off > x->r.len ? p->tok.off : p->tok.off + 1 + off;
		return fail(p, at, "bad regular expression: %s", (char *)msg);
	}
	cx_jit(re);
	x->re = re;
	if (!p->e->md)
		p->e->md = pcre2_match_data_create(1, NULL);
	return 0;
}

static int is_value(enum tk t)
{
	return t == T_STRING || t == T_LIT;
}

/* The items of  lhs in ( v, ... ), the current token the '(': an || of
 * lhs == v, or the one comparison. */
static int parse_list(parser *p, const xoperand *lhs, size_t *out)
{
	cx_buf b = CX_BUF_INIT;
	size_t lp = p->tok.off, or = (size_t)-1, first = (size_t)-1;
	int rc = next(p);
	while (rc == 0) {
		xoperand v;
		size_t vat = p->tok.off, c;
		if (!is_value(p->tok.t)) {
			rc = fail(p, vat, "expected a string, a number or a time in the list, found %s",
				  found(p, &b));
			break;
		}
		if ((rc = operand(p, &v, "")) < 0 ||
		    (rc = make_cmp(p, vat, OP_EQ, copy_operand(lhs), v, &c)) < 0)
			break;
		if (first == (size_t)-1) {
			first = c;
		} else {
			if (or == (size_t)-1) {
				or = add_node(p, X_OR);
				add_kid(p->e, or, first);
			}
			add_kid(p->e, or, c);
		}
		if (p->tok.t == T_RP) {
			*out = or != (size_t)-1 ? or : first;
			rc = next(p);
			break;
		}
		if (p->tok.t != T_COMMA) {
			rc = fail(p, p->tok.off, "expected ',' or ')' in the list opened at column %zu, found %s",
				  lp + 1, found(p, &b));
			break;
		}
		rc = next(p);
	}
	cx_buf_free(&b);
	return rc;
}

/* lo..hi after  lhs in : lhs >= lo && lhs <= hi. */
static int parse_range(parser *p, const xoperand *lhs, size_t at, size_t *out)
{
	cx_buf b = CX_BUF_INIT;
	xoperand lo, hi;
	size_t c;
	int rc = -1;
	if (!is_value(p->tok.t)) {
		rc = fail(p, p->tok.off, "expected '(' (a list) or a range lo..hi after 'in', found %s",
			  found(p, &b));
	} else if (operand(p, &lo, "") == 0) {
		if (p->tok.t != T_DOTDOT)
			fail(p, p->tok.off, "expected '..' in the range after 'in', found %s", found(p, &b));
		else if (next(p) == 0 && !is_value(p->tok.t))
			fail(p, p->tok.off, "expected a string, a number or a time after '..', found %s",
			     found(p, &b));
		else if (!p->failed && operand(p, &hi, "") == 0) {
			size_t and = add_node(p, X_AND);
			*out = and;
			rc = make_cmp(p, at, OP_GE, copy_operand(lhs), lo, &c);
			add_kid(p->e, and, c);
			lo.text = NULL;
			if (rc == 0) {
				rc = make_cmp(p, at, OP_LE, copy_operand(lhs), hi, &c);
				add_kid(p->e, and, c);
			} else {
				free(hi.text);
			}
		}
		free(lo.text);
	}
	cx_buf_free(&b);
	return rc;
}

/* lhs in ( v, ... )  or  lhs in lo..hi; lhs is ours to free. */
static int parse_in(parser *p, xoperand lhs, size_t *out)
{
	size_t at = p->tok.off;
	int rc = next(p);
	if (rc == 0)
		rc = p->tok.t == T_LP ? parse_list(p, &lhs, out) : parse_range(p, &lhs, at, out);
	free(lhs.text);
	return rc;
}

static int parse_function(parser *p, size_t *out)
{
	cx_buf b = CX_BUF_INIT;
	size_t at = p->tok.off;
	enum xkind kind;
	int rc = 0;
	if (p->val.len == 7 && !memcmp(p->val.p, "missing", 7))
		kind = X_MISSING;
	else if (p->val.len == 7 && !memcmp(p->val.p, "present", 7))
		kind = X_PRESENT;
	else
		return fail(p, at, "unknown function '%s' (there are missing() and present())", p->val.p);
	const char *name = kind == X_MISSING ? "missing" : "present";
	if ((rc = next(p)) < 0 || (rc = next(p)) < 0)	/* the name, the '(' */
		goto done;
	if (p->tok.t != T_IDENT && p->tok.t != T_QNAME) {
		rc = fail(p, p->tok.off, "expected a field name in %s(), found %s", name, found(p, &b));
		goto done;
	}
	size_t i = add_node(p, kind);
	*out = i;
	xoperand o;
	if ((rc = operand(p, &o, "")) < 0)
		goto done;
	p->e->v[i].l = o;
	if (p->tok.t != T_RP)
		rc = fail(p, p->tok.off, "expected ')' after the field name in %s(), found %s", name,
			  found(p, &b));
	else
		rc = next(p);
done:
	cx_buf_free(&b);
	return rc;
}

/* Is the next thing after the current token a '(' (a function call)? */
static int call_follows(const parser *p)
{
	size_t i = p->tok.end;
	while (i < p->n && (p->s[i] == ' ' || p->s[i] == '\t' || p->s[i] == '\n' || p->s[i] == '\r'))
		i++;
	return i < p->n && p->s[i] == '(';
}

/* lhs ~ "re", lhs !~ "re"; lhs is ours to free. */
static int parse_match(parser *p, xoperand lhs, const char *lhs_text, size_t *out)
{
	cx_buf b = CX_BUF_INIT;
	enum tk t = p->tok.t;
	const char *ot = t == T_MATCH ? "~" : "!~";
	int rc;
	if (lhs.kind != O_FIELD) {
		rc = fail(p, p->tok.off, "the left side of '%s' must be a field, not '%s'", ot, lhs_text);
	} else if ((rc = next(p)) == 0 && p->tok.t != T_STRING) {
		rc = fail(p, p->tok.off, "expected a string (the regular expression) after '%s', found %s",
			  ot, found(p, &b));
	} else if (rc == 0) {
		size_t i = add_node(p, X_MATCH);
		xnode *x = &p->e->v[i];
		*out = i;
		x->op = t == T_MATCH ? OP_MATCH : OP_NOMATCH;
		x->l = lhs;
		lhs.text = NULL;
		x->r.kind = O_STRING;
		x->r.text = cx_strndup(p->val.p ? p->val.p : "", p->val.len);
		x->r.len = p->val.len;
		if ((rc = regex(p, i)) == 0)
			rc = next(p);
	}
	free(lhs.text);
	cx_buf_free(&b);
	return rc;
}

static int parse_comparison(parser *p, size_t *out)
{
	cx_buf b = CX_BUF_INIT, lt = CX_BUF_INIT;
	xoperand l, r;
	int rc;
	cx_shown(&lt, p->s + p->tok.off, p->tok.end - p->tok.off);
	if ((rc = operand(p, &l, "expected a comparison")) < 0)
		goto done;
	enum tk t = p->tok.t;
	size_t at = p->tok.off;
	if (t >= T_EQ && t <= T_GE) {
		enum xop op = (enum xop)(OP_EQ + (t - T_EQ));
		enum tk v = T_END;
		if ((rc = next(p)) == 0) {
			v = p->tok.t;
			if (!is_value(v) && v != T_IDENT && v != T_QNAME)
				rc = fail(p, p->tok.off, "expected a value after '%s', found %s", op_text[op],
					  found(p, &b));
		}
		if (rc < 0 || (rc = operand(p, &r, "")) < 0) {
			free(l.text);
			goto done;
		}
		rc = make_cmp(p, at, op, l, r, out);
	} else if (t == T_MATCH || t == T_NMATCH) {
		rc = parse_match(p, l, lt.p, out);
	} else if (t == T_IDENT && p->val.len == 2 && !memcmp(p->val.p, "in", 2)) {
		rc = parse_in(p, l, out);
	} else {
		free(l.text);
		rc = fail(p, at,
			  "expected a comparison operator (==, !=, <, <=, >, >=, ~, !~ or in) after '%s', "
			  "found %s", lt.p, found(p, &b));
	}
done:
	cx_buf_free(&b);
	cx_buf_free(&lt);
	return rc;
}

static int parse_primary(parser *p, size_t *out)
{
	cx_buf b = CX_BUF_INIT;
	int rc;
	if (p->tok.t == T_LP) {
		size_t lp = p->tok.off;
		if (++p->depth > CX_EXPR_MAX_DEPTH)
			return fail(p, lp, "expression nested too deep (more than %d levels)",
				    CX_EXPR_MAX_DEPTH);
		if ((rc = next(p)) == 0 && (rc = parse_or(p, out)) == 0) {
			if (p->tok.t != T_RP)
				rc = fail(p, p->tok.off, "expected ')' to close the '(' at column %zu, found %s",
					  lp + 1, found(p, &b));
			else
				rc = next(p);
		}
		p->depth--;
	} else if (p->tok.t == T_IDENT && call_follows(p)) {
		rc = parse_function(p, out);
	} else {
		rc = parse_comparison(p, out);
	}
	cx_buf_free(&b);
	return rc;
}

static int parse_unary(parser *p, size_t *out)
{
	if (p->tok.t != T_NOT)
		return parse_primary(p, out);
	size_t at = p->tok.off;
	if (++p->depth > CX_EXPR_MAX_DEPTH)
		return fail(p, at, "expression nested too deep (more than %d levels)", CX_EXPR_MAX_DEPTH);
	size_t i = add_node(p, X_NOT), kid;
	*out = i;
	int rc = next(p);
	if (rc == 0 && p->tok.t == T_END)
		rc = fail(p, p->tok.off, "expected a comparison after '!', found the end of the expression");
	if (rc == 0 && (rc = parse_unary(p, &kid)) == 0)
		add_kid(p->e, i, kid);
	p->depth--;
	return rc;
}

/* One level of n-ary && (or ||) over the level below. */
static int parse_chain(parser *p, size_t *out, enum tk sep, enum xkind kind,
		       int (*below)(parser *, size_t *))
{
	size_t first, node = (size_t)-1, kid;
	if (below(p, &first) < 0)
		return -1;
	*out = first;
	while (p->tok.t == sep) {
		if (next(p) < 0)
			return -1;
		if (p->tok.t == T_END)
			return fail(p, p->tok.off,
				    "expected a comparison after '%s', found the end of the expression",
				    sep == T_AND ? "&&" : "||");
		if (node == (size_t)-1) {
			node = add_node(p, kind);
			add_kid(p->e, node, first);
			*out = node;
		}
		if (below(p, &kid) < 0)
			return -1;
		add_kid(p->e, node, kid);
	}
	return 0;
}

static int parse_and(parser *p, size_t *out)
{
	return parse_chain(p, out, T_AND, X_AND, parse_unary);
}

static int parse_or(parser *p, size_t *out)
{
	return parse_chain(p, out, T_OR, X_OR, parse_and);
}

cx_expr *cx_expr_parse(const char *src, size_t n, cx_expr_error *err)
{
	parser p = { .s = src, .n = n, .err = err };
	memset(err, 0, sizeof *err);
	p.e = cx_calloc(1, sizeof *p.e);
	cx_buf b = CX_BUF_INIT;
	size_t bad = cx_utf8_check(src, n);
	int rc;
	if (bad)
		rc = fail(&p, bad - 1, "the expression is not UTF-8 (byte %zu)", bad);
	else if ((rc = next(&p)) == 0 && p.tok.t == T_END)
		rc = fail(&p, 0, "empty expression");
	else if (rc == 0 && (rc = parse_or(&p, &p.e->root)) == 0 && p.tok.t != T_END) {
		if (p.tok.t == T_RP)
			rc = fail(&p, p.tok.off, "unmatched ')'");
		else
			rc = fail(&p, p.tok.off,
				  "unexpected %s after a complete expression (a missing '&&' or '||'?)",
				  found(&p, &b));
	}
	cx_buf_free(&b);
	cx_buf_free(&p.val);
	if (rc < 0) {
		cx_expr_free(p.e);
		return NULL;
	}
	return p.e;
}

void cx_expr_free(cx_expr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].kids);
		free(e->v[i].l.text);
		free(e->v[i].r.text);
		if (e->v[i].re)
			pcre2_code_free(e->v[i].re);
	}
	free(e->v);
	for (size_t i = 0; i < e->nslots; i++) {
		free(e->slots[i].name);
		cx_buf_free(&e->slots[i].scratch);
	}
	free(e->slots);
	if (e->md)
		pcre2_match_data_free(e->md);
	free(e);
}

void cx_expr_error_format(cx_buf *b, const char *src, size_t n, const cx_expr_error *err)
{
	size_t off = err->off < n ? err->off : n;
	size_t line = 1, start = 0;
	for (size_t i = 0; i < off; i++)
		if (src[i] == '\n') {
			line++;
			start = i + 1;
		}
	size_t end = start;
	while (end < n && src[end] != '\n')
		end++;
	cx_buf caret = CX_BUF_INIT, echo = CX_BUF_INIT;
	size_t col = 1;
	for (size_t i = start; i < end;) {
		uint32_t cp;
		size_t k = cx_utf8_decode(src + i, end - i, &cp);
		unsigned char c = (unsigned char)src[i];
		/* A byte that is not UTF-8 is echoed as '?', like a control byte. */
		int bad = c >= 0x80 && cx_utf8_check(src + i, k) != 0;
		if (!bad && (c == '\t' || (c >= 0x20 && c != 0x7f)))
			cx_buf_add(&echo, src + i, k);
		else
			cx_buf_addc(&echo, '?');
		if (i < off) {
			col++;
			if (c == '\t')
				cx_buf_addc(&caret, '\t');
			else
				for (int w = bad || c < 0x20 || c == 0x7f ? 1 : cx_cp_width(cp); w > 0; w--)
					cx_buf_addc(&caret, ' ');
		}
		i += k;
	}
	cx_buf_addf(b, "expression:%zu:%zu: %s\n  %s\n  %s^", line, col, err->msg,
		    echo.p ? echo.p : "", caret.p ? caret.p : "");
	cx_buf_free(&caret);
	cx_buf_free(&echo);
}

/* ---- the printer */

static void print_string(cx_buf *b, const char *s, size_t n)
{
	cx_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '"': cx_buf_adds(b, "\\\""); break;
		case '\\': cx_buf_adds(b, "\\\\"); break;
		case '\t': cx_buf_adds(b, "\\t"); break;
		case '\n': cx_buf_adds(b, "\\n"); break;
		default: cx_buf_addc(b, s[i]);
		}
	}
	cx_buf_addc(b, '"');
}

static void print_operand(cx_buf *b, const xoperand *o)
{
	if (o->kind == O_STRING) {
		print_string(b, o->text, o->len);
		return;
	}
	int bare = o->kind != O_FIELD || (o->len > 0 && is_ident_start(o->text[0]));
	for (size_t i = 0; bare && o->kind == O_FIELD && i < o->len; i++)
		bare = is_ident(o->text[i]);
	if (!bare)
		cx_buf_addc(b, '`');
	cx_buf_add(b, o->text, o->len);
	if (!bare)
		cx_buf_addc(b, '`');
}

static void print_node(const cx_expr *e, size_t i, cx_buf *b)
{
	const xnode *x = &e->v[i];
	switch (x->kind) {
	case X_OR:
	case X_AND:
		cx_buf_addc(b, '(');
		for (size_t k = 0; k < x->nkids; k++) {
			if (k)
				cx_buf_adds(b, x->kind == X_OR ? " || " : " && ");
			print_node(e, x->kids[k], b);
		}
		cx_buf_addc(b, ')');
		break;
	case X_NOT:
		cx_buf_addc(b, '!');
		print_node(e, x->kids[0], b);
		break;
	case X_CMP:
	case X_MATCH:
		print_operand(b, &x->l);
		cx_buf_addf(b, " %s ", op_text[x->op]);
		print_operand(b, &x->r);
		break;
	case X_MISSING:
	case X_PRESENT:
		cx_buf_adds(b, x->kind == X_MISSING ? "missing(" : "present(");
		print_operand(b, &x->l);
		cx_buf_addc(b, ')');
		break;
	}
}

void cx_expr_print(const cx_expr *e, cx_buf *b)
{
	print_node(e, e->root, b);
}
