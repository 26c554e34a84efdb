/*
 * rules: the cx-alert rules language (man/cx-alert.5), parsed into a table.
 *
 * One rule per line:  NAME KIND CONDITION [OPTION ARGS]...
 *   - '#' starts a comment (outside quotes and regexes), a '\' at the very
 *     end of a line joins the next line to it, blank lines are ignored;
 *   - tokens are words, "quoted strings" (\" and \\ inside), /regexes/flags
 *     (only after ~ or !~), and the operators > >= < <= == != ~ !~, which
 *     need no spaces around them.
 * The kinds and the options are tables (rules.c): each option row says
 * which kinds take it and how its arguments are read, so the parser, the
 * validation messages, --list and the man page come from one place.
 *
 * cx_rules_parse() checks everything that can be checked without the data
 * (kinds, options, numbers, durations, regexes, templates, duplicates) and
 * reports the first error as "NAME:LINE: message" instead of dying, so a
 * fuzz target can call it.  Checks against an input header are the
 * evaluator's (alert.h).
 *
 * Memory: a cx_rules owns every string and compiled pattern in it;
 * cx_rules_free() releases them all.
 */
#ifndef CX_RULES_H
#define CX_RULES_H

#include <stddef.h>

#include "core/buf.h"

enum cx_rule_kind { CX_RULE_TREND, CX_RULE_RECORD, CX_RULE_WINDOW, CX_RULE_SLA, CX_RULE_TEXT };
enum { CX_RULE_NKINDS = CX_RULE_TEXT + 1 };
/* "trend" "record" "window" "sla" "text", indexed by kind. */
extern const char *const cx_rule_kind_names[CX_RULE_NKINDS];

enum cx_rule_op { CX_OP_GT, CX_OP_GE, CX_OP_LT, CX_OP_LE, CX_OP_EQ, CX_OP_NE, CX_OP_MATCH, CX_OP_NOMATCH };
/* ">" ">=" ... "~" "!~", indexed by op. */
extern const char *const cx_rule_op_names[];

enum cx_severity { CX_SEV_LOW, CX_SEV_MEDIUM, CX_SEV_HIGH, CX_SEV_CRITICAL };
extern const char *const cx_severity_names[4];

/* One comparison: field OP (number | word | "string" | column). */
typedef struct cx_rule_cmp {
	char *field;
	enum cx_rule_op op;
	char *rhs;		/* as written (unquoted) */
	int rhs_quoted;		/* a "string": always compared as text */
	int rhs_is_num;		/* rhs parses as a number: num holds it */
	double num;
	int rhs_is_field;	/* trend: rhs names a column (resolved later) */
} cx_rule_cmp;

typedef struct cx_sla_step {
	double pct;		/* of the target: 100 = at the deadline */
	char *label;
} cx_sla_step;

typedef struct cx_rule {
	char *name;
	enum cx_rule_kind kind;
	const char *file;	/* the rules file's name (owned by cx_rules) */
	long line;		/* where the rule starts */
	enum cx_severity severity;
	char *message;		/* template, or NULL for the default */

	cx_rule_cmp *cmp;	/* trend, record, text: all must hold ("and") */
	size_t ncmp;

	/* trend */
	long for_n;		/* consecutive periods, default 1 */
	int has_min;
	double min;
	char *min_field;	/* "min N of FIELD", or NULL: the base column */
	int has_p;
	double p_max;
	char *p_field;		/* "p < A of FIELD", or NULL: inferred */

	/* group: the fields that identify an incident (and are printed) */
	int group_set;		/* a group option was given */
	char **group;
	size_t ngroup;

	/* window: KEY count > N within DURATION */
	char *key;
	long long count_gt;
	long long within;	/* seconds; also the sla target */
	long long cooldown;	/* seconds; -1: not given (default: within) */
	char *on;		/* time field, default created_at */

	/* sla: FIELD within DURATION of FROM */
	char *sla_field, *sla_from;
	cx_sla_step *ladder;
	size_t nladder;

	/* text: pattern per cmp (MATCH / NOMATCH); pcre2_code *, opaque here */
	void **re;
} cx_rule;

typedef struct cx_rules {
	cx_rule *v;
	size_t n, cap;
	char **files;		/* names of the files parsed, for messages */
	size_t nfiles;
} cx_rules;

#define CX_RULES_INIT { NULL, 0, 0, NULL, 0 }

/*
 * Parse text[0..n) (need not be NUL-terminated) as the rules file `name`,
 * appending to rs.  Returns 0, or -1 with "name:LINE: message" in err and
 * rs holding the rules parsed before the bad one (still freeable).
 */
int cx_rules_parse(cx_rules *rs, const char *text, size_t n, const char *name, cx_buf *err);

/* Read and parse a file; dies with status 2 (bad rules) or 4 (I/O). */
void cx_rules_load(cx_rules *rs, const char *path);

void cx_rules_free(cx_rules *rs);

/* The kinds and options with their help, one per line (cx-alert --list). */
void cx_rules_list(cx_buf *out);

/* Specials a message template may name besides the input's fields. */
extern const char *const cx_rule_placeholders[];

/*
 * Walk the {name} placeholders of a template: calls fn for each name and
 * for each literal run (name == NULL).  "{{" and "}}" are literal braces.
 * Returns 0, or -1 with a message in err for an unclosed or empty {}.
 */
int cx_template_walk(const char *t, void (*fn)(const char *p, size_t n, int is_name, void *ctx),
		     void *ctx, cx_buf *err);

#endif
