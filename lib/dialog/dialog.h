/*
 * dialog: what happens inside customer conversations (the engine of
 * cx-dialog, man/cx-dialog.1).
 *
 * The input is a stream of turns (man/cx.7: conversation_id, turn or ts,
 * speaker, text), conversations interleaved as they happen.  Each open
 * conversation keeps a small state: counts, the agent's replies grouped
 * into near-duplicate clusters (text/neardup.h), the customer's current
 * and longest run of dissatisfied turns (the sentiment lexicon and the
 * dissatisfied rules, text/), the escalation terms met.  A conversation
 * closes at an end marker, after --idle without a turn (by the turns'
 * times), when the next one starts (--contiguous), or at the end of the
 * input; then its row is written.  With alerts asked for, the output is
 * instead the alert stream (alert/alert.h), one alert at the very turn a
 * threshold is crossed, once per conversation and reason.
 *
 * Turns that cannot be used (out of order within their conversation, an
 * unknown speaker, empty text, a conversation that reappears after it
 * closed) are refused through io/rejects.h, counted in the conversation's
 * problems column, and never merged into another conversation.
 *
 * Memory: grows with the open conversations, each bounded by
 * CX_DIALOG_MAX_CLUSTERS distinct agent replies; a closed conversation is
 * freed at once, and only its id is remembered (for --idle after its
 * close, to tell a reappearance from a new conversation; without times,
 * until the end of the input).
 */
#ifndef CX_DIALOG_H
#define CX_DIALOG_H

#include <stddef.h>

#include "core/buf.h"
#include "io/output.h"
#include "text/classify.h"
#include "text/sentiment.h"

/* Distinct agent replies compared per conversation; later new ones are
 * still counted as turns but start no cluster. */
#define CX_DIALOG_MAX_CLUSTERS 256

/* The turn fields are the canonical ones of cx.7 (conversation_id,
 * speaker, turn, ts, text), renamed with cx_canon_use (-u). */
typedef struct cx_dialog_conf {
	const char *text_fields;	/* NULL: the canonical text */
	const char *keep;		/* fields copied from a conversation's first turn */
	const char *agent_values, *customer_values;	/* comma lists */
	double similar;			/* Jaccard at or above which replies are the same */
	int min_chars;			/* replies shorter (normalised) are not compared */
	const char *const *excludes;	/* greetings and closings never counted */
	size_t nexcludes;
	int use_score;			/* --negative given */
	double negative;		/* then a customer turn scoring at or below is dissatisfied */
	const cx_crules *customer_rules;	/* categories dissatisfied, escalation[/...] */
	const cx_crules *agent_rules;	/* category handover */
	const cx_lexicon *lexicon;
	long long idle;			/* seconds; 0: no idle close */
	const char *end;		/* PCRE2 pattern of a closing turn's text, or NULL */
	int contiguous;			/* a new conversation closes the open ones */
	int stream;			/* flush every row and alert */
	int alert_repeat, alert_negative;	/* 0: off; any on: write alerts */
	const char *rejects;		/* FILE, or NULL */
	int quiet;			/* no summary line */
} cx_dialog_conf;

/* The whole run over paths (none: standard input).  Returns CX_EXIT_DATA
 * when turns were refused without a reject stream, else CX_EXIT_FOUND
 * when an alert was written, else 0. */
int cx_dialog_run(const cx_dialog_conf *c, char **paths, size_t npaths, cx_output *out);

/* The rules of a run: the customer's (cx-classify's escalation/external
 * rules, or the escalation rules of escalation_file, and the rules of
 * files, or the built-in ones, but handover) and the agent's (handover),
 * both finished.  Dies with status 2 on a bad rules file or a rule name
 * used twice. */
void cx_dialog_rules(cx_crules *customer, cx_crules *agent, char **files, size_t nfiles,
		     const char *escalation_file);
/* The excluded replies: the built-in ones (if builtin) and the lines of
 * files, '#' comments and empty lines left out.  The strings point into
 * text, which the caller frees with the returned array. */
char **cx_dialog_excludes(int builtin, char **files, size_t nfiles, cx_buf *text, size_t *n);

/* The built-in dissatisfied and handover rules (cx-classify's grammar)
 * and the built-in excluded replies, one a line (dialog_default.c). */
extern const char cx_dialog_default_rules[];
extern const char cx_dialog_default_excludes[];

#endif
