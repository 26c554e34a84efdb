/*
 * alert: evaluating a rule table (rules.h) over a stream, remembering what
 * fired, and writing the alerts (the engine of cx-alert).
 *
 * Binding: the input's header decides which rules apply.  A stream with a
 * `period` column is a cx-trend stream: trend rules apply to it, and a
 * trend rule naming a column it lacks is an error at the rule's line.  Any
 * other stream holds complaint records: record, window, text and sla
 * rules apply when it has their fields; the others are skipped with a note
 * on standard error (an error with strict).
 *
 * Evaluation is one pass in input order, so alerts can be written as the
 * records arrive (stream); only sla rules wait for the end of the input,
 * since their default "now" is the latest time in it.
 *
 * State: an incident is identified by (rule, group key) for trend and sla
 * rules, and by (rule, group key, period) for the event kinds (record,
 * window, text).  See man/cx-alert.1 for the fired / ongoing / resolved
 * rules.  The state file is rewritten atomically (output.h) after the
 * alerts have been written: a run killed before that leaves the old state,
 * so an alert is sent at least once, never lost.
 *
 * Memory: the engine owns its per-group state (run lengths, window
 * deques) and copies of the open sla candidates; all of it grows with the
 * number of groups and open tickets, not with the number of records.
 */
#ifndef CX_ALERT_H
#define CX_ALERT_H

#include "core/cxtime.h"
#include "io/output.h"
#include "alert/rules.h"
#include "io/stream.h"

enum cx_render { CX_RENDER_TSV, CX_RENDER_WECOM, CX_RENDER_DINGTALK, CX_RENDER_FEISHU,
		 CX_RENDER_SLACK, CX_RENDER_EMAIL };

typedef struct cx_alert_conf {
	const char *state;	/* --state FILE, or NULL */
	int all;		/* print ongoing alerts too */
	int strict;		/* a rule that does not fit the input is an error */
	int stream;		/* flush each alert; sla rules are skipped */
	enum cx_render render;
	const char *mail_from, *mail_to, *subject;
	int now_set;
	cx_instant now;
} cx_alert_conf;

/* Name to format; 0, or -1 if unknown. */
int cx_render_parse(const char *name, enum cx_render *out);
/* "tsv, wecom, ..." for messages. */
const char *cx_render_names(void);

/*
 * The alert stream (man/cx-alert.1, OUTPUT) for every program that writes
 * alerts (cx-alert, cx-dialog), so that one set of notifiers takes them
 * all: rule, severity, period, the group fields, then metric, value,
 * threshold, baseline, p, status and message.  Values are borrowed
 * slices (a field may hold a NUL byte); an unset one is an empty field.
 */
typedef struct cx_alert_row {
	cx_slice rule, severity, period;
	const cx_slice *groups;	/* ngroups values, in the header's order */
	size_t ngroups;
	cx_slice metric, value, threshold, baseline, p, status, message;
} cx_alert_row;

void cx_alert_header(cx_output *o, const char *const *group_names, size_t ngroups);
void cx_alert_write(cx_output *o, const cx_alert_row *a);

/* Whether r's header is an alert stream (rule ... message, the group
 * fields between period and metric). */
int cx_alert_is_stream(const cx_reader *r);
/* Render an alert stream without rules (alert_relay.c), ongoing alerts
 * only with all; returns CX_EXIT_FOUND if one is fired; dies
 * with 3 on a severity or status that is not one of the alert stream's. */
int cx_alert_relay(const cx_alert_conf *c, cx_reader *r, cx_output *o);

/* The whole run.  Returns CX_EXIT_FOUND if a new alert fired, else 0;
 * dies with 2 for rules that do not fit the input, 3 for bad data. */
int cx_alert_run(const cx_alert_conf *c, const cx_rules *rs, cx_reader *r, cx_output *o);

#endif
