/*
 * alert: the run of the alert engine (alert.h), and what every piece of it
 * reads and writes: the fields of the current record, group keys, message
 * templates and the alert being filled in.  The pieces themselves are
 * alert_bind.c (rules to header), alert_eval.c (rule kinds),
 * alert_state.c (incidents and the state file) and alert_render.c (output
 * formats); alert_int.h holds the engine they share.
 */
#include "alert/alert_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"

/* ---- fields of the current record (or of a saved sla candidate) */

cx_slice alert_fieldv(engine *e, long i)
{
	cx_slice s = { "", 0 };
	if (i < 0)
		return s;
	if (e->saved)
		return e->saved[i];
	return cx_rec_get(e->r, (size_t)i, &e->scratch);
}

/* Field i as a C string in buf (a copy: scratch is reused). */
static const char *fieldc(engine *e, long i, cx_buf *buf)
{
	cx_slice s = alert_fieldv(e, i);
	cx_buf_reset(buf);
	cx_buf_add(buf, s.p, s.n);
	return buf->p;
}

/* A number, or 0 for the missing value (an empty field); bad data dies. */
int alert_fieldnum(engine *e, long i, double *v)
{
	cx_slice s = alert_fieldv(e, i);
	if (s.n == 0)
		return 0;
	int rc = cx_num_parse(s.p, s.n, v);
	if (rc < 0)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': %s: '%.*s'",
			  e->r->names[i], cx_num_strerror(rc), (int)s.n, s.p);
	return 1;
}

int alert_fieldtime(engine *e, long i, cx_instant *t)
{
	cx_slice s = alert_fieldv(e, i);
	if (s.n == 0)
		return 0;
	int rc = cx_time_parse(s.p, s.n, t);
	if (rc < 0)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': %s: '%.*s'",
			  e->r->names[i], cx_time_strerror(rc), (int)s.n, s.p);
	return 1;
}

void alert_put_time(cx_buf *b, cx_instant t)
{
	char tb[CX_TIME_MAX];
	cx_buf_reset(b);
	cx_buf_add(b, tb, cx_time_format(t, tb));
}

/* Append b whole: values come from the data and may hold a NUL byte,
 * where "%s" would silently cut the message short. */
void alert_add_buf(cx_buf *out, const cx_buf *b)
{
	cx_buf_add(out, b->p ? b->p : "", b->len);
}

/* ---- group keys: "f=v,g=w" with \ , = escaped in values, and a NUL
 * written \0: the key is a C string in the state (identity, alert_setstr),
 * where a raw NUL would cut it and merge the groups 'a\0b' and 'a\0c'. */

static void key_add(cx_buf *k, const char *name, const char *v, size_t n)
{
	if (k->len)
		cx_buf_addc(k, ',');
	cx_buf_adds(k, name);
	cx_buf_addc(k, '=');
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\0') {
			cx_buf_add(k, "\\0", 2);
			continue;
		}
		if (v[i] == '\\' || v[i] == ',' || v[i] == '=')
			cx_buf_addc(k, '\\');
		cx_buf_addc(k, v[i]);
	}
}

/* Fill the alert's group columns from an encoded key (for resolved). */
void alert_key_decode(engine *e, const char *k)
{
	cx_buf name = CX_BUF_INIT, val = CX_BUF_INIT;
	while (*k) {
		cx_buf_reset(&name);
		cx_buf_reset(&val);
		while (*k && *k != '=')
			cx_buf_addc(&name, *k++);
		if (*k == '=')
			k++;
		while (*k && *k != ',') {
			if (k[0] == '\\' && k[1] == '0') {
				cx_buf_addc(&val, '\0');
				k += 2;
				continue;
			}
			if (*k == '\\' && k[1])
				k++;
			cx_buf_addc(&val, *k++);
		}
		if (*k == ',')
			k++;
		for (size_t i = 0; i < e->nout; i++)
			if (name.p && !strcmp(e->out_grp[i], name.p))
				cx_buf_add(&e->a.grp[i], val.p ? val.p : "", val.len);
	}
	cx_buf_free(&name);
	cx_buf_free(&val);
}

/* Set the alert's key and group columns from the bound rule's fields. */
void alert_groups(engine *e, bound *b)
{
	cx_buf_reset(&e->a.key);
	for (size_t i = 0; i < e->nout; i++)
		cx_buf_reset(&e->a.grp[i]);
	for (size_t i = 0; i < b->ngrp; i++) {
		cx_slice s = alert_fieldv(e, (long)b->grp[i]);
		key_add(&e->a.key, b->grp_names[i], s.p, s.n);
		cx_buf_add(&e->a.grp[b->grp_out[i]], s.p, s.n);
	}
}

/* ---- message templates */

struct tctx {
	engine *e;
	cx_buf *out;
};

static const cx_buf *special(engine *e, const char *p, size_t n, cx_buf *tmp)
{
	alert *a = &e->a;
#define IS(w) (n == sizeof(w) - 1 && !memcmp(p, w, n))
	cx_buf_reset(tmp);
	if (IS("rule")) cx_buf_adds(tmp, a->rule->name);
	else if (IS("severity")) cx_buf_adds(tmp, cx_severity_names[a->rule->severity]);
	else if (IS("period")) return &a->period;
	else if (IS("metric")) return &a->metric;
	else if (IS("value")) return &a->value;
	else if (IS("threshold")) return &a->threshold;
	else if (IS("baseline")) return &a->baseline;
	else if (IS("p")) return &a->p;
	else if (IS("count")) return &a->count;
	else if (IS("ids")) return &a->ids;
	else if (IS("status")) cx_buf_adds(tmp, a->status ? a->status : "");
	else if (IS("for")) {
		if (a->run > 0)
			cx_buf_addf(tmp, "%ld", a->run);
	} else
		return NULL;
#undef IS
	return tmp;
}

static void expand_piece(const char *p, size_t n, int is_name, void *ctx)
{
	struct tctx *t = ctx;
	if (!is_name) {
		cx_buf_add(t->out, p, n);
		return;
	}
	const cx_buf *s = special(t->e, p, n, &t->e->tmp2);
	if (s) {
		cx_buf_add(t->out, s->p ? s->p : "", s->len);
		return;
	}
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)n, p);
	cx_slice v = alert_fieldv(t->e, cx_reader_find(t->e->r, name));
	cx_buf_add(t->out, v.p, v.n);
}

void alert_expand(engine *e, const char *tmpl)
{
	struct tctx t = { e, &e->a.message };
	cx_buf err = CX_BUF_INIT;
	cx_buf_reset(&e->a.message);
	cx_template_walk(tmpl, expand_piece, &t, &err);	/* checked when parsed */
	cx_buf_free(&err);
}

/* ---- the alert being filled in */

void alert_reset(engine *e)
{
	alert *a = &e->a;
	cx_buf *bs[] = { &a->period, &a->metric, &a->value, &a->threshold, &a->baseline, &a->p,
			 &a->message, &a->key, &a->count, &a->ids };
	/* p must be "" for the fields an alert leaves empty (the period of
	 * a record without created_at): they are written as C strings. */
	for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++) {
		cx_buf_reset(bs[i]);
		cx_buf_add(bs[i], "", 0);
	}
	for (size_t i = 0; i < e->nout; i++) {
		cx_buf_reset(&a->grp[i]);
		cx_buf_add(&a->grp[i], "", 0);
	}
	a->run = 0;
}

/* ---- the run */

void alert_free_engine(engine *e)
{
	for (size_t bi = 0; bi < e->nb; bi++) {
		bound *b = &e->b[bi];
		for (size_t g = 0; g < b->groups.n; g++) {
			free(b->gs[g].last_period);
			for (size_t i = 0; i < b->gs[g].n; i++)
				free((char *)b->gs[g].ids[i].p);
			free(b->gs[g].ids);
			free(b->gs[g].ts);
		}
		free(b->gs);
		cx_keys_free(&b->groups);
		free(b->lhs);
		free(b->rhs);
		free(b->grp);
		free(b->grp_out);
		for (size_t i = 0; i < b->ngrp; i++)
			free(b->grp_names[i]);
		free(b->grp_names);
		if (b->md)
			for (size_t i = 0; i < b->r->ncmp; i++)
				pcre2_match_data_free(b->md[i]);
		free(b->md);
	}
	free(e->b);
	for (size_t i = 0; i < e->nout; i++) {
		free(e->out_grp[i]);
		cx_buf_free(&e->a.grp[i]);
	}
	free(e->out_grp);
	free(e->tsv_groups);
	free(e->a.grp);
	alert *a = &e->a;
	cx_buf *bs[] = { &a->period, &a->metric, &a->value, &a->threshold, &a->baseline, &a->p,
			 &a->message, &a->key, &a->count, &a->ids, &e->scratch, &e->scratch2,
			 &e->tmp, &e->tmp2, &e->mail, &e->first_subject };
	for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
		cx_buf_free(bs[i]);
	for (size_t i = 0; i < e->sn; i++) {
		sentry *s = &e->se[i];
		free(s->rule);
		free(s->key);
		free(s->period);
		free(s->last);
		free(s->seen);
		free(s->metric);
		free(s->message);
	}
	free(e->se);
	cx_keys_free(&e->skeys);
	free(e->cands);
}

int cx_alert_run(const cx_alert_conf *c, const cx_rules *rs, cx_reader *r, cx_output *o)
{
	engine e = { .c = c, .r = r, .o = o, .rules = rs };
	e.render = alert_render_row(c->render);
	if (c->stream)
		o->line_buffered = 1;
	alert_bind(&e);
	/* From reading the state to replacing it, another run on the same
	 * state waits (output.h): two cron runs at once lose no incident. */
	int lock = c->state ? cx_lock_beside(c->state) : -1;
	alert_state_load(&e);
	if (c->render == CX_RENDER_TSV)
		alert_tsv_header(&e);
	cx_buf period = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		if (e.trend) {
			const char *P = fieldc(&e, e.period_col, &period);
			cx_period pp = { CX_DAY, 0 };
			int has_idx = 0;
			for (int u = 0; u < CX_NUNITS && !has_idx; u++)
				has_idx = cx_period_parse(P, period.len, (enum cx_unit)u, &pp) == 0;
			for (size_t bi = 0; bi < e.nb; bi++)
				alert_eval_trend(&e, &e.b[bi], P, has_idx, pp.unit, pp.index);
			continue;
		}
		for (size_t bi = 0; bi < e.nb; bi++) {
			bound *b = &e.b[bi];
			switch (b->r->kind) {
			case CX_RULE_RECORD: alert_eval_record(&e, b); break;
			case CX_RULE_TEXT: alert_eval_text(&e, b); break;
			case CX_RULE_WINDOW: alert_eval_window(&e, b); break;
			case CX_RULE_SLA: {
				cx_instant t;
				if (alert_fieldtime(&e, b->time_col, &t) && (!e.have_time || t > e.max_time)) {
					e.max_time = t;
					e.have_time = 1;
				}
				alert_keep_sla(&e, b);
				break;
			}
			default: break;
			}
		}
	}
	cx_buf_free(&period);
	cx_instant now = c->now_set ? c->now : e.max_time;
	for (size_t i = 0; i < e.ncand; i++) {
		alert_eval_sla(&e, &e.cands[i], now);
		for (size_t k = 0; k < r->nfields; k++)
			free((char *)e.cands[i].vals[k].p);
		free(e.cands[i].vals);
	}
	alert_resolve(&e);
	if (c->render == CX_RENDER_EMAIL)
		alert_email_finish(&e);
	/* The alerts are out before the state says they were sent. */
	cx_output_flush(o);
	alert_state_save(&e);
	cx_unlock(lock);
	int st = e.any_fired ? CX_EXIT_FOUND : CX_EXIT_OK;
	alert_free_engine(&e);
	return st;
}
