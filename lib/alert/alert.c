#include "alert/alert.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "io/json.h"
#include "core/keys.h"
#include "core/num.h"

/* ---- output formats: one row each */

struct engine;
struct alert;

typedef struct render_row {
	const char *name;
	enum cx_render id;
	void (*one)(struct engine *e, const struct alert *a);
} render_row;

static void render_tsv(struct engine *e, const struct alert *a);
static void render_json(struct engine *e, const struct alert *a);
static void render_email(struct engine *e, const struct alert *a);

static const render_row renders[] = {
	{ .name = "tsv", .id = CX_RENDER_TSV, .one = render_tsv },
	{ .name = "wecom", .id = CX_RENDER_WECOM, .one = render_json },
	{ .name = "dingtalk", .id = CX_RENDER_DINGTALK, .one = render_json },
	{ .name = "feishu", .id = CX_RENDER_FEISHU, .one = render_json },
	{ .name = "slack", .id = CX_RENDER_SLACK, .one = render_json },
	{ .name = "email", .id = CX_RENDER_EMAIL, .one = render_email },
};
enum { NRENDERS = sizeof renders / sizeof renders[0] };

int cx_render_parse(const char *name, enum cx_render *out)
{
	for (size_t i = 0; i < NRENDERS; i++)
		if (!strcmp(name, renders[i].name)) {
			*out = renders[i].id;
			return 0;
		}
	return -1;
}

const char *cx_render_names(void)
{
	return "tsv, wecom, dingtalk, feishu, slack, email";
}

/* ---- the measure suffixes cx-trend adds to a value column V */

static const char *const suffixes[] = {
	"_pop_delta", "_pop_pct", "_yoy_prev", "_yoy_pct", "_rise_run", "_fall_run", "_center",
	"_lcl", "_ucl", "_z", "_p_pop", "_p_yoy", "_ma", "_ewma", "_slope_p", "_slope",
	"_forecast_lo", "_forecast_hi", "_forecast", "_anomaly", "_prev", NULL,
};

/* The value column a column derives from (complaints for complaints_yoy_pct)
 * and the suffix, or the column itself and NULL. */
static const char *base_of(const cx_reader *r, const char *col, cx_buf *base)
{
	size_t n = strlen(col);
	for (const char *const *s = suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && !strcmp(col + n - k, *s)) {
			cx_buf_reset(base);
			cx_buf_add(base, col, n - k);
			if (cx_reader_find(r, base->p) >= 0)
				return *s;
		}
	}
	cx_buf_reset(base);
	cx_buf_adds(base, col);
	return NULL;
}

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

/* ---- fields of the current record (or of a saved sla candidate) */

static cx_slice fieldv(engine *e, long i)
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
	cx_slice s = fieldv(e, i);
	cx_buf_reset(buf);
	cx_buf_add(buf, s.p, s.n);
	return buf->p;
}

/* A number, or 0 for the missing value (an empty field); bad data dies. */
static int fieldnum(engine *e, long i, double *v)
{
	cx_slice s = fieldv(e, i);
	if (s.n == 0)
		return 0;
	int rc = cx_num_parse(s.p, s.n, v);
	if (rc < 0)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': %s: '%.*s'",
			  e->r->names[i], cx_num_strerror(rc), (int)s.n, s.p);
	return 1;
}

static int fieldtime(engine *e, long i, cx_instant *t)
{
	cx_slice s = fieldv(e, i);
	if (s.n == 0)
		return 0;
	int rc = cx_time_parse(s.p, s.n, t);
	if (rc < 0)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': %s: '%.*s'",
			  e->r->names[i], cx_time_strerror(rc), (int)s.n, s.p);
	return 1;
}

static void put_time(cx_buf *b, cx_instant t)
{
	char tb[CX_TIME_MAX];
	cx_buf_reset(b);
	cx_buf_add(b, tb, cx_time_format(t, tb));
}

/* Append b whole: values come from the data and may hold a NUL byte,
 * where "%s" would silently cut the message short. */
static void add_buf(cx_buf *out, const cx_buf *b)
{
	cx_buf_add(out, b->p ? b->p : "", b->len);
}

/* ---- group keys: "f=v,g=w" with \ , = escaped in values, and a NUL
 * written \0: the key is a C string in the state (identity, setstr), where
 * a raw NUL would cut it and merge the groups 'a\0b' and 'a\0c'. */

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
static void key_decode(engine *e, const char *k)
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
static void alert_groups(engine *e, bound *b)
{
	cx_buf_reset(&e->a.key);
	for (size_t i = 0; i < e->nout; i++)
		cx_buf_reset(&e->a.grp[i]);
	for (size_t i = 0; i < b->ngrp; i++) {
		cx_slice s = fieldv(e, (long)b->grp[i]);
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
	cx_slice v = fieldv(t->e, cx_reader_find(t->e->r, name));
	cx_buf_add(t->out, v.p, v.n);
}

static void expand(engine *e, const char *tmpl)
{
	struct tctx t = { e, &e->a.message };
	cx_buf err = CX_BUF_INIT;
	cx_buf_reset(&e->a.message);
	cx_template_walk(tmpl, expand_piece, &t, &err);	/* checked when parsed */
	cx_buf_free(&err);
}

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

static void setstr(char **dst, const char *s)
{
	free(*dst);
	*dst = cx_strdup(s ? s : "");
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

static void state_load(engine *e)
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
		setstr(&s->rule, v[0].p);
		setstr(&s->key, v[1].p);
		setstr(&s->period, v[2].p);
		setstr(&s->last, v[3].p);
		setstr(&s->seen, v[4].p);
		setstr(&s->metric, v[5].p);
		/* Anything else would be read as closed, and the incident
		 * never resolved: a hand-edited or damaged file is bad data. */
		if (strcmp(v[6].p, "0") && strcmp(v[6].p, "1"))
			cx_die_at(CX_EXIT_DATA, e->c->state, r->line, "column 'open': expected 0 or 1, not '%s'",
				  v[6].p);
		s->open = !strcmp(v[6].p, "1");
		setstr(&s->message, v[7].p);
	}
	for (size_t i = 0; i < NSTATE_COLS; i++)
		cx_buf_free(&v[i]);
	cx_buf_free(&scratch);
	cx_buf_free(&id);
	cx_reader_close(r);
}

static void state_save(engine *e)
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

/* ---- writing an alert */

static int want(engine *e, const char *status)
{
	return strcmp(status, "ongoing") != 0 || e->c->all;
}

static void emit(engine *e)
{
	alert *a = &e->a;
	if (!want(e, a->status))
		return;
	if (!strcmp(a->status, "fired"))
		e->any_fired = 1;
	e->printed++;
	e->render->one(e, a);
}

/*
 * Decide fired / ongoing for a firing and write it.  continuing: the same
 * group fired in its previous period too (trend), so an open incident goes
 * on rather than a new one starting.
 */
static void fire(engine *e, bound *b, int continuing)
{
	alert *a = &e->a;
	const cx_rule *r = b->r;
	a->rule = r;
	expand(e, r->message ? r->message : "");
	if (!r->message) {
		cx_buf *m = &a->message;
		add_buf(m, &a->metric);
		cx_buf_adds(m, " = ");
		add_buf(m, &a->value);
		if (a->threshold.len) {
			cx_buf_adds(m, " (threshold ");
			add_buf(m, &a->threshold);
			cx_buf_addc(m, ')');
		}
	}
	a->status = "fired";
	if (!e->c->state) {
		emit(e);
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
			setstr(&s->rule, r->name);
			setstr(&s->key, a->key.p);
			setstr(&s->period, P);
			setstr(&s->last, P);
			setstr(&s->seen, P);
			setstr(&s->metric, a->metric.p);
			setstr(&s->message, a->message.p);
		}
		s->touched = 1;
	} else if (r->kind == CX_RULE_SLA) {
		if (s && s->open && !strcmp(s->metric, a->metric.p ? a->metric.p : ""))
			a->status = "ongoing";
		if (!s)
			s = state_add(e, id);
		if (!strcmp(a->status, "fired")) {
			setstr(&s->rule, r->name);
			setstr(&s->key, a->key.p);
			setstr(&s->period, P);
			setstr(&s->metric, a->metric.p);
			setstr(&s->message, a->message.p);
			s->open = 1;
		}
		setstr(&s->last, P);
		setstr(&s->seen, P);
		s->touched = 1;
	} else {	/* trend */
		if (s && s->seen && strcmp(P, s->seen) <= 0) {
			/* Evaluated by an earlier run: old news. */
			if (!(s->open && strcmp(P, s->period) >= 0))
				return;
			a->status = "ongoing";
		} else if (s && s->open && continuing && s->last && *s->last) {
			a->status = "ongoing";
			setstr(&s->last, P);
		} else {
			if (!s)
				s = state_add(e, id);
			setstr(&s->rule, r->name);
			setstr(&s->key, a->key.p);
			setstr(&s->period, P);
			setstr(&s->last, P);
			if (!s->seen)
				setstr(&s->seen, "");
			setstr(&s->metric, a->metric.p);
			setstr(&s->message, a->message.p);
			s->open = 1;
		}
	}
	emit(e);
}

static void reset_alert(engine *e)
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

/* Resolved incidents: trend groups whose latest period no longer fires,
 * sla tickets no longer overdue.  Only rules applied in this run. */
static void resolve(engine *e)
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
				setstr(&s->seen, strcmp(latest, s->seen) > 0 ? latest : s->seen);
			}
			if (!gone)
				continue;
			reset_alert(e);
			e->a.rule = r;
			e->a.status = "resolved";
			cx_buf_adds(&e->a.period, s->last);
			cx_buf_adds(&e->a.metric, s->metric);
			cx_buf_adds(&e->a.message, s->message);
			cx_buf_adds(&e->a.key, s->key);
			key_decode(e, s->key);
			emit(e);
			if (r->kind == CX_RULE_SLA) {
				free(s->rule);
				s->rule = NULL;	/* dropped from the state */
			} else {
				s->open = 0;
			}
		}
	}
}

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

static void eval_trend(engine *e, bound *b, const char *P, int has_idx, enum cx_unit unit, int64_t idx)
{
	const cx_rule *r = b->r;
	reset_alert(e);
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
		if (!fieldnum(e, b->lhs[i], &x)) {
			cond = 0;
			break;
		}
		y = c->num;
		if (b->rhs[i] >= 0 && !fieldnum(e, b->rhs[i], &y)) {
			cond = 0;
			break;
		}
		cond = cmp_num(c->op, x, y);
	}
	double v;
	if (cond && r->has_min)
		cond = fieldnum(e, b->min_col, &v) && v >= r->min;
	if (cond && r->has_p)
		cond = fieldnum(e, b->p_col, &v) && v < r->p_max;
	int consecutive = g->last_period != NULL;
	if (consecutive && has_idx && g->has_idx)
		consecutive = unit == g->unit && idx == g->idx + 1;
	int prev_fired = consecutive && g->run >= r->for_n;
	g->run = cond ? (consecutive ? g->run + 1 : 1) : 0;
	setstr(&g->last_period, P);
	g->has_idx = has_idx;
	g->unit = unit;
	g->idx = idx;
	if (g->run < r->for_n)
		return;
	alert *a = &e->a;
	a->run = g->run;
	cx_buf_adds(&a->period, P);
	cx_buf_adds(&a->metric, r->cmp[0].field);
	cx_slice s = fieldv(e, b->lhs[0]);
	cx_buf_add(&a->value, s.p, s.n);
	if (b->rhs[0] >= 0) {
		s = fieldv(e, b->rhs[0]);
		cx_buf_add(&a->threshold, s.p, s.n);
	} else {
		cx_buf_adds(&a->threshold, r->cmp[0].rhs);
	}
	s = fieldv(e, b->base_col);
	cx_buf_add(&a->baseline, s.p, s.n);
	s = fieldv(e, b->p_col);
	cx_buf_add(&a->p, s.p, s.n);
	fire(e, b, prev_fired);
}

static void record_period(engine *e, bound *b)
{
	cx_instant t;
	if (b->time_col >= 0 && fieldtime(e, b->time_col, &t))
		put_time(&e->a.period, t);
}

static void eval_record(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	for (size_t i = 0; i < r->ncmp; i++) {
		const cx_rule_cmp *c = &r->cmp[i];
		cx_slice s = fieldv(e, b->lhs[i]);
		int ok;
		if (c->op <= CX_OP_LE) {
			double x;
			ok = fieldnum(e, b->lhs[i], &x) && cmp_num(c->op, x, c->num);
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
	reset_alert(e);
	alert_groups(e, b);
	record_period(e, b);
	cx_buf_adds(&e->a.metric, r->cmp[0].field);
	cx_slice s = fieldv(e, b->lhs[0]);
	cx_buf_add(&e->a.value, s.p, s.n);
	cx_buf_adds(&e->a.threshold, r->cmp[0].rhs);
	fire(e, b, 0);
}

static void eval_text(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	cx_buf *matched = &e->tmp;
	cx_buf_reset(matched);
	int have = 0;
	for (size_t i = 0; i < r->ncmp; i++) {
		cx_slice s = fieldv(e, b->lhs[i]);
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
	reset_alert(e);
	alert_groups(e, b);
	record_period(e, b);
	cx_buf_adds(&e->a.metric, r->cmp[0].field);
	cx_buf_add(&e->a.value, m.p ? m.p : "", m.len);
	cx_buf_adds(&e->a.threshold, r->cmp[0].rhs);
	cx_buf_free(&m);
	fire(e, b, 0);
}

static void eval_window(engine *e, bound *b)
{
	const cx_rule *r = b->r;
	cx_slice k = fieldv(e, b->key_col);
	if (k.n == 0)
		return;
	cx_instant t;
	if (!fieldtime(e, b->time_col, &t))
		return;
	reset_alert(e);
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
	cx_slice id = fieldv(e, b->id_col);
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
	put_time(&e->a.period, t);
	cx_buf_adds(&e->a.metric, "count");
	cx_buf_addf(&e->a.value, "%lld", count);
	cx_buf_addf(&e->a.count, "%lld", count);
	cx_buf_addf(&e->a.threshold, "%lld", r->count_gt);
	fire(e, b, 0);
}

static void keep_sla(engine *e, bound *b)
{
	cx_instant t0;
	if (!fieldtime(e, b->time_col, &t0))
		return;
	if (fieldv(e, b->sla_col).n)	/* answered */
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
		cx_slice v = fieldv(e, (long)i);
		c->vals[i].p = cx_strndup(v.p, v.n);
		c->vals[i].n = v.n;
	}
}

static void hours(cx_buf *b, double seconds)
{
	cx_num_put(b, seconds / 3600, 2);
}

static void eval_sla(engine *e, sla_cand *c, cx_instant now)
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
	reset_alert(e);
	alert_groups(e, c->b);
	put_time(&e->a.period, c->t0);
	cx_buf_adds(&e->a.metric, r->ladder[level].label);
	hours(&e->a.value, elapsed);
	hours(&e->a.threshold, (double)r->within * r->ladder[level].pct / 100);
	hours(&e->a.baseline, (double)r->within);
	fire(e, c->b, 0);
	e->saved = NULL;
}

/* ---- binding rules to the header */

static long need(engine *e, const char *name, int *missing, const char **which)
{
	int k = cx_reader_find(e->r, name);
	if (k < 0 && !*missing) {
		*missing = 1;
		*which = name;
	}
	return k;
}

static void add_out_group(engine *e, const char *name)
{
	for (size_t i = 0; i < e->nout; i++)
		if (!strcmp(e->out_grp[i], name))
			return;
	e->out_grp = cx_realloc(e->out_grp, (e->nout + 1) * sizeof *e->out_grp);
	e->out_grp[e->nout++] = cx_strdup(name);
}

/* The stream's group fields: neither period, nor a value column (one with
 * derived columns), nor a derived column. */
static int is_measure(engine *e, const char *col)
{
	cx_buf base = CX_BUF_INIT;
	int m = base_of(e->r, col, &base) != NULL;
	if (!m) {
		for (const char *const *s = suffixes; *s && !m; s++) {
			cx_buf_reset(&base);
			cx_buf_adds(&base, col);
			cx_buf_adds(&base, *s);
			m = cx_reader_find(e->r, base.p) >= 0;
		}
	}
	cx_buf_free(&base);
	return m;
}

static void skip_rule(engine *e, const cx_rule *r, const char *why, const char *field)
{
	if (e->c->strict)
		cx_die_at(CX_EXIT_USAGE, r->file, r->line, "rule '%s' does not fit the input: %s%s%s",
			  r->name, why, field ? field : "", field ? "'" : "");
	cx_warn_at(r->file, r->line, "rule '%s' skipped: %s%s%s", r->name, why, field ? field : "",
		   field ? "'" : "");
}

struct tcheck {
	engine *e;
	const char *bad;
	char name[256];
};

static void check_piece(const char *p, size_t n, int is_name, void *ctx)
{
	struct tcheck *t = ctx;
	if (!is_name || t->bad)
		return;
	for (const char *const *s = cx_rule_placeholders; *s; s++)
		if (strlen(*s) == n && !memcmp(*s, p, n))
			return;
	snprintf(t->name, sizeof t->name, "%.*s", (int)n, p);
	if (cx_reader_find(t->e->r, t->name) < 0)
		t->bad = t->name;
}

static void bind(engine *e)
{
	cx_reader *in = e->r;
	e->period_col = cx_reader_find(in, "period");
	e->trend = e->period_col >= 0;
	e->b = cx_calloc(e->rules->n ? e->rules->n : 1, sizeof *e->b);
	cx_buf base = CX_BUF_INIT;
	for (size_t ri = 0; ri < e->rules->n; ri++) {
		const cx_rule *r = &e->rules->v[ri];
		int is_trend = r->kind == CX_RULE_TREND;
		if (is_trend != e->trend) {
			skip_rule(e, r, is_trend ? "the input has no 'period' column (not a cx-trend stream)" :
				  "the input is a cx-trend stream (it has a 'period' column)", NULL);
			continue;
		}
		if (r->kind == CX_RULE_SLA && e->c->stream) {
			skip_rule(e, r, "sla rules need the whole input, not --stream", NULL);
			continue;
		}
		bound *b = &e->b[e->nb];
		memset(b, 0, sizeof *b);
		b->r = r;
		b->min_col = b->p_col = b->base_col = b->time_col = b->id_col = b->key_col = b->sla_col = -1;
		int missing = 0;
		const char *which = NULL;
		b->lhs = cx_calloc(r->ncmp + 1, sizeof *b->lhs);
		b->rhs = cx_calloc(r->ncmp + 1, sizeof *b->rhs);
		for (size_t i = 0; i < r->ncmp; i++) {
			b->lhs[i] = need(e, r->cmp[i].field, &missing, &which);
			b->rhs[i] = r->cmp[i].rhs_is_field ? need(e, r->cmp[i].rhs, &missing, &which) : -1;
		}
		/* group fields */
		char **names = NULL;
		size_t nnames = 0;
		if (r->group_set) {
			names = cx_calloc(r->ngroup + 1, sizeof *names);
			for (size_t i = 0; i < r->ngroup; i++)
				names[nnames++] = cx_strdup(r->group[i]);
		} else if (is_trend) {
			names = cx_calloc(in->nfields + 1, sizeof *names);
			for (size_t i = 0; i < in->nfields; i++)
				if ((long)i != e->period_col && !is_measure(e, in->names[i]))
					names[nnames++] = cx_strdup(in->names[i]);
		} else if (r->kind == CX_RULE_WINDOW) {
			names = cx_calloc(2, sizeof *names);
			names[nnames++] = cx_strdup(r->key);
		} else if (cx_reader_find(in, "id") >= 0) {
			names = cx_calloc(2, sizeof *names);
			names[nnames++] = cx_strdup("id");
		}
		b->grp_names = names;
		b->ngrp = nnames;
		b->grp = cx_calloc(nnames + 1, sizeof *b->grp);
		for (size_t i = 0; i < nnames; i++)
			b->grp[i] = (size_t)need(e, names[i], &missing, &which);
		switch (r->kind) {
		case CX_RULE_TREND: {
			const char *suf = base_of(in, r->cmp[0].field, &base);
			if (r->has_min)
				b->min_col = need(e, r->min_field ? r->min_field : base.p, &missing, &which);
			const char *pcol = NULL, *bcol = NULL;
			cx_buf pb = CX_BUF_INIT, bb = CX_BUF_INIT;
			if (suf && (strstr(suf, "pop") || !strcmp(suf, "_prev"))) {
				cx_buf_addf(&pb, "%s_p_pop", base.p);
				cx_buf_addf(&bb, "%s_prev", base.p);
			} else if (suf && strstr(suf, "yoy")) {
				cx_buf_addf(&pb, "%s_p_yoy", base.p);
				cx_buf_addf(&bb, "%s_yoy_prev", base.p);
			} else {
				cx_buf_addf(&bb, "%s_center", base.p);
			}
			pcol = r->p_field ? r->p_field : pb.p;
			bcol = bb.p;
			if (r->has_p && !pcol)
				cx_die_at(CX_EXIT_USAGE, r->file, r->line,
					  "rule '%s': 'p <' needs a _pop_ or _yoy_ column in the condition, or name one: p < 0.05 of COLUMN",
					  r->name);
			if (r->has_p)
				b->p_col = need(e, pcol, &missing, &which);
			else if (pcol)
				b->p_col = cx_reader_find(in, pcol);
			b->base_col = bcol ? cx_reader_find(in, bcol) : -1;
			cx_buf_free(&pb);
			cx_buf_free(&bb);
			break;
		}
		case CX_RULE_WINDOW:
			b->key_col = need(e, r->key, &missing, &which);
			b->time_col = need(e, r->on ? r->on : "created_at", &missing, &which);
			b->id_col = cx_reader_find(in, "id");
			break;
		case CX_RULE_SLA:
			b->sla_col = need(e, r->sla_field, &missing, &which);
			b->time_col = need(e, r->sla_from, &missing, &which);
			break;
		default:
			b->time_col = cx_reader_find(in, "created_at");
			break;
		}
		struct tcheck tc = { .e = e };
		cx_buf terr = CX_BUF_INIT;
		if (r->message)
			cx_template_walk(r->message, check_piece, &tc, &terr);
		cx_buf_free(&terr);
		if (!missing && tc.bad) {
			missing = 1;
			which = tc.bad;
		}
		if (missing) {
			if (is_trend)
				cx_die_at(CX_EXIT_USAGE, r->file, r->line, "rule '%s': no column '%s' in the input",
					  r->name, which);
			skip_rule(e, r, "no field '", which);
			free(b->lhs);
			free(b->rhs);
			free(b->grp);
			for (size_t i = 0; i < nnames; i++)
				free(names[i]);
			free(names);
			continue;
		}
		if (r->kind == CX_RULE_TEXT) {
			b->md = cx_calloc(r->ncmp, sizeof *b->md);
			for (size_t i = 0; i < r->ncmp; i++)
				b->md[i] = pcre2_match_data_create_from_pattern(r->re[i], NULL);
		}
		b->grp_out = cx_calloc(nnames + 1, sizeof *b->grp_out);
		for (size_t i = 0; i < nnames; i++) {
			add_out_group(e, names[i]);
			for (size_t k = 0; k < e->nout; k++)
				if (!strcmp(e->out_grp[k], names[i]))
					b->grp_out[i] = k;
		}
		e->nb++;
	}
	cx_buf_free(&base);
	if (e->nb == 0)
		cx_die(CX_EXIT_USAGE, "no rule applies to this input (%s)",
		       e->trend ? "a cx-trend stream: only trend rules apply" :
		       "complaint records: record, window, sla and text rules apply");
	e->a.grp = cx_calloc(e->nout + 1, sizeof *e->a.grp);
}

/* ---- renderers */

static const char *const tsv_head[] = { "rule", "severity", "period" };
static const char *const tsv_tail[] = { "metric", "value", "threshold", "baseline", "p", "status", "message" };

static void tsv_header(engine *e)
{
	cx_output *o = e->o;
	for (size_t i = 0; i < 3; i++) {
		if (i)
			cx_out_c(o, '\t');
		cx_out_s(o, tsv_head[i]);
	}
	for (size_t i = 0; i < e->nout; i++) {
		cx_out_c(o, '\t');
		cx_out_field(o, e->out_grp[i], strlen(e->out_grp[i]));
	}
	for (size_t i = 0; i < 7; i++) {
		cx_out_c(o, '\t');
		cx_out_s(o, tsv_tail[i]);
	}
	cx_out_eol(o);
}

static void out_buf(cx_output *o, const cx_buf *b)
{
	cx_out_c(o, '\t');
	cx_out_field(o, b->p ? b->p : "", b->len);
}

static void render_tsv(engine *e, const alert *a)
{
	cx_output *o = e->o;
	cx_out_s(o, a->rule->name);
	cx_out_c(o, '\t');
	cx_out_s(o, cx_severity_names[a->rule->severity]);
	out_buf(o, &a->period);
	for (size_t i = 0; i < e->nout; i++)
		out_buf(o, &a->grp[i]);
	out_buf(o, &a->metric);
	out_buf(o, &a->value);
	out_buf(o, &a->threshold);
	out_buf(o, &a->baseline);
	out_buf(o, &a->p);
	cx_out_c(o, '\t');
	cx_out_s(o, a->status);
	out_buf(o, &a->message);
	cx_out_eol(o);
}

/* "[high] rule (fired) 2024-W10 product=A" */
static void title(engine *e, const alert *a, cx_buf *t)
{
	cx_buf_addf(t, "[%s] %s (%s)", cx_severity_names[a->rule->severity], a->rule->name, a->status);
	if (a->period.len) {
		cx_buf_addc(t, ' ');
		add_buf(t, &a->period);
	}
	for (size_t i = 0; i < e->nout; i++)
		if (a->grp[i].len) {
			cx_buf_addf(t, " %s=", e->out_grp[i]);
			add_buf(t, &a->grp[i]);
		}
}

/* "metric = value, threshold T, baseline B, p P" */
static void figures(const alert *a, cx_buf *t)
{
	add_buf(t, &a->metric);
	cx_buf_adds(t, " = ");
	add_buf(t, &a->value);
	if (a->threshold.len) {
		cx_buf_adds(t, ", threshold ");
		add_buf(t, &a->threshold);
	}
	if (a->baseline.len) {
		cx_buf_adds(t, ", baseline ");
		add_buf(t, &a->baseline);
	}
	if (a->p.len) {
		cx_buf_adds(t, ", p ");
		add_buf(t, &a->p);
	}
}

static void render_json(engine *e, const alert *a)
{
	cx_buf t = CX_BUF_INIT, body = CX_BUF_INIT, j = CX_BUF_INIT;
	title(e, a, &t);
	int md = e->c->render == CX_RENDER_WECOM || e->c->render == CX_RENDER_DINGTALK;
	if (md) {
		cx_buf_adds(&body, "**");
		add_buf(&body, &t);
		cx_buf_adds(&body, "**\n\n");
		add_buf(&body, &a->message);
		cx_buf_adds(&body, "\n\n> ");
		if (strcmp(a->status, "resolved"))
			figures(a, &body);
		else
			cx_buf_adds(&body, "resolved");
	} else {
		add_buf(&body, &t);
		cx_buf_addc(&body, '\n');
		add_buf(&body, &a->message);
		if (strcmp(a->status, "resolved")) {
			cx_buf_addc(&body, '\n');
			figures(a, &body);
		}
	}
	switch (e->c->render) {
	case CX_RENDER_WECOM:
		cx_buf_adds(&j, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":");
		cx_json_put_string(&j, body.p, body.len);
		cx_buf_adds(&j, "}}");
		break;
	case CX_RENDER_DINGTALK:
		cx_buf_adds(&j, "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":");
		cx_json_put_string(&j, t.p, t.len);
		cx_buf_adds(&j, ",\"text\":");
		cx_json_put_string(&j, body.p, body.len);
		cx_buf_adds(&j, "}}");
		break;
	case CX_RENDER_FEISHU:
		cx_buf_adds(&j, "{\"msg_type\":\"text\",\"content\":{\"text\":");
		cx_json_put_string(&j, body.p, body.len);
		cx_buf_adds(&j, "}}");
		break;
	default:
		cx_buf_adds(&j, "{\"text\":");
		cx_json_put_string(&j, body.p, body.len);
		cx_buf_adds(&j, "}");
		break;
	}
	cx_out_raw(e->o, j.p, j.len);
	cx_out_eol(e->o);
	cx_buf_free(&t);
	cx_buf_free(&body);
	cx_buf_free(&j);
}

static void render_email(engine *e, const alert *a)
{
	cx_buf t = CX_BUF_INIT;
	title(e, a, &t);
	add_buf(&e->mail, &t);
	cx_buf_addc(&e->mail, '\n');
	add_buf(&e->mail, &a->message);
	cx_buf_addc(&e->mail, '\n');
	if (strcmp(a->status, "resolved")) {
		cx_buf_reset(&t);
		figures(a, &t);
		add_buf(&e->mail, &t);
		cx_buf_addc(&e->mail, '\n');
	}
	cx_buf_addc(&e->mail, '\n');
	if (!e->first_subject.len) {
		cx_buf_addf(&e->first_subject, "[%s] ", cx_severity_names[a->rule->severity]);
		add_buf(&e->first_subject, &a->message);
	}
	cx_buf_free(&t);
}

static void base64(cx_buf *out, const unsigned char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		cx_buf_addc(out, tab[(v >> 18) & 63]);
		cx_buf_addc(out, tab[(v >> 12) & 63]);
		cx_buf_addc(out, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		cx_buf_addc(out, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* A header value: as is when printable ASCII, else RFC 2047 encoded words
 * of at most 45 bytes (60 base64 characters) each, cut between UTF-8
 * characters, folded onto continuation lines. */
static void header_value(cx_buf *out, const char *s)
{
	size_t n = strlen(s);
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			ascii = 0;
	if (ascii) {
		cx_buf_adds(out, s);
		return;
	}
	size_t i = 0;
	while (i < n) {
		size_t end = i + 45 < n ? i + 45 : n;
		while (end < n && end > i && ((unsigned char)s[end] & 0xc0) == 0x80)
			end--;
		if (i)
			cx_buf_adds(out, "\n ");
		cx_buf_adds(out, "=?UTF-8?B?");
		base64(out, (const unsigned char *)s + i, end - i);
		cx_buf_adds(out, "?=");
		i = end;
	}
}

static void email_finish(engine *e)
{
	if (!e->printed)
		return;
	cx_buf h = CX_BUF_INIT, subj = CX_BUF_INIT;
	if (e->c->mail_from) {
		cx_buf_adds(&h, "From: ");
		header_value(&h, e->c->mail_from);
		cx_buf_addc(&h, '\n');
	}
	cx_buf_adds(&h, "To: ");
	header_value(&h, e->c->mail_to);
	cx_buf_addc(&h, '\n');
	if (e->c->subject)
		cx_buf_adds(&subj, e->c->subject);
	else
		cx_buf_add(&subj, e->first_subject.p, e->first_subject.len);
	if (e->printed > 1)
		cx_buf_addf(&subj, " (+%zu)", e->printed - 1);
	/* One line: a message with a newline must not end the header; a NUL
	 * (from the data) has no place in a header either. */
	for (size_t i = 0; i < subj.len; i++)
		if (subj.p[i] == '\n' || subj.p[i] == '\r' || subj.p[i] == '\t' || subj.p[i] == '\0')
			subj.p[i] = ' ';
	cx_buf_adds(&h, "Subject: ");
	header_value(&h, subj.p);
	cx_buf_adds(&h, "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
		    "Content-Transfer-Encoding: 8bit\n\n");
	cx_out_raw(e->o, h.p, h.len);
	cx_out_raw(e->o, e->mail.p, e->mail.len);
	cx_buf_free(&h);
	cx_buf_free(&subj);
}

/* ---- the run */

static void free_engine(engine *e)
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
	for (size_t i = 0; i < NRENDERS; i++)
		if (renders[i].id == c->render)
			e.render = &renders[i];
	if (c->stream)
		o->line_buffered = 1;
	bind(&e);
	state_load(&e);
	if (c->render == CX_RENDER_TSV)
		tsv_header(&e);
	cx_buf period = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		if (e.trend) {
			const char *P = fieldc(&e, e.period_col, &period);
			cx_period pp = { CX_DAY, 0 };
			int has_idx = 0;
			for (int u = 0; u < CX_NUNITS && !has_idx; u++)
				has_idx = cx_period_parse(P, period.len, (enum cx_unit)u, &pp) == 0;
			for (size_t bi = 0; bi < e.nb; bi++)
				eval_trend(&e, &e.b[bi], P, has_idx, pp.unit, pp.index);
			continue;
		}
		for (size_t bi = 0; bi < e.nb; bi++) {
			bound *b = &e.b[bi];
			switch (b->r->kind) {
			case CX_RULE_RECORD: eval_record(&e, b); break;
			case CX_RULE_TEXT: eval_text(&e, b); break;
			case CX_RULE_WINDOW: eval_window(&e, b); break;
			case CX_RULE_SLA: {
				cx_instant t;
				if (fieldtime(&e, b->time_col, &t) && (!e.have_time || t > e.max_time)) {
					e.max_time = t;
					e.have_time = 1;
				}
				keep_sla(&e, b);
				break;
			}
			default: break;
			}
		}
	}
	cx_buf_free(&period);
	cx_instant now = c->now_set ? c->now : e.max_time;
	for (size_t i = 0; i < e.ncand; i++) {
		eval_sla(&e, &e.cands[i], now);
		for (size_t k = 0; k < r->nfields; k++)
			free((char *)e.cands[i].vals[k].p);
		free(e.cands[i].vals);
	}
	resolve(&e);
	if (c->render == CX_RENDER_EMAIL)
		email_finish(&e);
	/* The alerts are out before the state says they were sent. */
	cx_output_flush(o);
	state_save(&e);
	int st = e.any_fired ? CX_EXIT_FOUND : CX_EXIT_OK;
	free_engine(&e);
	return st;
}
