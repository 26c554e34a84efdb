#include "text/classify.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "io/input.h"
#include "core/ruletok.h"
#include "core/jit.h"
#include "core/utf8.h"

/* Tokens: lib/ruletok, without operators (man 5 cx-classify). */
typedef cx_tok tok;
#define T_WORD CX_TOK_WORD
#define T_STRING CX_TOK_STRING
#define T_OP CX_TOK_OP
#define T_REGEX CX_TOK_REGEX

typedef cx_rparse pstate;

static int good_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

const char *cx_category_problem(const char *s, size_t n)
{
	if (!n)
		return "it is empty";
	if (cx_utf8_check(s, n))
		return "it is not UTF-8";
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ';')
			return "it holds a ';' (the --multi separator)";
		if ((unsigned char)s[i] < 0x20)
			return "it holds a control character";
	}
	return NULL;
}

static int good_value(const char *s)
{
	return !cx_category_problem(s, strlen(s));
}

static const char *const severities[] = { "low", "medium", "high", "critical", NULL };

/* ---- the options of a rule: one row each */

typedef struct opt_row {
	const char *name;
	int (*parse)(pstate *ps, cx_crule *r, const char *opt);
	const char *help;
} opt_row;

static int opt_category(pstate *ps, cx_crule *r, const char *opt)
{
	const char *w = cx_rp_word(ps, "a category", opt);
	if (!w)
		return -1;
	if (r->category)
		return cx_rp_fail(ps, "category given twice");
	const char *sl = strchr(w, '/');
	size_t cl = sl ? (size_t)(sl - w) : strlen(w);
	r->category = cx_strndup(w, cl);
	r->subcategory = cx_strdup(sl ? sl + 1 : "");
	if (!good_value(r->category) || (sl && !good_value(r->subcategory)) ||
	    (sl && strchr(r->subcategory, '/')))
		return cx_rp_fail(ps, "bad category '%s' (CATEGORY or CATEGORY/SUBCATEGORY, no ';')", w);
	return 0;
}

static int opt_dept(pstate *ps, cx_crule *r, const char *opt)
{
	tok *t = cx_rp_next(ps, "a department", opt);
	if (!t)
		return -1;
	if (r->dept)
		return cx_rp_fail(ps, "dept given twice");
	/* A word, or a "string" for a name with blanks; flag letters after
	 * the string would be dropped unseen, so they are refused. */
	if (t->type == T_REGEX || (t->type == T_STRING && *t->flags) || !good_value(t->s))
		return cx_rp_fail(ps, "bad department '%s' (a word or a \"string\", no ';' or control characters)",
				  cx_rp_shown(ps, t));
	r->dept = cx_strdup(t->s);
	return 0;
}

static int opt_severity(pstate *ps, cx_crule *r, const char *opt)
{
	const char *w = cx_rp_word(ps, "a severity", opt);
	if (!w)
		return -1;
	if (r->severity)
		return cx_rp_fail(ps, "severity given twice");
	for (size_t i = 0; severities[i]; i++)
		if (!strcmp(w, severities[i])) {
			r->severity = cx_strdup(w);
			return 0;
		}
	return cx_rp_fail(ps, "unknown severity '%s' (low, medium, high, critical)", w);
}

static int opt_priority(pstate *ps, cx_crule *r, const char *opt)
{
	const char *w = cx_rp_word(ps, "a number", opt);
	if (!w)
		return -1;
	/* A second priority would silently win over the first. */
	if (r->has_priority)
		return cx_rp_fail(ps, "priority given twice");
	r->has_priority = 1;
	char *end;
	errno = 0;
	long v = strtol(w, &end, 10);
	if (*end || end == w || errno || v < -1000000 || v > 1000000)
		return cx_rp_fail(ps, "priority: expected a whole number in [-1000000, 1000000], not '%s'", w);
	r->priority = v;
	return 0;
}

static int compile_pat(pstate *ps, cx_cpat *p, const tok *t)
{
	/* PCRE2_LITERAL refuses UCP, which a literal does not need. */
	uint32_t opts = PCRE2_UTF | (t->type == T_STRING ? PCRE2_LITERAL : PCRE2_UCP);
	for (const char *f = t->flags; *f; f++) {
		switch (*f) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'm': if (t->type == T_REGEX) { opts |= PCRE2_MULTILINE; break; } /* fall through */
		case 's': if (t->type == T_REGEX) { opts |= PCRE2_DOTALL; break; } /* fall through */
		case 'x': if (t->type == T_REGEX) { opts |= PCRE2_EXTENDED; break; } /* fall through */
		default:
			return cx_rp_fail(ps, "unknown flag '%c' after %s (%s)", *f,
				    t->type == T_REGEX ? "a regular expression" : "a string",
				    t->type == T_REGEX ? "i, m, s, x" : "i");
		}
	}
	if (!*t->s)
		return cx_rp_fail(ps, "empty pattern");
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)t->s, strlen(t->s), opts, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		return cx_rp_fail(ps, "bad regular expression /%s/: %s at offset %zu", t->s, (char *)msg, (size_t)off);
	}
	cx_jit(re);
	p->re = re;
	return 0;
}

static int add_pat(pstate *ps, cx_crule *r, const char *opt, enum cx_cpat_kind kind)
{
	tok *t = cx_rp_next(ps, "a /pattern/ or \"string\"", opt);
	if (!t)
		return -1;
	if (t->type == T_WORD)
		return cx_rp_fail(ps, "expected a /pattern/ or \"string\" after '%s', not '%s'", opt, t->s);
	r->pat = cx_realloc(r->pat, (r->npat + 1) * sizeof *r->pat);
	cx_cpat *p = &r->pat[r->npat++];
	p->kind = kind;
	p->src = cx_strdup(t->s);
	p->flags = cx_strdup(t->type == T_STRING ? "" : t->flags);
	p->re = NULL;
	if (t->type == T_STRING) {	/* remember it was a literal, for the prefilter */
		free(p->flags);
		p->flags = cx_malloc(strlen(t->flags) + 2);
		p->flags[0] = 'L';
		strcpy(p->flags + 1, t->flags);
	}
	return compile_pat(ps, p, t);
}

static int opt_match(pstate *ps, cx_crule *r, const char *o) { return add_pat(ps, r, o, CX_CPAT_MATCH); }
static int opt_require(pstate *ps, cx_crule *r, const char *o) { return add_pat(ps, r, o, CX_CPAT_REQUIRE); }
static int opt_except(pstate *ps, cx_crule *r, const char *o) { return add_pat(ps, r, o, CX_CPAT_EXCEPT); }

static const opt_row opts[] = {
	{ "category", opt_category, "CAT[/SUB]: the category (and subcategory) written; required" },
	{ "dept", opt_dept, "DEPT: the department or owner the complaint routes to" },
	{ "severity", opt_severity, "low|medium|high|critical" },
	{ "priority", opt_priority, "N: higher is tried first (default 0; ties: file order)" },
	{ "match", opt_match, "PATTERN: the rule applies if any match pattern matches (one at least)" },
	{ "require", opt_require, "PATTERN: ... and every require pattern matches" },
	{ "except", opt_except, "PATTERN: ... and no except pattern matches" },
};
#define NOPTS (sizeof opts / sizeof opts[0])

static void free_rule(cx_crule *r)
{
	free(r->name);
	free(r->file);
	free(r->category);
	free(r->subcategory);
	free(r->dept);
	free(r->severity);
	for (size_t i = 0; i < r->npat; i++) {
		free(r->pat[i].src);
		free(r->pat[i].flags);
		if (r->pat[i].re)
			pcre2_code_free(r->pat[i].re);
	}
	free(r->pat);
}

static int parse_rule(pstate *ps, cx_crules *rs, cx_crule *r)
{
	tok *t = &ps->tk.t[ps->pos++];
	if (t->type != T_WORD)
		return cx_rp_fail(ps, "expected a rule name, not '%s'", cx_rp_shown(ps, t));
	if (!good_name(t->s))
		return cx_rp_fail(ps, "bad rule name '%s' (letters, digits, _ . -)", t->s);
	r->name = cx_strdup(t->s);
	ps->rule = r->name;
	/* Names are unique across the files of a run: the first may be in
	 * another file, which the message then names. */
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].name, r->name)) {
			/* In one reading of a file the first is on an earlier
			 * line; on this line or later, the file is read again. */
			if (!strcmp(rs->v[i].file, r->file) && rs->v[i].line >= r->line)
				return cx_rp_fail(ps, "duplicate rule name '%s': the rules file '%s' is given twice",
						  r->name, r->file);
			if (!strcmp(rs->v[i].file, r->file))
				return cx_rp_fail(ps, "duplicate rule name '%s' (first at line %ld)", r->name,
						  rs->v[i].line);
			return cx_rp_fail(ps, "duplicate rule name '%s' (first at %s:%ld)", r->name,
					  rs->v[i].file, rs->v[i].line);
		}
	while (ps->pos < ps->tk.n) {
		t = &ps->tk.t[ps->pos++];
		const opt_row *o = NULL;
		for (size_t i = 0; i < NOPTS && t->type == T_WORD; i++)
			if (!strcmp(t->s, opts[i].name))
				o = &opts[i];
		if (!o)
			return cx_rp_fail(ps, "unknown option '%s' (category, dept, severity, priority, match, "
					  "require, except)", cx_rp_shown(ps, t));
		if (o->parse(ps, r, o->name) < 0)
			return -1;
	}
	if (!r->category)
		return cx_rp_fail(ps, "no category (add: category NAME)");
	size_t nm = 0;
	for (size_t i = 0; i < r->npat; i++)
		nm += r->pat[i].kind == CX_CPAT_MATCH;
	if (!nm)
		return cx_rp_fail(ps, "no match pattern (add: match /REGEX/)");
	if (!r->dept)
		r->dept = cx_strdup("");
	if (!r->severity)
		r->severity = cx_strdup("");
	return 0;
}

int cx_crules_parse(cx_crules *rs, const char *text, size_t n, const char *name, cx_buf *err)
{
	pstate ps;
	cx_rp_init(&ps, text, n, name, 0, err);
	int rc;
	while ((rc = cx_rp_line(&ps)) > 0) {
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? 2 * rs->cap : 32;
			rs->v = cx_realloc(rs->v, rs->cap * sizeof *rs->v);
		}
		cx_crule *r = &rs->v[rs->n];
		memset(r, 0, sizeof *r);
		r->line = ps.line;
		r->file = cx_strdup(name);
		r->order = rs->n;
		if (parse_rule(&ps, rs, r) < 0) {
			free_rule(r);
			rc = -1;
			break;
		}
		rs->n++;
	}
	cx_rp_free(&ps);
	return rc;
}

void cx_crules_select(cx_crules *rs, const char *category, const char *subcategory, int keep)
{
	size_t k = 0;
	for (size_t i = 0; i < rs->n; i++) {
		cx_crule *r = &rs->v[i];
		int is = !strcmp(r->category, category) &&
			 (!subcategory || !strcmp(r->subcategory, subcategory));
		if (is != keep) {
			free_rule(r);
			continue;
		}
		rs->v[k] = *r;
		rs->v[k].order = k;
		k++;
	}
	rs->n = k;
}

void cx_crules_append(cx_crules *rs, cx_crules *from)
{
	for (size_t i = 0; i < from->n; i++)
		for (size_t j = 0; j < rs->n; j++)
			if (!strcmp(rs->v[j].name, from->v[i].name))
				cx_die(CX_EXIT_USAGE, "%s:%ld: rule '%s': the name is taken by %s:%ld",
				       from->v[i].file, from->v[i].line, from->v[i].name, rs->v[j].file,
				       rs->v[j].line);
	if (rs->n + from->n > rs->cap) {
		rs->cap = rs->n + from->n;
		rs->v = cx_realloc(rs->v, rs->cap * sizeof *rs->v);
	}
	for (size_t i = 0; i < from->n; i++) {
		rs->v[rs->n] = from->v[i];
		rs->v[rs->n].order = rs->n;
		rs->n++;
	}
	from->n = 0;	/* the rules are rs's now */
	cx_crules_free(from);
}

void cx_crules_load(cx_crules *rs, const char *path)
{
	cx_buf b = CX_BUF_INIT;
	cx_input_slurp(path, NULL, &b);
	cx_buf err = CX_BUF_INIT;
	/* Messages name standard input as cx(7) does, not "-". */
	const char *name = cx_path_name(path);
	if (cx_crules_parse(rs, b.p ? b.p : "", b.len, name, &err) < 0)
		cx_die(CX_EXIT_USAGE, "%s", err.p);
	cx_buf_free(&err);
	cx_buf_free(&b);
}

static int by_priority(const void *a, const void *b)
{
	const cx_crule *x = *(cx_crule *const *)a, *y = *(cx_crule *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* A pattern that numbers or names groups cannot be joined with others:
 * its back references would point elsewhere. */
static int joinable(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1]) {
			if ((p[1] >= '1' && p[1] <= '9') || p[1] == 'g' || p[1] == 'k')
				return 0;
			p++;
		} else if (p[0] == '(' && p[1] == '?' &&
			   (p[2] == 'P' || p[2] == 'R' || p[2] == '|' || p[2] == '&' ||
			    (p[2] >= '0' && p[2] <= '9') || p[2] == '+' || p[2] == '-')) {
			return 0;
		}
	}
	return 1;
}

void cx_crules_finish(cx_crules *rs)
{
	free(rs->sorted);
	rs->sorted = cx_malloc((rs->n ? rs->n : 1) * sizeof *rs->sorted);
	for (size_t i = 0; i < rs->n; i++)
		rs->sorted[i] = &rs->v[i];
	qsort(rs->sorted, rs->n, sizeof *rs->sorted, by_priority);

	/* The prefilter: every match pattern in one alternation.  A record it
	 * does not match can match no rule, which is most of the cost on
	 * data that is mostly unmatched. */
	if (rs->any) {
		pcre2_code_free(rs->any);
		rs->any = NULL;
	}
	cx_buf b = CX_BUF_INIT;
	int ok = rs->n > 0;
	for (size_t i = 0; i < rs->n && ok; i++) {
		const cx_crule *r = &rs->v[i];
		for (size_t j = 0; j < r->npat && ok; j++) {
			const cx_cpat *p = &r->pat[j];
			if (p->kind != CX_CPAT_MATCH)
				continue;
			if (b.len)
				cx_buf_addc(&b, '|');
			cx_buf_adds(&b, "(?:");
			int lit = p->flags[0] == 'L';
			const char *f = p->flags + lit;
			if (*f)
				cx_buf_addf(&b, "(?%s)", f);
			if (lit) {
				for (const char *s = p->src; *s; s++) {
					if ((unsigned char)*s < 0x80 && !((*s >= 'a' && *s <= 'z') ||
									   (*s >= 'A' && *s <= 'Z') ||
									   (*s >= '0' && *s <= '9')))
						cx_buf_addc(&b, '\\');
					cx_buf_addc(&b, *s);
				}
			} else {
				ok = joinable(p->src);
				cx_buf_adds(&b, p->src);
			}
			/* A newline ends an x-mode comment before the ')'. */
			cx_buf_adds(&b, strchr(f, 'x') ? "\n)" : ")");
		}
	}
	if (ok) {
		int code;
		PCRE2_SIZE off;
		rs->any = pcre2_compile((PCRE2_SPTR)b.p, b.len, PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
		if (rs->any)
			cx_jit(rs->any);
	}
	cx_buf_free(&b);
}

void cx_crules_free(cx_crules *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free_rule(&rs->v[i]);
	free(rs->v);
	free(rs->sorted);
	if (rs->any)
		pcre2_code_free(rs->any);
	memset(rs, 0, sizeof *rs);
}

/* ---- matching */

static pcre2_match_context *mctx;

void cx_cmatch_init(cx_cmatch *m, const cx_crules *rs)
{
	memset(m, 0, sizeof *m);
	m->rs = rs;
	m->md = cx_malloc(sizeof *m->md);
	/* One pair of offsets is all we read; a pattern with groups still
	 * matches (pcre2_match returns 0: "ovector too small"). */
	m->md[0] = pcre2_match_data_create(1, NULL);
	m->hits = cx_malloc((rs->n ? rs->n : 1) * sizeof *m->hits);
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mctx, 1000000);
		pcre2_set_depth_limit(mctx, 10000);
	}
}

void cx_cmatch_free(cx_cmatch *m)
{
	if (m->md) {
		pcre2_match_data_free(m->md[0]);
		free(m->md);
	}
	free(m->hits);
	memset(m, 0, sizeof *m);
}

/* 1 match (span in *st, *en), 0 none. */
static int run1(cx_cmatch *m, const void *re, const char *s, size_t n, size_t *st, size_t *en)
{
	pcre2_match_data *md = m->md[0];
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, md, mctx);
	if (rc >= 0) {
		if (st) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			*st = ov[0];
			*en = ov[1];
		}
		return 1;
	}
	if (rc != PCRE2_ERROR_NOMATCH)
		m->error = rc;
	return 0;
}

size_t cx_cmatch_run(cx_cmatch *m, const char *s, size_t n, int all)
{
	const cx_crules *rs = m->rs;
	m->nhits = 0;
	m->error = 0;
	if (rs->any && !run1(m, rs->any, s, n, NULL, NULL))
		return 0;
	for (size_t i = 0; i < rs->n; i++) {
		const cx_crule *r = rs->sorted[i];
		size_t st = 0, en = 0;
		int hit = 0;
		for (size_t j = 0; j < r->npat && !hit; j++)
			if (r->pat[j].kind == CX_CPAT_MATCH)
				hit = run1(m, r->pat[j].re, s, n, &st, &en);
		for (size_t j = 0; j < r->npat && hit; j++) {
			if (r->pat[j].kind == CX_CPAT_REQUIRE)
				hit = run1(m, r->pat[j].re, s, n, NULL, NULL);
			else if (r->pat[j].kind == CX_CPAT_EXCEPT)
				hit = !run1(m, r->pat[j].re, s, n, NULL, NULL);
		}
		if (!hit)
			continue;
		m->hits[m->nhits++] = (cx_chit){ r, st, en };
		if (!all)
			break;
	}
	return m->nhits;
}
