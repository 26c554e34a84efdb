/*
 * alert_state: incidents, so that a run says only what is new.  An alert
 * is fired once per incident, then ongoing (printed with --all) until the
 * incident resolves; the --state file carries the open incidents from one
 * run to the next.  Without --state every firing is "fired" and nothing
 * resolves.  The identity of an incident and the rules for each kind are
 * in alert.h and man/cx-alert.1.
 */
#include "alert/alert_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"

/* ---- state */

static long state_find(engine *e, const cx_buf *id)
{
	return cx_keys_find(&e->skeys, id->p, id->len);
}

static sentry *state_add(engine *e, const cx_buf *id)
{
	int added;
	uint32_t k = cx_keys_intern(&e->skeys, id->p, id->len, &added);
	if (k >= e->scap) {
		e->scap = e->scap ? 2 * e->scap : 64;
		e->se = cx_realloc(e->se, e->scap * sizeof *e->se);
	}
	if (added) {
		memset(&e->se[k], 0, sizeof e->se[k]);
		e->sn = k + 1;
	}
	return &e->se[k];
}

/* The copy is made before the old string is freed, so that s may be a
 * string of the state itself. */
void alert_setstr(char **dst, const char *s)
{
	char *copy = cx_strdup(s ? s : "");
	free(*dst);
	*dst = copy;
}

static int event_kind(const cx_rule *r)
{
	return r->kind == CX_RULE_RECORD || r->kind == CX_RULE_WINDOW || r->kind == CX_RULE_TEXT;
}

static void identity(cx_buf *id, const char *rule, const char *key, const char *period, int event)
{
	cx_buf_reset(id);
	cx_buf_adds(id, rule);
	cx_buf_addc(id, '\x1f');
	cx_buf_adds(id, key);
	if (event) {
		cx_buf_addc(id, '\x1f');
		cx_buf_adds(id, period);
	}
}

static const char *const state_cols[] = { "rule", "key", "period", "last", "seen", "metric", "open", "message" };
enum { NSTATE_COLS = 8 };

void alert_state_load(engine *e)
{
	if (!e->c->state || access(e->c->state, F_OK) != 0)
		return;
	char *path = (char *)e->c->state;
	cx_reader *r = cx_reader_open(&path, 1);
	size_t col[NSTATE_COLS];
	for (size_t i = 0; i < NSTATE_COLS; i++) {
		int k = cx_reader_find(r, state_cols[i]);
		if (k < 0)
			cx_die_at(CX_EXIT_DATA, e->c->state, 1, "not a cx-alert state file: no column '%s'",
				  state_cols[i]);
		col[i] = (size_t)k;
	}
	cx_buf v[NSTATE_COLS];
	memset(v, 0, sizeof v);
	cx_buf scratch = CX_BUF_INIT, id = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		for (size_t i = 0; i < NSTATE_COLS; i++) {
			cx_slice s = cx_rec_get(r, col[i], &scratch);
			cx_buf_reset(&v[i]);
			cx_buf_add(&v[i], s.p, s.n);
			if (!v[i].p)
				cx_buf_addc(&v[i], '\0'), v[i].len = 0;
		}
		const cx_rule *rule = NULL;
		for (size_t i = 0; i < e->rules->n; i++)
			if (!strcmp(e->rules->v[i].name, v[0].p))
				rule = &e->rules->v[i];
		if (!rule)	/* a rule since removed: forget its incidents */
			continue;
		identity(&id, v[0].p, v[1].p, v[2].p, event_kind(rule));
		sentry *s = state_add(e, &id);
		alert_setstr(&s->rule, v[0].p);
		alert_setstr(&s->key, v[1].p);
		alert_setstr(&s->period, v[2].p);
		alert_setstr(&s->last, v[3].p);
		alert_setstr(&s->seen, v[4].p);
		alert_setstr(&s->metric, v[5].p);
		/* Anything else would be read as closed, and the incident
		 * never resolved: a hand-edited or damaged file is bad data. */
		if (strcmp(v[6].p, "0") && strcmp(v[6].p, "1"))
			cx_die_at(CX_EXIT_DATA, e->c->state, r->line, "column 'open': expected 0 or 1, not '%s'",
				  v[6].p);
		s->open = !strcmp(v[6].p, "1");
		alert_setstr(&s->message, v[7].p);
	}
	for (size_t i = 0; i < NSTATE_COLS; i++)
		cx_buf_free(&v[i]);
	cx_buf_free(&scratch);
	cx_buf_free(&id);
	cx_reader_close(r);
}

void alert_state_save(engine *e)
{
	if (!e->c->state)
		return;
	cx_output *o = cx_output_open(e->c->state);
	for (size_t i = 0; i < NSTATE_COLS; i++) {
		if (i)
			cx_out_c(o, '\t');
		cx_out_s(o, state_cols[i]);
	}
	cx_out_c(o, '\n');
	for (size_t i = 0; i < e->sn; i++) {
		sentry *s = &e->se[i];
		if (!s->rule)
			continue;
		const char *f[NSTATE_COLS] = { s->rule, s->key, s->period, s->last, s->seen, s->metric,
					       s->open ? "1" : "0", s->message };
		for (size_t k = 0; k < NSTATE_COLS; k++) {
			if (k)
				cx_out_c(o, '\t');
			cx_out_field(o, f[k] ? f[k] : "", f[k] ? strlen(f[k]) : 0);
		}
		cx_out_c(o, '\n');
	}
	cx_output_close(o);
}

/* ---- incidents: fired, ongoing, resolved */

/*
 * Decide fired / ongoing for a firing and write it.  continuing: the same
 * group fired in its previous period too (trend), so an open incident goes
 * on rather than a new one starting.
 */
void alert_fire(engine *e, bound *b, int continuing)
{
	alert *a = &e->a;
	const cx_rule *r = b->r;
	a->rule = r;
	alert_expand(e, r->message ? r->message : "");
	if (!r->message) {
		cx_buf *m = &a->message;
		alert_add_buf(m, &a->metric);
		cx_buf_adds(m, " = ");
		alert_add_buf(m, &a->value);
		if (a->threshold.len) {
			cx_buf_adds(m, " (threshold ");
			alert_add_buf(m, &a->threshold);
			cx_buf_addc(m, ')');
		}
	}
	a->status = "fired";
	if (!e->c->state) {
		alert_emit(e);
		return;
	}
	cx_buf *id = &e->tmp;
	int event = event_kind(r);
	identity(id, r->name, a->key.p ? a->key.p : "", a->period.p ? a->period.p : "", event);
	long k = state_find(e, id);
	sentry *s = k >= 0 ? &e->se[k] : NULL;
	const char *P = a->period.p ? a->period.p : "";
	if (event) {
		if (s) {
			a->status = "ongoing";
		} else {
			s = state_add(e, id);
			alert_setstr(&s->rule, r->name);
			alert_setstr(&s->key, a->key.p);
			alert_setstr(&s->period, P);
			alert_setstr(&s->last, P);
			alert_setstr(&s->seen, P);
			alert_setstr(&s->metric, a->metric.p);
			alert_setstr(&s->message, a->message.p);
		}
		s->touched = 1;
	} else if (r->kind == CX_RULE_SLA) {
		if (s && s->open && !strcmp(s->metric, a->metric.p ? a->metric.p : ""))
			a->status = "ongoing";
		if (!s)
			s = state_add(e, id);
		if (!strcmp(a->status, "fired")) {
			alert_setstr(&s->rule, r->name);
			alert_setstr(&s->key, a->key.p);
			alert_setstr(&s->period, P);
			alert_setstr(&s->metric, a->metric.p);
			alert_setstr(&s->message, a->message.p);
			s->open = 1;
		}
		alert_setstr(&s->last, P);
		alert_setstr(&s->seen, P);
		s->touched = 1;
	} else {	/* trend */
		if (s && s->seen && strcmp(P, s->seen) <= 0) {
			/* Evaluated by an earlier run: old news. */
			if (!(s->open && strcmp(P, s->period) >= 0))
				return;
			a->status = "ongoing";
		} else if (s && s->open && continuing && s->last && *s->last) {
			a->status = "ongoing";
			alert_setstr(&s->last, P);
		} else {
			if (!s)
				s = state_add(e, id);
			alert_setstr(&s->rule, r->name);
			alert_setstr(&s->key, a->key.p);
			alert_setstr(&s->period, P);
			alert_setstr(&s->last, P);
			if (!s->seen)
				alert_setstr(&s->seen, "");
			alert_setstr(&s->metric, a->metric.p);
			alert_setstr(&s->message, a->message.p);
			s->open = 1;
		}
	}
	alert_emit(e);
}

/* Resolved incidents: trend groups whose latest period no longer fires,
 * sla tickets no longer overdue.  Only rules applied in this run. */
void alert_resolve(engine *e)
{
	if (!e->c->state)
		return;
	for (size_t bi = 0; bi < e->nb; bi++) {
		bound *b = &e->b[bi];
		const cx_rule *r = b->r;
		if (event_kind(r))
			continue;
		for (size_t i = 0; i < e->sn; i++) {
			sentry *s = &e->se[i];
			if (!s->rule || strcmp(s->rule, r->name))
				continue;
			int gone = 0;
			if (r->kind == CX_RULE_SLA) {
				gone = s->open && !s->touched;
			} else {
				long g = cx_keys_find(&b->groups, s->key, strlen(s->key));
				if (g < 0)
					continue;	/* the group is not in this input */
				const char *latest = b->gs[g].last_period;
				gone = s->open && strcmp(latest, s->last) > 0;
				if (strcmp(latest, s->seen) > 0)
					alert_setstr(&s->seen, latest);
			}
			if (!gone)
				continue;
			alert_reset(e);
			e->a.rule = r;
			e->a.status = "resolved";
			cx_buf_adds(&e->a.period, s->last);
			cx_buf_adds(&e->a.metric, s->metric);
			cx_buf_adds(&e->a.message, s->message);
			cx_buf_adds(&e->a.key, s->key);
			alert_key_decode(e, s->key);
			alert_emit(e);
			if (r->kind == CX_RULE_SLA) {
				free(s->rule);
				s->rule = NULL;	/* dropped from the state */
			} else {
				s->open = 0;
			}
		}
	}
}
