/*
 * dialog_int: what the pieces of lib/dialog share; internal to
 * lib/dialog/dialog*.c, not for cmd/ or other layers.
 *
 * dialog.c reads and checks the turns and runs the engine; dialog_conv.c
 * is the table of conversations (open ones by last activity, closed ones
 * by the time they may be forgotten); dialog_turn.c is what one turn does
 * to its conversation; dialog_out.c writes rows and alerts.
 *
 * Ownership: the engine owns every conversation; an open conversation
 * owns its kept values, its clusters (shingles and the first reply's
 * text) and its strings; a closed one keeps only its id.
 */
#ifndef CX_DIALOG_INT_H
#define CX_DIALOG_INT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "dialog/dialog.h"
#include "io/rejects.h"
#include "io/stream.h"
#include "text/neardup.h"
#include "text/textsrc.h"

/* One agent reply and its near-duplicates. */
typedef struct cluster {
	cx_shingles sh;		/* of the first reply */
	char *text;		/* the first reply, unescaped */
	size_t textlen;
	unsigned long count;
} cluster;

typedef struct conv {
	char *id;
	size_t idlen;
	uint64_t hash;
	struct conv *hnext;		/* hash chain */
	struct conv *prev, *next;	/* open: by last activity; closed: by expiry */
	int closed;
	unsigned long long seq;		/* order of first appearance */
	cx_instant expires;		/* closed: forgotten after this */
	/* open only: */
	cx_buf keep;			/* the kept fields, escaped, tab-joined */
	long long last_turn;
	int have_turn, have_ts;
	cx_instant first_ts, last_ts, first_customer_ts;
	cx_instant idle_at;		/* its last activity for --idle: a turn's ts, or "now"
					 * for a turn without one */
	int idle_known;
	int have_customer_ts;
	long long first_reply_s;	/* -1: no agent reply after a customer turn */
	unsigned long turns, agent_turns, customer_turns, negative_turns, problems;
	unsigned long run, max_run;
	double worst;			/* the lowest score of a dissatisfied turn */
	char *worst_text;
	size_t worst_len;
	cluster *cl;
	size_t ncl, capcl;
	size_t best;			/* the largest cluster, or ncl if none */
	cx_buf terms;			/* escalation terms, ';'-joined, escaped */
	int handover;
	int alerted_repeat, alerted_negative;
} conv;

typedef struct engine {
	const cx_dialog_conf *c;
	cx_reader *r;
	cx_output *out;
	cx_rejects rej;
	int alerts;			/* the output is the alert stream */
	size_t id_col, speaker_col;
	long turn_col, ts_col;		/* -1: none */
	size_t *keep_cols;
	size_t nkeep;
	char **agent_v, **customer_v;
	size_t nagent, ncustomer;
	cx_textsrc text;
	void *end_re, *end_md;		/* pcre2 code and match data, or NULL */
	cx_shingles *excl;		/* the excluded replies */
	size_t nexcl;
	cx_cmatch cmatch, amatch;
	cx_shingles sh;			/* the current reply's */
	/* the table */
	conv **slots;
	size_t nslots, nconv;
	conv *open_head, *open_tail;
	conv *closed_head, *closed_tail;
	unsigned long long seq;
	cx_instant now;			/* the latest turn time read */
	int have_now;
	long long cur_turn;		/* the current turn's number, for alerts */
	char when[CX_TIME_MAX + 1];	/* the current turn's time, or "" */
	/* counts for the summary */
	unsigned long long read, used, conversations, alerts_written;
	/* Buffers reused by every turn, so that a turn allocates nothing. */
	cx_buf idbuf, spbuf, fieldbuf;	/* unescaped id, speaker, turn or ts */
	cx_buf msg;			/* a refusal's reason, an alert's message */
	cx_buf shown;			/* a value quoted in a message */
} engine;

/* dialog_conv.c */
conv *dialog_find(engine *e, const char *id, size_t n, uint64_t h);
conv *dialog_open(engine *e, const char *id, size_t n, uint64_t h);
void dialog_touch(engine *e, conv *cv);
void dialog_close(engine *e, conv *cv);
void dialog_close_idle(engine *e);
void dialog_close_all(engine *e);
void dialog_forget_expired(engine *e);
void dialog_free_table(engine *e);

/* dialog_turn.c */
void dialog_agent_turn(engine *e, conv *cv, cx_slice text);
void dialog_customer_turn(engine *e, conv *cv, cx_slice text);
void dialog_turn_init(engine *e);
void dialog_turn_free(engine *e);

/* dialog_out.c */
void dialog_header(engine *e);
void dialog_row(engine *e, const conv *cv);
void dialog_alert(engine *e, const conv *cv, const char *rule, const char *severity,
		  const char *metric, unsigned long value, int threshold, const char *message,
		  size_t message_len);

#endif
