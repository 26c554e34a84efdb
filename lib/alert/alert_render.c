/*
 * alert_render: the output formats of cx-alert.  Evaluation and state fill
 * in one alert (engine.a) and hand it to alert_emit(); everything about
 * how it looks on the way out (the TSV columns, each chat webhook's JSON,
 * the one email with its RFC 2047 headers) is here, so a new format is a
 * row of the table and a function, touching nothing else.
 */
#include "alert/alert_int.h"

#include <string.h>

#include "io/json.h"

/* ---- output formats: one row each */

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

const render_row *alert_render_row(enum cx_render id)
{
	const render_row *row = NULL;
	for (size_t i = 0; i < NRENDERS; i++)
		if (renders[i].id == id)
			row = &renders[i];
	return row;
}

/* ---- writing an alert */

static int want(engine *e, const char *status)
{
	return strcmp(status, "ongoing") != 0 || e->c->all;
}

void alert_emit(engine *e)
{
	alert *a = &e->a;
	if (!want(e, a->status))
		return;
	if (!strcmp(a->status, "fired"))
		e->any_fired = 1;
	e->printed++;
	e->render->one(e, a);
}

/* ---- renderers */

static const char *const tsv_head[] = { "rule", "severity", "period" };
static const char *const tsv_tail[] = { "metric", "value", "threshold", "baseline", "p", "status", "message" };

void cx_alert_header(cx_output *o, const char *const *group_names, size_t ngroups)
{
	for (size_t i = 0; i < 3; i++) {
		if (i)
			cx_out_c(o, '\t');
		cx_out_s(o, tsv_head[i]);
	}
	for (size_t i = 0; i < ngroups; i++) {
		cx_out_c(o, '\t');
		cx_out_field(o, group_names[i], strlen(group_names[i]));
	}
	for (size_t i = 0; i < 7; i++) {
		cx_out_c(o, '\t');
		cx_out_s(o, tsv_tail[i]);
	}
	cx_out_eol(o);
}

static void out_value(cx_output *o, cx_slice v)
{
	cx_out_c(o, '\t');
	if (v.n)
		cx_out_field(o, v.p, v.n);
}

void cx_alert_write(cx_output *o, const cx_alert_row *a)
{
	cx_out_field(o, a->rule.p, a->rule.n);
	out_value(o, a->severity);
	out_value(o, a->period);
	for (size_t i = 0; i < a->ngroups; i++)
		out_value(o, a->groups[i]);
	out_value(o, a->metric);
	out_value(o, a->value);
	out_value(o, a->threshold);
	out_value(o, a->baseline);
	out_value(o, a->p);
	out_value(o, a->status);
	out_value(o, a->message);
	cx_out_eol(o);
}

void alert_tsv_header(engine *e)
{
	cx_alert_header(e->o, (const char *const *)e->out_grp, e->nout);
}

static cx_slice of_buf(const cx_buf *b)
{
	return (cx_slice){ b->p ? b->p : "", b->len };
}

static cx_slice of_str(const char *s)
{
	return (cx_slice){ s, strlen(s) };
}

static void render_tsv(engine *e, const alert *a)
{
	cx_slice *grp = e->tsv_groups;
	for (size_t i = 0; i < e->nout; i++)
		grp[i] = of_buf(&a->grp[i]);
	cx_alert_row row = {
		.rule = of_str(a->rule->name), .severity = of_str(cx_severity_names[a->rule->severity]),
		.period = of_buf(&a->period), .groups = grp, .ngroups = e->nout,
		.metric = of_buf(&a->metric), .value = of_buf(&a->value),
		.threshold = of_buf(&a->threshold), .baseline = of_buf(&a->baseline),
		.p = of_buf(&a->p), .status = of_str(a->status), .message = of_buf(&a->message),
	};
	cx_alert_write(e->o, &row);
}

/* "[high] rule (fired) 2024-W10 product=A" */
static void title(engine *e, const alert *a, cx_buf *t)
{
	cx_buf_addf(t, "[%s] %s (%s)", cx_severity_names[a->rule->severity], a->rule->name, a->status);
	if (a->period.len) {
		cx_buf_addc(t, ' ');
		alert_add_buf(t, &a->period);
	}
	for (size_t i = 0; i < e->nout; i++)
		if (a->grp[i].len) {
			cx_buf_addf(t, " %s=", e->out_grp[i]);
			alert_add_buf(t, &a->grp[i]);
		}
}

/* "metric = value, threshold T, baseline B, p P" */
static void figures(const alert *a, cx_buf *t)
{
	alert_add_buf(t, &a->metric);
	cx_buf_adds(t, " = ");
	alert_add_buf(t, &a->value);
	if (a->threshold.len) {
		cx_buf_adds(t, ", threshold ");
		alert_add_buf(t, &a->threshold);
	}
	if (a->baseline.len) {
		cx_buf_adds(t, ", baseline ");
		alert_add_buf(t, &a->baseline);
	}
	if (a->p.len) {
		cx_buf_adds(t, ", p ");
		alert_add_buf(t, &a->p);
	}
}

static void render_json(engine *e, const alert *a)
{
	cx_buf t = CX_BUF_INIT, body = CX_BUF_INIT, j = CX_BUF_INIT;
	title(e, a, &t);
	int md = e->c->render == CX_RENDER_WECOM || e->c->render == CX_RENDER_DINGTALK;
	if (md) {
		cx_buf_adds(&body, "**");
		alert_add_buf(&body, &t);
		cx_buf_adds(&body, "**\n\n");
		alert_add_buf(&body, &a->message);
		cx_buf_adds(&body, "\n\n> ");
		if (strcmp(a->status, "resolved"))
			figures(a, &body);
		else
			cx_buf_adds(&body, "resolved");
	} else {
		alert_add_buf(&body, &t);
		cx_buf_addc(&body, '\n');
		alert_add_buf(&body, &a->message);
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
	alert_add_buf(&e->mail, &t);
	cx_buf_addc(&e->mail, '\n');
	alert_add_buf(&e->mail, &a->message);
	cx_buf_addc(&e->mail, '\n');
	if (strcmp(a->status, "resolved")) {
		cx_buf_reset(&t);
		figures(a, &t);
		alert_add_buf(&e->mail, &t);
		cx_buf_addc(&e->mail, '\n');
	}
	cx_buf_addc(&e->mail, '\n');
	if (!e->first_subject.len) {
		cx_buf_addf(&e->first_subject, "[%s] ", cx_severity_names[a->rule->severity]);
		alert_add_buf(&e->first_subject, &a->message);
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

void alert_email_finish(engine *e)
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
