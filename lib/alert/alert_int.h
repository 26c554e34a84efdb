/*
 * alert_int.h: internal to lib/alert, shared by the pieces of the alert
 * engine only; not for cmd/ or other layers, whose API is alert.h.
 *
 * The engine is one struct passed to every piece, so its types live here:
 *   alert.c         the run, the fields of the current record, group keys,
 *                   message templates, the alert being filled in;
 *   alert_bind.c    binding the rules to the input's header;
 *   alert_eval.c    evaluating each rule kind on a record (or trend row);
 *   alert_state.c   incidents: the state file, fired / ongoing / resolved;
 *   alert_render.c  the output formats (tsv, chat webhooks, email).
 * Functions shared between them carry the alert_ prefix.
 */
#ifndef CX_ALERT_INT_H
#define CX_ALERT_INT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "alert/alert.h"
#include "core/keys.h"

/* ---- output formats: one row each (the table is alert_render.c's) */

struct engine;
struct alert;

typedef struct render_row {
	const char *name;
	enum cx_render id;
	void (*one)(struct engine *e, const struct alert *a);
} render_row;

/* ---- per-group state and bound rules */

typedef struct gstate {
	char *last_period;	/* trend: the group's previous row */
	int has_idx;
	enum cx_unit unit;
	int64_t idx;
	long run;		/* trend: consecutive periods the condition held */
	cx_instant *ts;		/* window: sorted times in the window */
	cx_slice *ids;		/* their ids (owned copies, NUL bytes kept) */
	size_t n, cap;
	int fired;
	cx_instant last_fire;
} gstate;

typedef struct bound {
	const cx_rule *r;
	long *lhs, *rhs;	/* per cmp: column index; rhs -1 for a constant */
	size_t *grp;		/* group field indexes */
	size_t ngrp;
	char **grp_names;
	size_t *grp_out;	/* their positions in the output's group columns */
	long min_col, p_col, base_col, time_col, id_col, key_col, sla_col;
	pcre2_match_data **md;
	cx_keys groups;
	gstate *gs;
	size_t gcap;
} bound;

/* An open sla candidate, copied because the record goes away. */
typedef struct sla_cand {
	bound *b;
	cx_instant t0;
	cx_slice *vals;		/* owned copies, with their lengths: a value may hold a NUL */
} sla_cand;

typedef struct sentry {
	char *rule, *key, *period, *last, *seen, *metric, *message;
	int open, touched;
} sentry;

typedef struct alert {
	const cx_rule *rule;
	const char *status;
	cx_buf period, metric, value, threshold, baseline, p, message, key, count, ids;
	cx_buf *grp;		/* one per output group column */
	long run;
} alert;

typedef struct engine {
	const cx_alert_conf *c;
	cx_reader *r;
	cx_output *o;
	const render_row *render;
	int trend;		/* the input is a trend stream */
	long period_col;
	bound *b;
	size_t nb;
	char **out_grp;		/* the output's group columns */
	size_t nout;
	cx_slice *tsv_groups;	/* nout values of the alert being written */
	cx_buf scratch, scratch2, tmp, tmp2;
	cx_slice *saved;	/* sla: the record being evaluated, or NULL */
	alert a;
	/* state */
	cx_keys skeys;
	sentry *se;
	size_t sn, scap;
	const cx_rules *rules;
	int any_fired;
	size_t printed;
	cx_buf mail;		/* email: the body so far */
	cx_buf first_subject;
	cx_instant max_time;
	int have_time;
	sla_cand *cands;
	size_t ncand, ccap;
} engine;

/* ---- alert.c: fields of the current record (or of a saved sla
 * candidate); a number or time field that does not parse dies (bad data) */

cx_slice alert_fieldv(engine *e, long i);
int alert_fieldnum(engine *e, long i, double *v);
int alert_fieldtime(engine *e, long i, cx_instant *t);
void alert_put_time(cx_buf *b, cx_instant t);
void alert_add_buf(cx_buf *out, const cx_buf *b);

/* ---- alert.c: the alert being filled in */

/* Empty every field of the alert. */
void alert_reset(engine *e);
/* Its key and group columns from the bound rule's fields. */
void alert_groups(engine *e, bound *b);
/* Its group columns from an encoded key (for resolved). */
void alert_key_decode(engine *e, const char *k);
/* Its message from a template (checked when parsed). */
void alert_expand(engine *e, const char *tmpl);
/* Everything the engine owns. */
void alert_free_engine(engine *e);

/* ---- alert_bind.c */

/* Bind the rules to the input's header; dies if none applies. */
void alert_bind(engine *e);
/* Add an output group column, unless it is there. */
void alert_add_out_group(engine *e, const char *name);

/* ---- alert_eval.c: one rule on the current record; a firing goes to
 * alert_fire() */

void alert_eval_trend(engine *e, bound *b, const char *P, int has_idx, enum cx_unit unit, int64_t idx);
void alert_eval_record(engine *e, bound *b);
void alert_eval_text(engine *e, bound *b);
void alert_eval_window(engine *e, bound *b);
/* sla: keep the record if it is an open candidate, judge it at the end. */
void alert_keep_sla(engine *e, bound *b);
void alert_eval_sla(engine *e, sla_cand *c, cx_instant now);

/* ---- alert_state.c */

void alert_setstr(char **dst, const char *s);
void alert_state_load(engine *e);
void alert_state_save(engine *e);
void alert_fire(engine *e, bound *b, int continuing);
void alert_resolve(engine *e);

/* ---- alert_render.c */

/* The row of format id. */
const render_row *alert_render_row(enum cx_render id);
/* Write the alert (unless it is ongoing and not wanted). */
void alert_emit(engine *e);
void alert_tsv_header(engine *e);
/* email: the one message, headers and the bodies gathered. */
void alert_email_finish(engine *e);

#endif
