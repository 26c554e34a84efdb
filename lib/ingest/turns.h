/*
 * turns: chat transcripts as a turn stream (cx-ingest --from jddc and
 * --from twcs), for cx-dialog.
 *
 * A turn stream has one record per turn of a conversation, with the fields
 *     conversation_id  turn  ts  speaker  customer_id  text
 * and then the profile's own: turn is the 1-based position of the turn in
 * its conversation, ts an ISO 8601 timestamp in the --tz zone (empty when
 * the source has none), speaker exactly "agent" or "customer".
 *
 *   jddc  the JD.com JDDC chat export: headerless, one turn a line, seven
 *         tab-separated fields without quoting or escapes (session id,
 *         customer id, 0 = customer / 1 = agent, transferred flag, repeat
 *         enquiry flag, product SKU or "nan", text).  Turns are numbered
 *         in line order, counted per session id, so interleaved sessions
 *         are numbered right.  Streaming.
 *   twcs  the Kaggle "Customer Support on Twitter" CSV.  A conversation is
 *         a reply thread, found by following in_response_to_tweet_id up to
 *         a tweet that answers none, or whose parent is not in the input
 *         (that tweet is the root, and its tweet_id the conversation_id).
 *         The rows come in no useful order, so every tweet is read before
 *         any is written: threads in the order of their earliest tweet,
 *         turns in time order, ties by tweet id.
 *
 * One cx_turns holds a profile's state across all its inputs in a run, so
 * a session or a thread may span files.  Every input line or record comes
 * out of cx_turns_next() exactly once: as a turn, as a refused row (row
 * error set, the reason and raw text as cx_rows gives them) or as a
 * duplicate; refusals are decided before a turn is numbered, so turn
 * numbers have no gaps.
 *
 * Memory: the cx_turns owns everything it hands out; a row is borrowed
 * until the next cx_turns_next().  jddc keeps one counter per session id
 * seen (it grows with the number of sessions, not of lines).  twcs keeps
 * every tweet until the end of its last input: the raw record text plus
 * some 130 bytes of ids, time and links per tweet, and 50 more while the
 * turns are sorted, so its memory grows with the input (340 MB for a
 * million tweets of 160 bytes); that is the price of threads that
 * interleave and rows out of time order.
 */
#ifndef CX_TURNS_H
#define CX_TURNS_H

#include <stddef.h>

#include "io/rows.h"

typedef struct cx_turns cx_turns;

/* What cx_turns_next() handed out. */
enum { CX_TURNS_END = 0, CX_TURNS_ROW = 1, CX_TURNS_DUPLICATE = 2 };

/* 1 if from is a turn profile (jddc, twcs). */
int cx_from_is_turns(cx_from from);

/* The state of one profile (CX_FROM_JDDC or CX_FROM_TWCS) for a run.
 * trim: remove blanks at the ends of values, as cx-ingest does. */
cx_turns *cx_turns_new(cx_from profile, int trim);
/* Open an input of the profile (twcs: read its header; a missing column
 * ends the program with status 3).  skip: lines to pass over first.  tag
 * is handed back with every row that came from this input.  Returns the
 * input's index.  All inputs are added before the first cx_turns_next(). */
size_t cx_turns_add(cx_turns *t, const char *path, const char *encoding, long skip, size_t tag);
/* The output header: the same for every input of the profile. */
char **cx_turns_header(const cx_turns *t, size_t *n);
/* The name of input k for messages: its path, or "(stdin)". */
const char *cx_turns_name(const cx_turns *t, size_t k);
/*
 * The next row while input k is being read (inputs in the order added).
 * CX_TURNS_ROW: a turn (row->v) or a refused row (row->error);
 * CX_TURNS_DUPLICATE: a tweet whose id came before (row->error says where);
 * CX_TURNS_END: input k is done.  *tag is the tag of the input the row
 * came from: twcs writes its turns, and refuses the tweets of a reply
 * cycle, while its last input is read, whatever input they came from.
 */
int cx_turns_next(cx_turns *t, size_t k, cx_row *row, size_t *tag);
void cx_turns_free(cx_turns *t);

#endif
