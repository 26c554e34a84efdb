/*
 * metrics_engine.c: the engine's run, from options to rows
 * (cx_metrics_run), and the statistics the metrics plan.  The metric
 * table (metrics.c) asks for statistics through the constructors here,
 * which give each distinct one a single slot however many metrics read
 * it; the rest of the engine (metrics_group.c, metrics_partial.c,
 * metrics_output.c) only ever walks those slots.
 */
#include "stats/metrics.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/opt.h"
#include "io/canon.h"
#include "stats/metrics_int.h"
#include "stats/sketch.h"

/* ---- planning ---- */

const char *metrics_need_field(struct engine *e, const char *canonical)
{
	(void)e;
	return cx_canon(canonical);
}

/* A stat whose quantiles are asked for keeps its values: all of them, or
 * with --sketch a DDSketch (values of fields and durations only). */
static void want_values(struct engine *e, struct stat *st)
{
	if (st->keep || st->sketch)
		return;
	if (e->conf->sketch && (st->kind == ST_VAL || st->kind == ST_DUR)) {
		st->sketch = 1;
		st->sk = e->nsk++;
		/* The spec says so, so that --merge refuses to mix the two. */
		size_t n = strlen(st->spec);
		st->spec = cx_realloc(st->spec, n + 4);
		memcpy(st->spec + n, "~dd", 4);
		return;
	}
	st->keep = 1;
	st->vec = e->nvecs++;
}

int metrics_add_stat(struct engine *e, enum stat_kind kind, const char *spec,
		     const char **fields, size_t nfield, int keep)
{
	for (size_t i = 0; i < e->nstats; i++) {
		const char *have = e->stats[i].spec;
		size_t n = strlen(spec);
		if (!strncmp(have, spec, n) && (!have[n] || !strcmp(have + n, "~dd"))) {
			if (keep)
				want_values(e, &e->stats[i]);
			return (int)i;
		}
	}
	e->stats = cx_realloc(e->stats, (e->nstats + 1) * sizeof *e->stats);
	struct stat *s = &e->stats[e->nstats];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->spec = cx_strdup(spec);
	if (nfield > sizeof s->field / sizeof s->field[0])
		cx_usage_error("too many fields in '%s'", spec);
	if (nfield)
		memcpy(s->fname, fields, nfield * sizeof *fields);
	s->nfield = nfield;
	s->off = e->ndoubles;
	switch (kind) {
	case ST_N: case ST_OPEN: case ST_MATCH: case ST_REPEAT: e->ndoubles += 1; break;
	case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG: e->ndoubles += 2; break;
	case ST_SCORE: e->ndoubles += 3; break;
	case ST_VAL: case ST_DUR:
		e->ndoubles += VAL_NDOUBLES;
		s->sumvec = e->nvecs++;
		break;
	case ST_DISTINCT: s->set = e->nsets++; break;
	}
	if (kind == ST_SLA) {
		s->keep = 1;
		s->vec = e->nvecs++;
	} else if (keep) {
		want_values(e, s);
	}
	return (int)e->nstats++;
}

int metrics_stat_n(struct engine *e)
{
	return metrics_add_stat(e, ST_N, "n", NULL, 0, 0);
}

int metrics_stat_deteriorated(struct engine *e)
{
	if (e->det_names)
		return e->det_stat;	/* deteriorated and deterioration_rate share it */
	const char *list = e->conf->deteriorated ? e->conf->deteriorated : "escalated";
	size_t n;
	/* The names stay referenced by the stat; the list lives as long as
	 * the engine (freed with it). */
	char **names = cx_split_list(list, &n);
	const char *f[8];
	if (n > 8)
		cx_usage_error("--deteriorated: at most 8 fields");
	cx_buf spec = CX_BUF_INIT;
	cx_buf_adds(&spec, "flag:");
	for (size_t i = 0; i < n; i++) {
		f[i] = metrics_need_field(e, names[i]);
		cx_buf_addf(&spec, "%s%s", i ? "+" : "", f[i]);
	}
	int s = metrics_add_stat(e, ST_FLAG, spec.p, f, n, 0);
	cx_buf_free(&spec);
	e->det_names = names;
	e->ndet_names = n;
	e->det_stat = s;
	return s;
}

int metrics_stat_flag(struct engine *e, const char *canonical)
{
	const char *f = metrics_need_field(e, canonical);
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "flag:%s", f);
	int s = metrics_add_stat(e, ST_FLAG, spec.p, &f, 1, 0);
	cx_buf_free(&spec);
	return s;
}

int metrics_stat_val(struct engine *e, const char *field, int canonical, int keep)
{
	const char *f = canonical ? metrics_need_field(e, field) : field;
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "val:%s", f);
	int s = metrics_add_stat(e, ST_VAL, spec.p, &f, 1, keep);
	cx_buf_free(&spec);
	return s;
}

int metrics_stat_dur(struct engine *e, const char *to, int keep)
{
	const char *f[2] = { metrics_need_field(e, to), e->time_name };
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "dur:%s-%s", f[0], f[1]);
	int s = metrics_add_stat(e, ST_DUR, spec.p, f, 2, keep);
	cx_buf_free(&spec);
	return s;
}

int metrics_stat_distinct(struct engine *e, const char *field, int canonical)
{
	const char *f = canonical ? metrics_need_field(e, field) : field;
	cx_buf spec = CX_BUF_INIT;
	cx_buf_addf(&spec, "distinct:%s", f);
	int s = metrics_add_stat(e, ST_DISTINCT, spec.p, &f, 1, 0);
	cx_buf_free(&spec);
	return s;
}

/* ------------------------------------------------------------------ */
/* The run                                                              */

static const char *const default_metrics = "complaints,deteriorated,deterioration_rate";

/* The output header must be a valid one: no name twice. */
static void check_columns(const struct engine *e)
{
	cx_keys seen = CX_KEYS_INIT;
	int added;
	cx_keys_intern(&seen, "period", 6, NULL);
	for (size_t i = 0; i < e->ngroup; i++) {
		cx_keys_intern(&seen, e->group_names[i], strlen(e->group_names[i]), &added);
		if (!added)
			cx_usage_error("-g: field '%s' would be an output field twice", e->group_names[i]);
	}
	if (!e->conf->partial)
		for (size_t m = 0; m < e->nmetrics; m++) {
			const char *c = e->metrics[m].column;
			cx_keys_intern(&seen, c, strlen(c), &added);
			if (!added)
				cx_usage_error("metric '%s' has the name of a -g field or of 'period'", c);
		}
	cx_keys_free(&seen);
}

static void free_engine(struct engine *e)
{
	for (size_t g = 0; g < e->keys.n; g++)
		for (size_t v = 0; v < e->nvecs; v++)
			free(e->vecs[g * e->nvecs + v].v);
	for (size_t s = 0; s < e->nstats; s++) {
		free(e->stats[s].spec);
		free(e->stats[s].owned);
	}
	for (size_t i = 0; i < e->nsets; i++)
		cx_keys_free(&e->sets[i]);
	for (size_t g = 0; g < e->keys.n; g++) {
		for (size_t i = 0; i < e->nsets; i++)
			free(e->hll[g * e->nsets + i]);
		for (size_t i = 0; i < e->nsk; i++)
			cx_sketch_free(&e->sk[g * e->nsk + i]);
	}
	free(e->hll);
	free(e->sk);
	for (size_t m = 0; m < e->nmetrics; m++)
		free(e->metrics[m].column);
	free(e->sets);
	free(e->stats);
	free(e->metrics);
	free(e->d);
	free(e->vecs);
	free(e->distinct_n);
	cx_keys_free(&e->customers);
	cx_keys_free(&e->sla_keys);
	free(e->sla_target);
	free(e->sla_key);
	free(e->ev_cust);
	free(e->ev_gid);
	free(e->ev_time);
	free(e->ev_w);
	free(e->period);
	free(e->denom);
	free(e->has_denom);
	free(e->is_total);
	free(e->group);
	free(e->block_total);
	if (e->group_names)
		cx_free_list(e->group_names, e->ngroup);
	if (e->det_names)
		cx_free_list(e->det_names, e->ndet_names);
	cx_keys_free(&e->keys);
	cx_buf_free(&e->scratch);
	cx_buf_free(&e->scratch2);
}

int cx_metrics_run(const cx_metrics_conf *c, cx_reader *r, cx_output *o)
{
	struct engine e = { .conf = c, .r = r, .repeat_stat = -1 };
	/* GSL's default handler aborts; every call here has checked input. */
	gsl_set_error_handler_off();
	e.time_name = c->time_field ? c->time_field : cx_canon("created_at");
	/* Checked whether pain_index is asked for or not: a bad option value
	 * is an error either way. */
	cx_buf why = CX_BUF_INIT;
	if (cx_pain_weights(c->pain_weights, e.pain_w, &why) < 0)
		cx_usage_error("%s", why.p);
	cx_buf_free(&why);
	if (c->group && *c->group)
		e.group_names = cx_split_list(c->group, &e.ngroup);
	size_t nwords;
	char **words = cx_split_list(c->metrics ? c->metrics : default_metrics, &nwords);
	for (size_t i = 0; i < nwords; i++)
		metrics_parse_metric(&e, words[i]);
	e.sets = cx_calloc(e.nsets + 1, sizeof *e.sets);
	check_columns(&e);

	if (c->rejects && !c->merge)
		cx_rejects_open(&e.rej, c->rejects, "row", 0, 1);
	if (c->merge)
		metrics_read_partials(&e);
	else
		metrics_read_records(&e);
	if (!c->partial)
		metrics_compute_repeats(&e);
	if (c->per)
		metrics_read_denominators(&e);
	if (c->fill)
		metrics_fill(&e);
	if (c->totals && e.ngroup && !c->partial)
		metrics_totals(&e);

	metrics_write_header(&e, o);
	metrics_write_rows(&e, o);

	for (size_t s = 0; s < e.nstats; s++) {
		const struct stat *st = &e.stats[s];
		if (st->negative)
			cx_warn_at(st->neg_file, st->neg_line,
				   "%llu row%s with %s before %s left out of the metrics of that "
				   "duration (the first is here)",
				   st->negative, st->negative == 1 ? "" : "s", st->fname[0], st->fname[1]);
	}
	if (e.no_sla > 0)
		cx_warn("%.0f time%s a complaint's %s had no target in %s: left out of that SLA metric",
			e.no_sla, e.no_sla == 1 ? "" : "s", e.sla_key, c->sla_file);
	if (e.rej.out) {
		cx_rejects_close(&e.rej);
		if (e.rej.n)
			cx_warn("%llu row%s without a usable %s set aside in %s", e.rej.n,
				e.rej.n == 1 ? "" : "s", e.time_name, c->rejects);
	}
	cx_free_list(words, nwords);
	free_engine(&e);
	return CX_EXIT_OK;
}
