/*
 * dialog_out: the conversation rows and the alerts.
 *
 * A row is written when its conversation closes; the alert stream is the
 * one of alert/alert.h with the conversation id and the turn as its group
 * fields, so that cx-alert's renders and a chat robot take it as they
 * take cx-alert's own.
 */
#include <stdio.h>
#include <string.h>

#include "alert/alert.h"
#include "dialog/dialog_int.h"

static const char *const row_fields[] = {
	"turns", "agent_turns", "customer_turns", "start", "duration", "agent_repeat_max",
	"agent_repeat_text", "customer_negative_run", "customer_negative_turns",
	"customer_negative_max_text", "escalation_terms", "first_agent_reply_s", "handover",
	"problems",
};

void dialog_header(engine *e)
{
	cx_output *o = e->out;
	const char *id = e->r->names[e->id_col];
	if (e->alerts) {
		const char *groups[] = { id, "turn" };
		cx_alert_header(o, groups, 2);
		return;
	}
	cx_out_field(o, id, strlen(id));
	for (size_t i = 0; i < e->nkeep; i++) {
		const char *k = e->r->names[e->keep_cols[i]];
		cx_out_c(o, '\t');
		cx_out_field(o, k, strlen(k));
	}
	for (size_t i = 0; i < sizeof row_fields / sizeof row_fields[0]; i++) {
		cx_out_c(o, '\t');
		cx_out_s(o, row_fields[i]);
	}
	cx_out_eol(o);
}

static void put_num(cx_output *o, unsigned long long v)
{
	char num[32];
	int n = snprintf(num, sizeof num, "\t%llu", v);
	cx_out_raw(o, num, (size_t)n);
}

static void put_text(cx_output *o, const char *p, size_t n)
{
	cx_out_c(o, '\t');
	if (p)
		cx_out_field(o, p, n);
}

void dialog_row(engine *e, const conv *cv)
{
	if (e->alerts)
		return;
	cx_output *o = e->out;
	cx_out_field(o, cv->id, cv->idlen);
	if (e->nkeep) {
		cx_out_c(o, '\t');
		cx_out_raw(o, cv->keep.p, cv->keep.len);	/* escaped as read */
	}
	put_num(o, cv->turns);
	put_num(o, cv->agent_turns);
	put_num(o, cv->customer_turns);
	char t[CX_TIME_MAX + 1];
	if (cv->have_ts) {
		cx_out_c(o, '\t');
		cx_out_raw(o, t, cx_time_format(cv->first_ts, t));
		put_num(o, (unsigned long long)(cv->last_ts - cv->first_ts));
	} else {
		cx_out_raw(o, "\t\t", 2);
	}
	const cluster *best = cv->best < cv->ncl ? &cv->cl[cv->best] : NULL;
	put_num(o, best ? best->count : 0);
	/* The text only when something was said twice: once is no repeat. */
	put_text(o, best && best->count > 1 ? best->text : NULL, best ? best->textlen : 0);
	put_num(o, cv->max_run);
	put_num(o, cv->negative_turns);
	put_text(o, cv->worst_text, cv->worst_len);
	put_text(o, cv->terms.p, cv->terms.len);
	if (cv->first_reply_s >= 0)
		put_num(o, (unsigned long long)cv->first_reply_s);
	else
		cx_out_c(o, '\t');
	put_num(o, (unsigned long long)cv->handover);
	put_num(o, cv->problems);
	cx_out_eol(o);
}

static cx_slice of_str(const char *s)
{
	return (cx_slice){ s, strlen(s) };
}

void dialog_alert(engine *e, const conv *cv, const char *rule, const char *severity,
		  const char *metric, unsigned long value, int threshold, const char *message,
		  size_t message_len)
{
	char turn[32], v[32], th[32];
	snprintf(turn, sizeof turn, "%lld", e->cur_turn);
	snprintf(v, sizeof v, "%lu", value);
	snprintf(th, sizeof th, "%d", threshold);
	cx_slice groups[2] = { { cv->id, cv->idlen }, of_str(turn) };
	cx_alert_row a = {
		.rule = of_str(rule), .severity = of_str(severity), .period = of_str(e->when),
		.groups = groups, .ngroups = 2, .metric = of_str(metric), .value = of_str(v),
		.threshold = of_str(th), .status = of_str("fired"), .message = { message, message_len },
	};
	cx_alert_write(e->out, &a);
	e->alerts_written++;
}
