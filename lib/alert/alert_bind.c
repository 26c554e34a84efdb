/*
 * alert_bind: fitting the rule table to one input.  The header decides
 * which rules apply (see alert.h), and every field a rule names is looked
 * up once here, so evaluation reads columns by index and never by name.
 * A rule that does not fit is skipped with a note, or is an error (trend
 * rules, --strict), at the rule's own line.
 */
#include "alert/alert_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

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

void alert_add_out_group(engine *e, const char *name)
{
	for (size_t i = 0; i < e->nout; i++)
		if (!strcmp(e->out_grp[i], name))
			return;
	e->out_grp = cx_realloc(e->out_grp, (e->nout + 1) * sizeof *e->out_grp);
	e->tsv_groups = cx_realloc(e->tsv_groups, (e->nout + 1) * sizeof *e->tsv_groups);
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

/* The rule's group fields: those it names, else a trend stream's
 * columns that are neither period nor measures, else a window rule's
 * key, else the id when there is one. */
static char **group_names(engine *e, const cx_rule *r, size_t *n)
{
	cx_reader *in = e->r;
	int is_trend = r->kind == CX_RULE_TREND;
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
	*n = nnames;
	return names;
}

/* The columns of the fields the rule's kind reads: the required ones
 * through need(), which notes the first missing; the optional ones (a
 * trend alert's p and baseline, ids, created_at) by a plain lookup. */
static void bind_columns(engine *e, bound *b, cx_buf *base, int *missing, const char **which)
{
	cx_reader *in = e->r;
	const cx_rule *r = b->r;
	switch (r->kind) {
	case CX_RULE_TREND: {
		const char *suf = base_of(in, r->cmp[0].field, base);
		if (r->has_min)
			b->min_col = need(e, r->min_field ? r->min_field : base->p, missing, which);
		const char *pcol = NULL, *bcol = NULL;
		cx_buf pb = CX_BUF_INIT, bb = CX_BUF_INIT;
		if (suf && (strstr(suf, "pop") || !strcmp(suf, "_prev"))) {
			cx_buf_addf(&pb, "%s_p_pop", base->p);
			cx_buf_addf(&bb, "%s_prev", base->p);
		} else if (suf && strstr(suf, "yoy")) {
			cx_buf_addf(&pb, "%s_p_yoy", base->p);
			cx_buf_addf(&bb, "%s_yoy_prev", base->p);
		} else {
			cx_buf_addf(&bb, "%s_center", base->p);
		}
		pcol = r->p_field ? r->p_field : pb.p;
		bcol = bb.p;
		if (r->has_p && !pcol)
			cx_die_at(CX_EXIT_USAGE, r->file, r->line,
				  "rule '%s': 'p <' needs a _pop_ or _yoy_ column in the condition, or name one: p < 0.05 of COLUMN",
				  r->name);
		if (r->has_p)
			b->p_col = need(e, pcol, missing, which);
		else if (pcol)
			b->p_col = cx_reader_find(in, pcol);
		b->base_col = bcol ? cx_reader_find(in, bcol) : -1;
		cx_buf_free(&pb);
		cx_buf_free(&bb);
		break;
	}
	case CX_RULE_WINDOW:
		b->key_col = need(e, r->key, missing, which);
		b->time_col = need(e, r->on ? r->on : "created_at", missing, which);
		b->id_col = cx_reader_find(in, "id");
		break;
	case CX_RULE_SLA:
		b->sla_col = need(e, r->sla_field, missing, which);
		b->time_col = need(e, r->sla_from, missing, which);
		break;
	default:
		b->time_col = cx_reader_find(in, "created_at");
		break;
	}
}

void alert_bind(engine *e)
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
		size_t nnames;
		char **names = group_names(e, r, &nnames);
		b->grp_names = names;
		b->ngrp = nnames;
		b->grp = cx_calloc(nnames + 1, sizeof *b->grp);
		for (size_t i = 0; i < nnames; i++)
			b->grp[i] = (size_t)need(e, names[i], &missing, &which);
		bind_columns(e, b, &base, &missing, &which);
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
			alert_add_out_group(e, names[i]);
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
