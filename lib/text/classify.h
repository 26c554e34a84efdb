/*
 * classify: the cx-classify rules language (man/cx-classify.5) and the
 * matcher that applies it to complaint text.
 *
 * One rule per logical line:
 *     NAME category CAT[/SUB] [dept DEPT] [severity S] [priority N]
 *          match PATTERN [match PATTERN]... [require PATTERN]... [except PATTERN]...
 * A PATTERN is /regex/flags (PCRE2, UTF and UCP mode) or a "literal".
 * A rule applies when any `match` pattern matches, every `require` pattern
 * matches and no `except` pattern does.  Rules are tried by priority,
 * highest first, ties in file order.
 *
 * cx_crules_parse() reports the first error as "NAME:LINE: message"
 * instead of dying (a fuzz target calls it); cx_crules_load() dies with
 * status 2.  The compiled set is read-only while matching; each matcher
 * (cx_cmatch) owns the PCRE2 match data, so matching allocates nothing.
 *
 * Memory: a cx_crules owns every string and compiled pattern in it.
 */
#ifndef CX_CLASSIFY_H
#define CX_CLASSIFY_H

#include <stddef.h>

#include "core/buf.h"

enum cx_cpat_kind { CX_CPAT_MATCH, CX_CPAT_REQUIRE, CX_CPAT_EXCEPT };

typedef struct cx_cpat {
	enum cx_cpat_kind kind;
	char *src;		/* the pattern as written, unescaped */
	char *flags;		/* i m s x, or "" ; "L" for a literal */
	void *re;		/* pcre2_code * */
} cx_cpat;

typedef struct cx_crule {
	char *name;
	char *category, *subcategory;	/* subcategory "" when none */
	char *dept;		/* "" when none */
	char *severity;		/* "" when none */
	long priority;
	int has_priority;	/* while parsing: a priority was given */
	char *file;		/* the rules file, and the line, for messages */
	long line;
	size_t order;		/* position in the file(s) */
	cx_cpat *pat;
	size_t npat;
} cx_crule;

/* Why s[0..n) cannot be a category, or NULL if it can.  Categories,
 * subcategories and departments go into ;-joined fields of the stream
 * (--multi): not empty, no ';', no control character, UTF-8.  The same
 * rule holds for those that come from elsewhere (--unmatched, a model's
 * labels). */
const char *cx_category_problem(const char *s, size_t n);

typedef struct cx_crules {
	cx_crule *v;
	size_t n, cap;
	cx_crule **sorted;	/* by priority, then order: set by cx_crules_finish */
	void *any;		/* pcre2_code *: every match pattern joined, or NULL */
} cx_crules;

#define CX_CRULES_INIT { NULL, 0, 0, NULL, NULL }

/* Parse text[0..n) as the rules file `name`, appending to rs.  Returns 0,
 * or -1 with "name:LINE: message" in err. */
int cx_crules_parse(cx_crules *rs, const char *text, size_t n, const char *name, cx_buf *err);
/* Read and parse a file; dies with status 2 (bad rules) or 4 (I/O). */
void cx_crules_load(cx_crules *rs, const char *path);
/* Keep only (keep = 1) or drop (keep = 0) the rules of a category, and of
 * a subcategory unless it is NULL; before cx_crules_finish.  So that one
 * program can use a part of another's rules (cx-dialog: cx-classify's
 * escalation/external). */
void cx_crules_select(cx_crules *rs, const char *category, const char *subcategory, int keep);
/* Move every rule of from to the end of rs, and free from; dies (status
 * 2) on a name both use, as parsing would. */
void cx_crules_append(cx_crules *rs, cx_crules *from);
/* Sort by priority and build the prefilter; call once after parsing. */
void cx_crules_finish(cx_crules *rs);
void cx_crules_free(cx_crules *rs);

/* The default rule set and seed lexicon (classify_default.c). */
extern const char cx_classify_default_rules[];
extern const char cx_sentiment_seed_lexicon[];

/* One hit: the rule and the byte span of its first `match` hit. */
typedef struct cx_chit {
	const cx_crule *rule;
	size_t start, end;
} cx_chit;

typedef struct cx_cmatch {
	const cx_crules *rs;
	void **md;		/* pcre2_match_data * per rule's largest pattern */
	void *anymd;
	cx_chit *hits;
	size_t nhits;
	int error;		/* a PCRE2 error (match limit): its code */
} cx_cmatch;

void cx_cmatch_init(cx_cmatch *m, const cx_crules *rs);
void cx_cmatch_free(cx_cmatch *m);

/*
 * Match valid UTF-8 text s[0..n) (checked by the caller: no UTF check is
 * repeated).  With all == 0 stops at the first applicable rule by
 * priority; else collects every applicable rule, by priority.  Returns the
 * number of hits, in m->hits.  A PCRE2 runtime error (match or depth
 * limit) counts as no match and is left in m->error.
 */
size_t cx_cmatch_run(cx_cmatch *m, const char *s, size_t n, int all);

#endif
