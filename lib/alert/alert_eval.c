/*
 * alert_eval: what each rule kind means on the data.  One function per
 * kind decides whether the current record (or trend row) fires and fills
 * in the alert's figures; whether a firing is new is alert_state's
 * question, how it is written alert_render's.  The per-group memory a
 * kind needs (trend run lengths, window deques, sla candidates) is kept
 * here too.
 */
#include "alert/alert_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/num.h"

/* ---- evaluation by kind */

static int cmp_num(enum cx_rule_op op, double x, double y)
{
	switch (op) {
	case CX_OP_GT: return x > y;
	case CX_OP_GE: return x >= y;
	case CX_OP_LT: return x < y;
	case CX_OP_LE: return x <= y;
	case CX_OP_EQ: return x == y;
	case CX_OP_NE: return x != y;
	default: return 0;
	}
}

static gstate *group_of(engine *e, bound *b)
{
	int added;
	uint32_t g = cx_keys_intern(&b->groups, e->a.key.p ? e->a.key.p : "", e->a.key.len, &added);
	if (g >= b->gcap) {
		b->gcap = b->gcap ? 2 * b->gcap : 64;
		b->gs = cx_realloc(b->gs, b->gcap * sizeof *b->gs);
	}
	if (added)
		memset(&b->gs[g], 0, sizeof b->gs[g]);
	return &b->gs[g];
}

void alert_eval_trend(engine *e, bound *b, const char *P, int has_idx, enum cx_unit unit, int64_t idx)
{
	const cx_rule *r = b->r;
	alert_reset(e);
	alert_groups(e, b);
	gstate *g = group_of(e, b);
	if (g->last_period) {
		int c = strcmp(P, g->last_period);
		if (c == 0)
			cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line,
				  "rule '%s': a second row for period '%s' of group '%s' (name the group fields: group FIELDS)",
				  r->name, P, e->a.key.p);
		if (c < 0)
			cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line,
				  "period '%s' of group '%s' comes after '%s': the input must be in period order",
				  P, e->a.key.p, g->last_period);
	}
	int cond = 1;
	double x = 0, y = 0;
	for (size_t i = 0; i < r->ncmp && cond; i++) {
		const cx_rule_cmp *c = &r->cmp[i];
		if (!alert_fieldnum(e, b->lhs[i], &x)) {
			cond = 0;
			break;
		}
		y = c->num;
		if (b->rhs[i] >= 0 && !alert_fieldnum(e, b->rhs[i], &y)) {
			cond = 0;
			break;
		}
		cond = cmp_num(c->op, x, y);
	}
	double v;
	if (cond && r->has_min)
		cond = alert_fieldnum(e, b->min_col, &v) && v >= r->min;
	if (cond && r->has_p)
		cond = alert_fieldnum(e, b->p_col, &v) && v < r->p_max;
	int consecutive = g->last_period != NULL;
	if (consecutive && has_idx && g->has_idx)
		consecutive = unit == g->unit && idx == g->idx + 1;
	int prev_fired = consecutive && g->run >= r->for_n;
	g->run = cond ? (consecutive ? g->run + 1 : 1) : 0;
	alert_setstr(&g->last_period, P);
	g->has_idx = has_idx;
	g->unit = unit;
	g->idx = idx;
	if (g->run < r->for_n)
		return;
	alert *a = &e->a;
	a->run = g->run;
	cx_buf_adds(&a->period, P);
	cx_buf_adds(&a->metric, r->cmp[0].field);
	cx_slice s = alert_fieldv(e, b->lhs[0]);
	cx_buf_add(&a->value, s.p, s.n);
	if (b->rhs[0] >= 0) {
		s = alert_fieldv(e, b->rhs[0]);
		cx_buf_add(&a->threshold, s.p, s.n);
	} else {
		cx_buf_adds(&a->threshold, r->cmp[0].rhs);
	}
	s = alert_fieldv(e, b->base_col);
	cx_buf_add(&a->baseline, s.p, s.n);
	s = alert_fieldv(e, b->p_col);
	cx_buf_add(&a->p, s.p, s.n);
	alert_fire(e, b, prev_fired);
}

static void record_period(engine *e, bound *b)
{
	cx_instant t;
	if (b->time_col >= 0 && alert_fieldtime(e, b->time_col, &t))
		alert_put_time(&e->a.period, t);
}

void alert_eval_record(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	for (size_t i = 0; i < r->ncmp; i++) {
		const cx_rule_cmp *c = &r->cmp[i];
		cx_slice s = alert_fieldv(e, b->lhs[i]);
		int ok;
		if (c->op <= CX_OP_LE) {
			double x;
			ok = alert_fieldnum(e, b->lhs[i], &x) && cmp_num(c->op, x, c->num);
		} else {
			double x;
			if (c->rhs_is_num && s.n && cx_num_parse(s.p, s.n, &x) == 0)
				ok = cmp_num(c->op, x, c->num);
			else
				ok = (s.n == strlen(c->rhs) && !memcmp(s.p, c->rhs, s.n)) == (c->op == CX_OP_EQ);
		}
		if (!ok)
			return;
	}
	alert_reset(e);
	alert_groups(e, b);
	record_period(e, b);
	cx_buf_adds(&e->a.metric, r->cmp[0].field);
	cx_slice s = alert_fieldv(e, b->lhs[0]);
	cx_buf_add(&e->a.value, s.p, s.n);
	cx_buf_adds(&e->a.threshold, r->cmp[0].rhs);
	alert_fire(e, b, 0);
}

void alert_eval_text(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	cx_buf *matched = &e->tmp;
	cx_buf_reset(matched);
	int have = 0;
	for (size_t i = 0; i < r->ncmp; i++) {
		cx_slice s = alert_fieldv(e, b->lhs[i]);
		int rc = pcre2_match(r->re[i], (PCRE2_SPTR)s.p, s.n, 0, 0, b->md[i], NULL);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof msg);
			cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "rule '%s': field '%s': %s",
				  r->name, r->cmp[i].field, (char *)msg);
		}
		if ((rc >= 0) != (r->cmp[i].op == CX_OP_MATCH))
			return;
		if (rc >= 0 && !have) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(b->md[i]);
			cx_buf_add(matched, s.p + ov[0], ov[1] - ov[0]);
			have = 1;
		}
	}
	cx_buf m = CX_BUF_INIT;
	cx_buf_add(&m, matched->p ? matched->p : "", matched->len);
	alert_reset(e);
	alert_groups(e, b);
	record_period(e, b);
	cx_buf_adds(&e->a.metric, r->cmp[0].field);
	cx_buf_add(&e->a.value, m.p ? m.p : "", m.len);
	cx_buf_adds(&e->a.threshold, r->cmp[0].rhs);
	cx_buf_free(&m);
	alert_fire(e, b, 0);
}

void alert_eval_window(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	cx_slice k = alert_fieldv(e, b->key_col);
	if (k.n == 0)
		return;
	cx_instant t;
	if (!alert_fieldtime(e, b->time_col, &t))
		return;
	alert_reset(e);
	alert_groups(e, b);
	gstate *g = group_of(e, b);
	/* Insert t in order (records of a key usually arrive in order). */
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 8;
		g->ts = cx_realloc(g->ts, g->cap * sizeof *g->ts);
		g->ids = cx_realloc(g->ids, g->cap * sizeof *g->ids);
	}
	size_t at = g->n;
	while (at > 0 && g->ts[at - 1] > t)
		at--;
	memmove(g->ts + at + 1, g->ts + at, (g->n - at) * sizeof *g->ts);
	memmove(g->ids + at + 1, g->ids + at, (g->n - at) * sizeof *g->ids);
	g->ts[at] = t;
	cx_slice id = alert_fieldv(e, b->id_col);
	g->ids[at].p = cx_strndup(id.p, id.n);
	g->ids[at].n = id.n;
	g->n++;
	/* Drop what the newest time has left behind: <= newest - window. */
	cx_instant newest = g->ts[g->n - 1];
	size_t drop = 0;
	while (drop < g->n && g->ts[drop] <= newest - r->within)
		free((char *)g->ids[drop++].p);
	if (drop) {
		memmove(g->ts, g->ts + drop, (g->n - drop) * sizeof *g->ts);
		memmove(g->ids, g->ids + drop, (g->n - drop) * sizeof *g->ids);
		g->n -= drop;
	}
	long long count = 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->ts[i] > t - r->within && g->ts[i] <= t) {
			if (count++)
				cx_buf_addc(&e->a.ids, ',');
			cx_buf_add(&e->a.ids, g->ids[i].p, g->ids[i].n);
		}
	long long cooldown = r->cooldown >= 0 ? r->cooldown : r->within;
	if (count <= r->count_gt || (g->fired && t < g->last_fire + cooldown))
		return;
	g->fired = 1;
	g->last_fire = t;
	alert_put_time(&e->a.period, t);
	cx_buf_adds(&e->a.metric, "count");
	cx_buf_addf(&e->a.value, "%lld", count);
	cx_buf_addf(&e->a.count, "%lld", count);
	cx_buf_addf(&e->a.threshold, "%lld", r->count_gt);
	alert_fire(e, b, 0);
}

void alert_keep_sla(engine *e, bound *b)
{
	cx_instant t0;
	if (!alert_fieldtime(e, b->time_col, &t0))
		return;
	if (alert_fieldv(e, b->sla_col).n)	/* answered */
		return;
	if (e->ncand == e->ccap) {
		e->ccap = e->ccap ? 2 * e->ccap : 64;
		e->cands = cx_realloc(e->cands, e->ccap * sizeof *e->cands);
	}
	sla_cand *c = &e->cands[e->ncand++];
	c->b = b;
	c->t0 = t0;
	c->vals = cx_malloc(e->r->nfields * sizeof *c->vals);
	for (size_t i = 0; i < e->r->nfields; i++) {
		cx_slice v = alert_fieldv(e, (long)i);
		c->vals[i].p = cx_strndup(v.p, v.n);
		c->vals[i].n = v.n;
	}
}

static void hours(cx_buf *b, double seconds)
{
	cx_num_put(b, seconds / 3600, 2);
}

void alert_eval_sla(engine *e, sla_cand *c, cx_instant now)
{
	const cx_rule *r = c->b->r;
	double elapsed = (double)(now - c->t0);
	double pct = elapsed * 100 / (double)r->within;
	long level = -1;
	for (size_t i = 0; i < r->nladder; i++)
		if (pct >= r->ladder[i].pct)
			level = (long)i;
	if (level < 0)
		return;
	e->saved = c->vals;
	alert_reset(e);
	alert_groups(e, c->b);
	alert_put_time(&e->a.period, c->t0);
	cx_buf_adds(&e->a.metric, r->ladder[level].label);
	hours(&e->a.value, elapsed);
	hours(&e->a.threshold, (double)r->within * r->ladder[level].pct / 100);
	hours(&e->a.baseline, (double)r->within);
	alert_fire(e, c->b, 0);
	e->saved = NULL;
}
