/*
 * alert_relay: an alert stream in, rendered out.
 *
 * cx-dialog and cx-alert itself write the one alert stream of alert.h;
 * given one with no rules, cx-alert renders it as it would its own alerts
 * (tsv, the chat robots' JSON, e-mail), so that every program's alerts
 * reach the same notifiers: cx-dialog --stream --alert-repeat 3 |
 * cx-alert --stream --render wecom.  The group fields are the columns
 * between period and metric.  Ongoing alerts are written with --all, as
 * cx-alert's own are; there is no state.
 */
#include <string.h>

#include "alert/alert_int.h"
#include "core/err.h"

static const char *const columns[] = {
	"rule", "severity", "period", "metric", "value", "threshold", "baseline", "p", "status",
	"message",
};
enum { C_RULE, C_SEVERITY, C_PERIOD, C_METRIC, C_VALUE, C_THRESHOLD, C_BASELINE, C_P, C_STATUS,
       C_MESSAGE, C_N };

int cx_alert_is_stream(const cx_reader *r)
{
	for (size_t i = 0; i < C_N; i++)
		if (cx_reader_find(r, columns[i]) < 0)
			return 0;
	return cx_reader_find(r, "period") < cx_reader_find(r, "metric");
}

/* Field col, unescaped, as the renderers want it: in b, NUL-terminated. */
static void get(engine *e, long col, cx_buf *b)
{
	cx_buf_reset(b);
	cx_slice v = cx_rec_get(e->r, (size_t)col, b);
	if (v.p != b->p) {
		cx_buf_reset(b);
		cx_buf_add(b, v.p, v.n);
	}
	cx_buf_add(b, "", 0);	/* sets p for an empty value */
}

/* One of names, or death at the record's line. */
static size_t one_of(engine *e, const char *field, const cx_buf *v, const char *const *names,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == v->len && !memcmp(names[i], v->p, v->len))
			return i;
	cx_buf shown = CX_BUF_INIT;
	cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "field '%s': expected %s%s%s%s%s%s%s, found '%s'",
		  field, names[0], n > 1 ? ", " : "", n > 1 ? names[1] : "", n > 2 ? ", " : "",
		  n > 2 ? names[2] : "", n > 3 ? " or " : "", n > 3 ? names[3] : "",
		  cx_shown(&shown, v->p, v->len));
}

int cx_alert_relay(const cx_alert_conf *c, cx_reader *r, cx_output *o)
{
	static const char *const statuses[] = { "fired", "ongoing", "resolved" };
	engine e = { .c = c, .r = r, .o = o };
	e.render = alert_render_row(c->render);
	if (c->stream)
		o->line_buffered = 1;
	long col[C_N];
	for (size_t i = 0; i < C_N; i++)
		col[i] = cx_reader_find(r, columns[i]);
	for (long i = col[C_PERIOD] + 1; i < col[C_METRIC]; i++)
		alert_add_out_group(&e, r->names[i]);
	e.a.grp = cx_calloc(e.nout + 1, sizeof *e.a.grp);
	if (c->render == CX_RENDER_TSV)
		alert_tsv_header(&e);
	alert *a = &e.a;
	cx_buf name = CX_BUF_INIT, sev = CX_BUF_INIT, status = CX_BUF_INIT;
	cx_buf *into[C_N] = { &name, &sev, &a->period, &a->metric, &a->value, &a->threshold,
			      &a->baseline, &a->p, &status, &a->message };
	while (cx_reader_next(r)) {
		alert_reset(&e);
		for (size_t i = 0; i < C_N; i++)
			get(&e, col[i], into[i]);
		for (size_t g = 0; g < e.nout; g++)
			get(&e, col[C_PERIOD] + 1 + (long)g, &a->grp[g]);
		cx_rule rule = { .name = name.p };
		rule.severity = (enum cx_severity)one_of(&e, "severity", &sev, cx_severity_names, 4);
		a->status = statuses[one_of(&e, "status", &status, statuses, 3)];
		a->rule = &rule;
		alert_emit(&e);
		a->rule = NULL;
	}
	if (c->render == CX_RENDER_EMAIL)
		alert_email_finish(&e);
	cx_output_flush(o);
	int st = e.any_fired ? CX_EXIT_FOUND : CX_EXIT_OK;
	cx_buf_free(&name);
	cx_buf_free(&sev);
	cx_buf_free(&status);
	alert_free_engine(&e);
	return st;
}
