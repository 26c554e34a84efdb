#include "alert/rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "io/input.h"
#include "core/ruletok.h"
#include "core/jit.h"
#include "core/num.h"
#include "io/stream.h"

const char *const cx_rule_kind_names[CX_RULE_NKINDS] = { "trend", "record", "window", "sla", "text" };
const char *const cx_rule_op_names[] = { ">", ">=", "<", "<=", "==", "!=", "~", "!~" };
const char *const cx_severity_names[4] = { "low", "medium", "high", "critical" };
const char *const cx_rule_placeholders[] = {
	"rule", "severity", "period", "metric", "value", "threshold", "baseline", "p",
	"for", "count", "ids", "status", NULL,
};

static const char *const kind_help[CX_RULE_NKINDS] = {
	"COLUMN OP NUMBER|COLUMN [and ...]: each row of a cx-trend stream, per group in period order",
	"FIELD OP VALUE [and ...]: each complaint record",
	"KEY count > N within DURATION: the same KEY more than N times in a sliding window",
	"FIELD within DURATION of FROM: FIELD still empty past FROM + DURATION as of --now",
	"FIELD ~ /REGEX/FLAGS [and ...]: a PCRE2 pattern (UTF) on a field; !~ for no match",
};

/* ---- tokens */

typedef cx_tok tok;
#define T_WORD CX_TOK_WORD
#define T_STRING CX_TOK_STRING
#define T_OP CX_TOK_OP
#define T_REGEX CX_TOK_REGEX

typedef cx_rparse pstate;

static tok *peek(pstate *ps)
{
	return cx_rp_peek(ps);
}

static tok *next(pstate *ps, const char *what)
{
	return cx_rp_next(ps, what, NULL);
}

/* A "string" where a word is due, named with its quotes by cx_rp_shown:
 * "expected a severity, not 'high'" would puzzle whoever wrote "high". */
static int string_instead(pstate *ps, const tok *t, const char *what)
{
	return cx_rp_fail(ps, "expected %s, not '%s'", what, cx_rp_shown(ps, t));
}

static const char *word(pstate *ps, const char *what)
{
	return cx_rp_word(ps, what, NULL);
}

static int is_word(const tok *t, const char *w)
{
	return cx_rp_is_word(t, w);
}

/* Whether v is a whole number in [lo, hi].  The range is tested before
 * any cast: converting a double beyond an integer type's range is
 * undefined (fuzz_rules found two such casts). */
static int whole_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

static int number(pstate *ps, const char *after, double *v)
{
	tok *t = next(ps, "a number");
	if (!t)
		return -1;
	if (t->type == T_STRING)
		return string_instead(ps, t, "a number");
	int rc = cx_num_parse(t->s, strlen(t->s), v);
	if (rc < 0)
		return cx_rp_fail(ps, "%s: bad number '%s'", after, t->s);
	return 0;
}

static int duration(pstate *ps, const char *after, long long *v)
{
	tok *t = next(ps, "a duration");
	if (!t)
		return -1;
	if (t->type == T_STRING)
		return string_instead(ps, t, "a duration");
	/* The unit is required here: cx_duration_parse reads a bare '7' as 7
	 * seconds, so 'within 7' meant as a week would silently become a
	 * 7-second window. */
	size_t n = strlen(t->s);
	*v = n >= 2 && strchr("smhdw", t->s[n - 1]) ? cx_duration_parse(t->s) : -1;
	if (*v <= 0)
		return cx_rp_fail(ps, "%s: bad duration '%s' (use 45s, 30m, 2h, 7d, 2w)", after, t->s);
	return 0;
}

static int op_of(const tok *t)
{
	if (!t || t->type != T_OP)
		return -1;
	for (int i = 0; i <= CX_OP_NOMATCH; i++)
		if (!strcmp(t->s, cx_rule_op_names[i]))
			return i;
	return -1;
}

/* A field or column name: letters, digits, '_', '.', '-' and any non-ASCII. */
static int good_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(c >= 0x80 || c == '_' || c == '.' || c == '-' || (c >= '0' && c <= '9') ||
		      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return 0;
	}
	return 1;
}

static const char *field_name(pstate *ps, const char *what)
{
	const char *w = word(ps, what);
	if (w && !good_name(w)) {
		cx_rp_fail(ps, "bad %s '%s'", what, w);
		return NULL;
	}
	return w;
}

/* ---- conditions, one parser per kind */

static int parse_cmp(pstate *ps, cx_rule *r)
{
	const char *f = field_name(ps, "a field name");
	if (!f)
		return -1;
	tok *ot = next(ps, "an operator");
	if (!ot)
		return -1;
	int op = op_of(ot);
	if (op < 0)
		return cx_rp_fail(ps, "expected an operator (> >= < <= == != ~ !~) after '%s', not '%s'", f, ot->s);
	int match = op == CX_OP_MATCH || op == CX_OP_NOMATCH;
	if (match != (r->kind == CX_RULE_TEXT))
		return cx_rp_fail(ps, match ? "'%s' matches a pattern: only in a text rule" :
			    "a text rule matches a pattern: use ~ or !~, not '%s'", ot->s);
	tok *v = next(ps, "a value");
	if (!v)
		return -1;
	r->cmp = cx_realloc(r->cmp, (r->ncmp + 1) * sizeof *r->cmp);
	cx_rule_cmp *c = &r->cmp[r->ncmp++];
	memset(c, 0, sizeof *c);
	c->field = cx_strdup(f);
	c->op = (enum cx_rule_op)op;
	c->rhs = cx_strdup(v->s);
	if (match) {
		if (v->type != T_REGEX)
			return cx_rp_fail(ps, "expected /REGEX/ after '%s'", ot->s);
		return 0;
	}
	if (v->type == T_OP || v->type == T_REGEX)
		return cx_rp_fail(ps, "expected a value after '%s', not '%s'", ot->s, v->s);
	c->rhs_quoted = v->type == T_STRING;
	c->rhs_is_num = !c->rhs_quoted && cx_num_parse(v->s, strlen(v->s), &c->num) == 0;
	int ordering = op <= CX_OP_LE;
	if (r->kind == CX_RULE_TREND) {
		if (c->rhs_quoted)
			return cx_rp_fail(ps, "a trend rule compares numbers: '%s' is a string", v->s);
		if (!c->rhs_is_num) {
			if (!good_name(v->s))
				return cx_rp_fail(ps, "bad number or column '%s'", v->s);
			c->rhs_is_field = 1;
		}
	} else if (ordering && !c->rhs_is_num) {
		return cx_rp_fail(ps, "'%s' compares numbers: bad number '%s'", ot->s, v->s);
	}
	return 0;
}

static int compile_regex(pstate *ps, cx_rule *r, size_t i)
{
	const tok *t = &ps->tk.t[ps->pos - 1];
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	for (const char *f = t->flags ? t->flags : ""; *f; f++) {
		switch (*f) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'm': opts |= PCRE2_MULTILINE; break;
		case 's': opts |= PCRE2_DOTALL; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		default: return cx_rp_fail(ps, "unknown regular expression flag '%c' (i, m, s, x)", *f);
		}
	}
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)t->s, strlen(t->s), opts, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		return cx_rp_fail(ps, "bad regular expression /%s/: %s at offset %zu", t->s, (char *)msg, (size_t)off);
	}
	cx_jit(re);
	r->re[i] = re;
	return 0;
}

static int parse_cmps(pstate *ps, cx_rule *r)
{
	for (;;) {
		if (parse_cmp(ps, r) < 0)
			return -1;
		if (r->kind == CX_RULE_TEXT) {
			r->re = cx_realloc(r->re, r->ncmp * sizeof *r->re);
			r->re[r->ncmp - 1] = NULL;
			if (compile_regex(ps, r, r->ncmp - 1) < 0)
				return -1;
		}
		if (!is_word(peek(ps), "and"))
			return 0;
		ps->pos++;
	}
}

static int parse_window(pstate *ps, cx_rule *r)
{
	const char *k = field_name(ps, "a key field");
	if (!k)
		return -1;
	r->key = cx_strdup(k);
	if (!is_word(peek(ps), "count"))
		return cx_rp_fail(ps, "expected 'count' after the key: KEY count > N within DURATION");
	ps->pos++;
	tok *ot = next(ps, "'>' or '>='");
	if (!ot)
		return -1;
	int op = op_of(ot);
	if (op != CX_OP_GT && op != CX_OP_GE)
		return cx_rp_fail(ps, "expected '>' or '>=' after 'count', not '%s'", ot->s);
	double n;
	if (number(ps, "count", &n) < 0)
		return -1;
	if (!whole_in(n, op == CX_OP_GT ? 0 : 1, 1e6))
		return cx_rp_fail(ps, "count: bad number '%s' (a whole number from %d to 1000000)",
				  ps->tk.t[ps->pos - 1].s, op == CX_OP_GT ? 0 : 1);
	r->count_gt = (long long)n - (op == CX_OP_GE);
	if (!is_word(peek(ps), "within"))
		return cx_rp_fail(ps, "expected 'within DURATION' after the count");
	ps->pos++;
	return duration(ps, "within", &r->within);
}

static int parse_sla(pstate *ps, cx_rule *r)
{
	const char *f = field_name(ps, "a field name");
	if (!f)
		return -1;
	r->sla_field = cx_strdup(f);
	if (!is_word(peek(ps), "within"))
		return cx_rp_fail(ps, "expected 'within DURATION of FIELD' after '%s'", f);
	ps->pos++;
	if (duration(ps, "within", &r->within) < 0)
		return -1;
	if (!is_word(peek(ps), "of"))
		return cx_rp_fail(ps, "expected 'of FIELD' after the duration");
	ps->pos++;
	const char *from = field_name(ps, "a field name");
	if (!from)
		return -1;
	r->sla_from = cx_strdup(from);
	return 0;
}

/* ---- options: one row each */

enum { K_TREND = 1 << CX_RULE_TREND, K_RECORD = 1 << CX_RULE_RECORD, K_WINDOW = 1 << CX_RULE_WINDOW,
       K_SLA = 1 << CX_RULE_SLA, K_TEXT = 1 << CX_RULE_TEXT, K_ALL = 0x1f };

typedef struct opt_row {
	const char *name;
	unsigned kinds;
	const char *args;
	const char *help;
	int (*parse)(pstate *ps, cx_rule *r);
} opt_row;

static int opt_of_field(pstate *ps, char **field)
{
	if (!is_word(peek(ps), "of"))
		return 0;
	ps->pos++;
	const char *f = field_name(ps, "a column name");
	if (!f)
		return -1;
	free(*field);
	*field = cx_strdup(f);
	return 0;
}

static int o_for(pstate *ps, cx_rule *r)
{
	double v;
	if (number(ps, "for", &v) < 0)
		return -1;
	if (!whole_in(v, 1, 100000))
		return cx_rp_fail(ps, "for: bad number '%s' (a whole number of periods from 1 to 100000)",
				  ps->tk.t[ps->pos - 1].s);
	r->for_n = (long)v;
	return 0;
}

static int o_min(pstate *ps, cx_rule *r)
{
	if (number(ps, "min", &r->min) < 0)
		return -1;
	r->has_min = 1;
	return opt_of_field(ps, &r->min_field);
}

static int o_p(pstate *ps, cx_rule *r)
{
	tok *t = next(ps, "'<'");
	if (!t)
		return -1;
	if (op_of(t) != CX_OP_LT && op_of(t) != CX_OP_LE)
		return cx_rp_fail(ps, "expected 'p < ALPHA', not 'p %s'", t->s);
	if (number(ps, "p", &r->p_max) < 0)
		return -1;
	if (!(r->p_max > 0 && r->p_max <= 1))
		return cx_rp_fail(ps, "p: bad number '%s' (a level between 0 and 1, such as 0.05)", ps->tk.t[ps->pos - 1].s);
	r->has_p = 1;
	return opt_of_field(ps, &r->p_field);
}

static int o_severity(pstate *ps, cx_rule *r)
{
	const char *w = word(ps, "a severity");
	if (!w)
		return -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(w, cx_severity_names[i])) {
			r->severity = (enum cx_severity)i;
			return 0;
		}
	return cx_rp_fail(ps, "unknown severity '%s' (low, medium, high, critical)", w);
}

static int o_group(pstate *ps, cx_rule *r)
{
	const char *w = word(ps, "a list of fields or -");
	if (!w)
		return -1;
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	free(r->group);
	r->group = NULL;
	r->ngroup = 0;
	r->group_set = 1;
	if (!strcmp(w, "-"))
		return 0;
	r->group = cx_split_list(w, &r->ngroup);
	for (size_t i = 0; i < r->ngroup; i++)
		if (!good_name(r->group[i]))
			return cx_rp_fail(ps, "group: bad field name '%s'", r->group[i]);
	return 0;
}

static void count_names(const char *p, size_t n, int is_name, void *ctx)
{
	(void)p;
	(void)n;
	(void)is_name;
	(void)ctx;
}

static int o_message(pstate *ps, cx_rule *r)
{
	tok *t = next(ps, "a \"message\"");
	if (!t)
		return -1;
	if (t->type != T_STRING && t->type != T_WORD)
		return cx_rp_fail(ps, "expected a \"message\", not '%s'", t->s);
	cx_buf e = CX_BUF_INIT;
	if (cx_template_walk(t->s, count_names, NULL, &e) < 0) {
		cx_rp_fail(ps, "message: %s", e.p);
		cx_buf_free(&e);
		return -1;
	}
	cx_buf_free(&e);
	free(r->message);
	r->message = cx_strdup(t->s);
	return 0;
}

static int o_cooldown(pstate *ps, cx_rule *r)
{
	return duration(ps, "cooldown", &r->cooldown);
}

static int o_on(pstate *ps, cx_rule *r)
{
	const char *f = field_name(ps, "a time field");
	if (!f)
		return -1;
	free(r->on);
	r->on = cx_strdup(f);
	return 0;
}

static void free_ladder(cx_rule *r)
{
	for (size_t i = 0; i < r->nladder; i++)
		free(r->ladder[i].label);
	free(r->ladder);
	r->ladder = NULL;
	r->nladder = 0;
}

static int o_ladder(pstate *ps, cx_rule *r)
{
	const char *w = word(ps, "a ladder such as 75%:warn,100%:breach");
	if (!w)
		return -1;
	free_ladder(r);
	const char *s = w;
	for (;;) {
		const char *colon = strchr(s, ':');
		const char *comma = strchr(s, ',');
		if (!comma)
			comma = s + strlen(s);
		if (!colon || colon > comma || colon == s || colon[-1] != '%' || colon + 1 == comma)
			return cx_rp_fail(ps, "ladder: bad step '%.*s' (PERCENT%%:LABEL, such as 150%%:escalate_1)",
				    (int)(comma - s), s);
		double pct;
		if (cx_num_parse(s, (size_t)(colon - 1 - s), &pct) < 0 || !(pct > 0))
			return cx_rp_fail(ps, "ladder: bad number '%.*s'", (int)(colon - 1 - s), s);
		if (r->nladder && pct <= r->ladder[r->nladder - 1].pct)
			return cx_rp_fail(ps, "ladder: the percentages must increase ('%.*s')", (int)(comma - s), s);
		r->ladder = cx_realloc(r->ladder, (r->nladder + 1) * sizeof *r->ladder);
		r->ladder[r->nladder].pct = pct;
		r->ladder[r->nladder].label = cx_strndup(colon + 1, (size_t)(comma - colon - 1));
		if (!good_name(r->ladder[r->nladder++].label))
			return cx_rp_fail(ps, "ladder: bad label '%.*s'", (int)(comma - colon - 1), colon + 1);
		if (!*comma)
			return 0;
		s = comma + 1;
	}
}

static const opt_row opt_rows[] = {
	{ .name = "severity", .kinds = K_ALL, .args = "low|medium|high|critical",
	  .help = "the alert's severity (default: medium)", .parse = o_severity },
	{ .name = "message", .kinds = K_ALL, .args = "\"TEMPLATE\"",
	  .help = "the alert text; {field} and {value} {threshold} {baseline} {p} {rule} {for} {count} {period} {ids}",
	  .parse = o_message },
	{ .name = "group", .kinds = K_TREND | K_RECORD | K_SLA | K_TEXT, .args = "FIELDS|-",
	  .help = "the fields that identify an incident (trend default: the stream's group fields; others: id)",
	  .parse = o_group },
	{ .name = "for", .kinds = K_TREND, .args = "N",
	  .help = "the condition held in N consecutive periods of the group, this one included", .parse = o_for },
	{ .name = "min", .kinds = K_TREND, .args = "N [of COLUMN]",
	  .help = "the value column (complaints for complaints_pop_pct) is at least N this period", .parse = o_min },
	{ .name = "p", .kinds = K_TREND, .args = "< ALPHA [of COLUMN]",
	  .help = "the p-value column (V_p_pop for pop conditions, V_p_yoy for yoy) is below ALPHA", .parse = o_p },
	{ .name = "cooldown", .kinds = K_WINDOW, .args = "DURATION",
	  .help = "do not fire again for the same key within DURATION (default: the window)", .parse = o_cooldown },
	{ .name = "on", .kinds = K_WINDOW, .args = "FIELD",
	  .help = "the time field of the window (default: created_at)", .parse = o_on },
	{ .name = "ladder", .kinds = K_SLA, .args = "PCT%:LABEL,...",
	  .help = "escalation levels by elapsed share of the target (default: 100%:breach)", .parse = o_ladder },
};
enum { NOPTS = sizeof opt_rows / sizeof opt_rows[0] };

/* ---- one rule */

static void free_rule(cx_rule *r)
{
	free(r->name);
	free(r->message);
	for (size_t i = 0; i < r->ncmp; i++) {
		free(r->cmp[i].field);
		free(r->cmp[i].rhs);
		if (r->re && r->re[i])
			pcre2_code_free(r->re[i]);
	}
	free(r->cmp);
	free(r->re);
	free(r->min_field);
	free(r->p_field);
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	free(r->group);
	free(r->key);
	free(r->on);
	free(r->sla_field);
	free(r->sla_from);
	free_ladder(r);
}

static int parse_rule(pstate *ps, cx_rules *rs, cx_rule *r)
{
	const char *name = word(ps, "a rule name");
	if (!name)
		return -1;
	if (!good_name(name))
		return cx_rp_fail(ps, "bad rule name '%s' (letters, digits, _ . -)", name);
	r->name = cx_strdup(name);
	ps->rule = r->name;
	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->v[i].name, name))
			continue;
		/* Each parse has its own copy of the file name: the same name
		 * from an earlier parse is the same file read twice, which
		 * "first at r:1" at r:1 would not make plain. */
		if (rs->v[i].file != ps->file && !strcmp(rs->v[i].file, ps->file))
			return cx_rp_fail(ps, "duplicate rule name '%s': the rules file '%s' is given twice",
					  name, ps->file);
		return cx_rp_fail(ps, "duplicate rule name '%s' (first at %s:%ld)", name, rs->v[i].file,
			    rs->v[i].line);
	}
	const char *k = word(ps, "a kind (trend, record, window, sla, text)");
	if (!k)
		return -1;
	int kind = -1;
	for (int i = 0; i < CX_RULE_NKINDS; i++)
		if (!strcmp(k, cx_rule_kind_names[i]))
			kind = i;
	if (kind < 0)
		return cx_rp_fail(ps, "unknown kind '%s' (trend, record, window, sla, text)", k);
	r->kind = (enum cx_rule_kind)kind;
	int rc;
	switch (r->kind) {
	case CX_RULE_WINDOW: rc = parse_window(ps, r); break;
	case CX_RULE_SLA: rc = parse_sla(ps, r); break;
	default: rc = parse_cmps(ps, r); break;
	}
	if (rc < 0)
		return -1;
	while (ps->pos < ps->tk.n) {
		tok *t = &ps->tk.t[ps->pos++];
		const opt_row *o = NULL;
		for (size_t i = 0; i < NOPTS; i++)
			if (t->type == T_WORD && !strcmp(t->s, opt_rows[i].name))
				o = &opt_rows[i];
		/* A quoted "severity" is not the option severity: saying
		 * "unknown option 'severity'" would puzzle (a stray second
		 * message string is the usual cause). */
		if (!o && t->type == T_STRING)
			return string_instead(ps, t, "an option");
		if (!o)
			return cx_rp_fail(ps, "unknown option '%s'", t->s);
		if (!(o->kinds & (1u << r->kind)))
			return cx_rp_fail(ps, "option '%s' does not apply to a %s rule", o->name,
				    cx_rule_kind_names[r->kind]);
		if (o->parse(ps, r) < 0)
			return -1;
	}
	if (r->kind == CX_RULE_SLA && !r->nladder) {
		r->ladder = cx_malloc(sizeof *r->ladder);
		r->ladder[0].pct = 100;
		r->ladder[0].label = cx_strdup("breach");
		r->nladder = 1;
	}
	return 0;
}

int cx_rules_parse(cx_rules *rs, const char *text, size_t n, const char *name, cx_buf *err)
{
	rs->files = cx_realloc(rs->files, (rs->nfiles + 1) * sizeof *rs->files);
	const char *fname = rs->files[rs->nfiles++] = cx_strdup(name);
	pstate ps;
	cx_rp_init(&ps, text, n, fname, CX_TOK_OPERATORS, err);
	int rc;
	while ((rc = cx_rp_line(&ps)) > 0) {
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? 2 * rs->cap : 8;
			rs->v = cx_realloc(rs->v, rs->cap * sizeof *rs->v);
		}
		cx_rule *r = &rs->v[rs->n];
		memset(r, 0, sizeof *r);
		r->file = fname;
		r->line = ps.line;
		r->severity = CX_SEV_MEDIUM;
		r->for_n = 1;
		r->cooldown = -1;
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

void cx_rules_load(cx_rules *rs, const char *path)
{
	cx_buf b = CX_BUF_INIT;
	cx_input_slurp(path, NULL, &b);
	cx_buf err = CX_BUF_INIT;
	/* Messages name standard input as every cx message does (cx(7)). */
	const char *name = cx_path_name(path);
	size_t before = rs->n;
	if (cx_rules_parse(rs, b.p ? b.p : "", b.len, name, &err) < 0) {
		cx_buf_free(&b);
		cx_die(CX_EXIT_USAGE, "%s", err.p);
	}
	cx_buf_free(&b);
	cx_buf_free(&err);
	/* A file without a rule is a mistake (an empty deploy, /dev/null, the
	 * wrong file), not a rule set: without this the run would end in "no
	 * rule applies to this input", which blames the input. */
	if (rs->n == before)
		cx_die(CX_EXIT_USAGE, "%s: no rules in the file (only comments and blank lines)", name);
}

void cx_rules_free(cx_rules *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free_rule(&rs->v[i]);
	free(rs->v);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	memset(rs, 0, sizeof *rs);
}

void cx_rules_list(cx_buf *out)
{
	cx_buf_adds(out, "kind\tcondition\n");
	for (int i = 0; i < CX_RULE_NKINDS; i++)
		cx_buf_addf(out, "%s\t%s\n", cx_rule_kind_names[i], kind_help[i]);
	cx_buf_adds(out, "\noption\targuments\tkinds\thelp\n");
	for (size_t i = 0; i < NOPTS; i++) {
		cx_buf_addf(out, "%s\t%s\t", opt_rows[i].name, opt_rows[i].args);
		if (opt_rows[i].kinds == K_ALL) {
			cx_buf_adds(out, "all");
		} else {
			const char *sep = "";
			for (int k = 0; k < CX_RULE_NKINDS; k++)
				if (opt_rows[i].kinds & (1u << k)) {
					cx_buf_addf(out, "%s%s", sep, cx_rule_kind_names[k]);
					sep = ",";
				}
		}
		cx_buf_addf(out, "\t%s\n", opt_rows[i].help);
	}
}

int cx_template_walk(const char *t, void (*fn)(const char *p, size_t n, int is_name, void *ctx),
		     void *ctx, cx_buf *err)
{
	const char *lit = t;
	const char *s = t;
	while (*s) {
		if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
			fn(lit, (size_t)(s - lit) + 1, 0, ctx);
			s += 2;
			lit = s;
		} else if (*s == '{') {
			const char *e = strchr(s + 1, '}');
			if (!e || e == s + 1 || memchr(s + 1, '{', (size_t)(e - s - 1))) {
				cx_buf_reset(err);
				cx_buf_addf(err, e == s + 1 ? "empty {} at byte %zu" :
					    "unclosed '{' at byte %zu (write {{ for a brace)", (size_t)(s - t) + 1);
				return -1;
			}
			if (s > lit)
				fn(lit, (size_t)(s - lit), 0, ctx);
			fn(s + 1, (size_t)(e - s - 1), 1, ctx);
			s = e + 1;
			lit = s;
		} else if (*s == '}') {
			cx_buf_reset(err);
			cx_buf_addf(err, "a '}' without '{' at byte %zu (write }} for a brace)", (size_t)(s - t) + 1);
			return -1;
		} else {
			s++;
		}
	}
	if (s > lit)
		fn(lit, (size_t)(s - lit), 0, ctx);
	return 0;
}
