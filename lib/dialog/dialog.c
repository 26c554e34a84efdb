/*
 * dialog: reading and checking the turns, and the run (dialog.h).
 */
#include "dialog/dialog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/jit.h"
#include "core/keys.h"
#include "core/num.h"
#include "core/utf8.h"
#include "dialog/dialog_int.h"
#include "io/canon.h"

/* A field the input may lack, unless the user renamed it (-u
 * canonical=field): then a header without it is a usage error, not a
 * silent run without turn numbers or times. */
static long optional_col(const cx_reader *r, const char *canonical)
{
	const char *name = cx_canon(canonical);
	if (strcmp(name, canonical))
		return (long)cx_reader_need(r, name);
	return cx_reader_find(r, name);
}

static void compile_end(engine *e)
{
	if (!e->c->end)
		return;
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)e->c->end, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NO_UTF_CHECK, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		cx_die(CX_EXIT_USAGE, "--end: %s at character %zu of '%s'", (char *)msg, (size_t)off,
		       e->c->end);
	}
	cx_jit(re);
	e->end_re = re;
	e->end_md = pcre2_match_data_create(1, NULL);
}

static void setup(engine *e, char **paths, size_t npaths)
{
	const cx_dialog_conf *c = e->c;
	if (c->end && cx_utf8_check(c->end, strlen(c->end)))
		cx_die(CX_EXIT_USAGE, "--end: the pattern is not UTF-8");
	compile_end(e);
	e->r = cx_reader_open(paths, npaths);
	cx_reader *r = e->r;
	e->id_col = cx_reader_need(r, cx_canon("conversation_id"));
	e->speaker_col = cx_reader_need(r, cx_canon("speaker"));
	e->turn_col = optional_col(r, "turn");
	e->ts_col = optional_col(r, "ts");
	if (c->idle && e->ts_col < 0)
		cx_die(CX_EXIT_USAGE, "--idle needs turn times, and the input has no field '%s'",
		       cx_canon("ts"));
	if (c->keep)
		e->keep_cols = cx_reader_need_list(r, c->keep, &e->nkeep);
	cx_textsrc_open(&e->text, r, c->text_fields);
	e->agent_v = cx_split_list(c->agent_values, &e->nagent);
	e->customer_v = cx_split_list(c->customer_values, &e->ncustomer);
	for (size_t i = 0; i < e->nagent; i++)
		for (size_t j = 0; j < e->ncustomer; j++)
			if (!strcmp(e->agent_v[i], e->customer_v[j]))
				cx_die(CX_EXIT_USAGE, "speaker '%s' is in both --agent-values and --customer-values",
				       e->agent_v[i]);
	e->alerts = c->alert_repeat || c->alert_negative;
	dialog_turn_init(e);
}

static int in_list(char **v, size_t n, cx_slice s)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i]) == s.n && !memcmp(v[i], s.p, s.n))
			return 1;
	return 0;
}

/* Refuse the current turn: to the reject stream with its reason, and into
 * its conversation's problems when it has one. */
static void refuse(engine *e, conv *cv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(engine *e, conv *cv, const char *fmt, ...)
{
	cx_buf *why = &e->msg;
	cx_buf_reset(why);
	va_list ap;
	va_start(ap, fmt);
	cx_buf_vaddf(why, fmt, ap);
	va_end(ap);
	if (cv && !cv->closed)
		cv->problems++;
	cx_slice line = cx_reader_line(e->r);
	cx_reject x = { .file = e->r->file, .line = e->r->line, .reason = why->p, .raw = line.p,
			.rawn = line.n };
	cx_rejects_add(&e->rej, &x);
}

/* Field i of the current turn, unescaped into b. */
static cx_slice get(engine *e, size_t i, cx_buf *b)
{
	cx_buf_reset(b);
	return cx_rec_get(e->r, i, b);
}

static const char *shown(engine *e, cx_slice v)
{
	cx_buf_reset(&e->shown);
	return cx_shown(&e->shown, v.p, v.n);
}

/* A conversation's id as a message quotes it (a NUL as \\0, not the end). */
static const char *shown_id(engine *e, const conv *cv)
{
	return shown(e, (cx_slice){ cv->id, cv->idlen });
}

/* The open or closed conversation of the current turn, if it has one:
 * a turn refused before its conversation is known still counts in its
 * problems. */
static conv *known_conversation(engine *e)
{
	cx_slice id = get(e, e->id_col, &e->idbuf);
	return id.n ? dialog_find(e, id.p, id.n, cx_hash(id.p, id.n)) : NULL;
}

/* The turn's number and time, checked against its conversation's last;
 * 0 if the turn was refused. */
static int place(engine *e, conv *cv, long long *turn, cx_instant *ts, int have_ts)
{
	if (e->turn_col >= 0) {
		if (cv->have_turn && *turn <= cv->last_turn) {
			refuse(e, cv, "conversation '%s': turn %lld after turn %lld", shown_id(e, cv), *turn,
			       cv->last_turn);
			return 0;
		}
	} else {
		*turn = (long long)cv->turns + 1;
	}
	if (have_ts && cv->have_ts && *ts < cv->last_ts) {
		char a[CX_TIME_MAX + 1], b[CX_TIME_MAX + 1];
		a[cx_time_format(*ts, a)] = '\0';
		b[cx_time_format(cv->last_ts, b)] = '\0';
		refuse(e, cv, "conversation '%s': turn at %s before the previous one at %s", shown_id(e, cv),
		       a, b);
		return 0;
	}
	return 1;
}

static int read_number(engine *e, long long *turn)
{
	cx_slice v = get(e, (size_t)e->turn_col, &e->fieldbuf);
	/* Digits only, the common case, without strtod. */
	long long x = 0;
	size_t i = 0;
	while (i < v.n && i < 15 && v.p[i] >= '0' && v.p[i] <= '9')
		x = x * 10 + (v.p[i++] - '0');
	if (i == v.n && i > 0 && x >= 1) {
		*turn = x;
		return 1;
	}
	double d;
	if (cx_num_parse(v.p, v.n, &d) < 0 || d < 1 || d > 1e15 || d != (double)(long long)d) {
		refuse(e, known_conversation(e),
		       "field '%s': expected a whole number from 1 to 10^15, found '%s'",
		       e->r->names[e->turn_col], shown(e, v));
		return 0;
	}
	*turn = (long long)d;
	return 1;
}

/* An empty ts is a missing value (cx.7), as in the JDDC turn streams of
 * cx-ingest: the turn has no time (*have = 0), and is not refused. */
static int read_time(engine *e, cx_instant *ts, int *have)
{
	cx_slice v = get(e, (size_t)e->ts_col, &e->fieldbuf);
	if (v.n == 0) {
		*have = 0;
		return 1;
	}
	int rc = cx_time_parse(v.p, v.n, ts);
	if (rc < 0) {
		refuse(e, known_conversation(e), "field '%s': %s: '%s'", e->r->names[e->ts_col],
		       cx_time_strerror(rc), shown(e, v));
		return 0;
	}
	return 1;
}

static void keep_values(engine *e, conv *cv)
{
	for (size_t i = 0; i < e->nkeep; i++) {
		if (i)
			cx_buf_addc(&cv->keep, '\t');
		cx_slice f = e->r->f[e->keep_cols[i]];
		cx_buf_add(&cv->keep, f.p, f.n);	/* escaped, as it is written back */
	}
}

static int is_end(engine *e, cx_slice text)
{
	return e->end_re && pcre2_match(e->end_re, (PCRE2_SPTR)text.p, text.n, 0, PCRE2_NO_UTF_CHECK,
					e->end_md, NULL) >= 0;
}

/* Whether every text field of the turn is empty: with -f a,b the joined
 * text of two empty fields is "\n", and still no text. */
static int text_empty(const engine *e)
{
	for (size_t i = 0; i < e->text.n; i++)
		if (e->r->f[e->text.idx[i]].n)
			return 0;
	return 1;
}

/* The conversation of the turn: found, opened, or NULL (refused).  A turn
 * with an empty text opens none: a conversation of refused turns only
 * would have no time, and an open conversation without one would stop
 * --idle from closing any behind it. */
static conv *conversation(engine *e, cx_slice id, cx_slice text)
{
	uint64_t h = cx_hash(id.p, id.n);
	conv *cv = dialog_find(e, id.p, id.n, h);
	if (cv && cv->closed) {
		refuse(e, NULL, "conversation '%s' reappears after it closed", shown(e, id));
		return NULL;
	}
	if (!text.n || text_empty(e)) {
		refuse(e, cv, "conversation '%s': empty text", shown(e, id));
		return NULL;
	}
	if (!cv) {
		if (e->c->contiguous)
			dialog_close_all(e);
		cv = dialog_open(e, id.p, id.n, h);
		keep_values(e, cv);
	}
	return cv;
}

static void use_turn(engine *e, conv *cv, int agent, long long turn, cx_instant ts, int have_ts,
		     cx_slice text)
{
	e->used++;
	cv->turns++;
	cv->last_turn = turn;
	cv->have_turn = 1;
	e->cur_turn = turn;
	e->when[0] = '\0';
	if (have_ts) {
		if (!cv->have_ts)
			cv->first_ts = ts;
		cv->last_ts = ts;
		cv->have_ts = 1;
		e->when[cx_time_format(ts, e->when)] = '\0';
	}
	if (have_ts || e->have_now) {
		cv->idle_at = have_ts ? ts : e->now;
		cv->idle_known = 1;
	}
	if (agent)
		dialog_agent_turn(e, cv, text);
	else
		dialog_customer_turn(e, cv, text);
	if (is_end(e, text))
		dialog_close(e, cv);
	else
		dialog_touch(e, cv);
}

static void one_turn(engine *e)
{
	cx_reader *r = e->r;
	cx_reader_check_escapes(r);
	e->read++;
	long long turn = 0;
	cx_instant ts = 0;
	int have_ts = e->ts_col >= 0;
	if ((e->turn_col >= 0 && !read_number(e, &turn)) || (have_ts && !read_time(e, &ts, &have_ts)))
		return;
	if (have_ts && (!e->have_now || ts > e->now)) {
		e->now = ts;
		e->have_now = 1;
		dialog_close_idle(e);
		dialog_forget_expired(e);
	}
	cx_slice id = get(e, e->id_col, &e->idbuf);
	cx_slice sp = get(e, e->speaker_col, &e->spbuf);
	int agent = in_list(e->agent_v, e->nagent, sp);
	if (!id.n) {
		refuse(e, NULL, "field '%s' is empty: the turn belongs to no conversation",
		       r->names[e->id_col]);
	} else if (!agent && !in_list(e->customer_v, e->ncustomer, sp)) {
		conv *cv = dialog_find(e, id.p, id.n, cx_hash(id.p, id.n));
		refuse(e, cv, "field '%s': '%s' is neither an agent (%s) nor a customer (%s)",
		       r->names[e->speaker_col], shown(e, sp), e->c->agent_values, e->c->customer_values);
	} else {
		cx_slice text = cx_textsrc_get(&e->text, r);
		conv *cv = conversation(e, id, text);
		if (cv && place(e, cv, &turn, &ts, have_ts))
			use_turn(e, cv, agent, turn, ts, have_ts, text);
	}
}

static void free_engine(engine *e)
{
	dialog_free_table(e);
	dialog_turn_free(e);
	cx_textsrc_close(&e->text);
	free(e->keep_cols);
	cx_free_list(e->agent_v, e->nagent);
	cx_free_list(e->customer_v, e->ncustomer);
	if (e->end_re) {
		pcre2_code_free(e->end_re);
		pcre2_match_data_free(e->end_md);
	}
	cx_buf_free(&e->idbuf);
	cx_buf_free(&e->spbuf);
	cx_buf_free(&e->fieldbuf);
	cx_buf_free(&e->msg);
	cx_buf_free(&e->shown);
	cx_reader_close(e->r);
}

int cx_dialog_run(const cx_dialog_conf *c, char **paths, size_t npaths, cx_output *out)
{
	engine e;
	memset(&e, 0, sizeof e);
	e.c = c;
	e.out = out;
	setup(&e, paths, npaths);
	cx_rejects_open(&e.rej, c->rejects, "turn", 0, 1);
	if (c->stream)
		out->line_buffered = 1;
	dialog_header(&e);
	while (cx_reader_next(e.r))
		one_turn(&e);
	dialog_close_all(&e);
	unsigned long long refused = e.rej.n;
	int had_stream = e.rej.out != NULL;
	cx_rejects_close(&e.rej);
	if (!c->quiet)
		fprintf(stderr, "%s: read %llu turns, used %llu, refused %llu; %llu conversation%s%s\n",
			cx_progname, e.read, e.used, refused, e.conversations,
			e.conversations == 1 ? "" : "s",
			e.alerts ? (e.alerts_written ? ", alerts written" : ", no alert") : "");
	int any_alert = e.alerts_written > 0;
	free_engine(&e);
	if (refused && !had_stream)
		return CX_EXIT_DATA;
	return any_alert ? CX_EXIT_FOUND : CX_EXIT_OK;
}
