/*
 * ingest: turning exports into the cx stream (the engine of cx-ingest).
 *
 * Inputs are read with rows.h; their columns are renamed by the map,
 * unified into one output header (the columns of all inputs in order of
 * first appearance, then `source` when any input is tagged), and every row
 * is checked on the way: valid UTF-8 without NUL bytes, trimmed, timestamps
 * normalised to ISO 8601 in the --tz zone, required fields present,
 * duplicates by a key field counted.  A row that fails a check is refused
 * with its reason and its raw text: to the reject stream when there is
 * one, else to standard error.  The counts always add up:
 *     read = written + rejected + duplicates
 *
 * Chat transcripts (--from jddc, --from twcs) are read by turns.h into a
 * turn stream, whose rows then take the same checks; a run reads either
 * tables or transcripts, and --require, --dedupe and --time-fields do not
 * apply to transcripts (they would leave gaps in the turn numbers).
 *
 * Memory: the configuration owns the map entries; the dedupe set grows
 * with the number of distinct keys; the turn profiles keep what turns.h
 * says (a counter per session, or every tweet); nothing else grows with
 * the input.
 */
#ifndef CX_INGEST_H
#define CX_INGEST_H

#include <stddef.h>

#include "core/buf.h"
#include "io/rows.h"

typedef struct cx_ingest_input {
	const char *path;
	const char *source;	/* tag for the source field, or NULL */
	const char *encoding;	/* NULL: UTF-8 */
	const char *json_fields;	/* jsonl header declared by --fields */
	cx_from from;
	long skip;
} cx_ingest_input;

typedef struct cx_map_entry {
	char *from, *to;
	char *where;		/* "--map" or "FILE:LINE", for messages */
	int used;
} cx_map_entry;

typedef struct cx_ingest_conf {
	cx_map_entry *map;
	size_t nmap, mapcap;
	const char *require;	/* comma list, or NULL */
	const char *dedupe;	/* field name, or NULL */
	const char *rejects;	/* file, or NULL */
	const char *time_fields;	/* comma list, or NULL for the default */
	int no_trim;
	int quiet;
} cx_ingest_conf;

/* Add "from=to,from=to" pairs; where names the origin for messages.
 * Dies with status 2 on a malformed pair. */
void cx_ingest_add_map(cx_ingest_conf *c, const char *spec, const char *where, long line);
/* Read a map file: one "from=to" per line, '#' comments, blank lines. */
void cx_ingest_read_map_file(cx_ingest_conf *c, const char *path);
void cx_ingest_conf_free(cx_ingest_conf *c);

/* The checks every value gets, shared with the turn profiles (turns.h):
 * NULL if v can go into a stream, else why not ("field 'NAME': NUL
 * byte", "... invalid UTF-8 at byte N", with a hint unless encoded, i.e.
 * unless --encoding was given), written into why. */
const char *cx_ingest_check_text(const char *name, cx_slice v, int encoded, cx_buf *why);
/* v without the blanks cx-ingest trims: spaces, tabs, CR, LF, U+00A0 and
 * U+3000 at both ends. */
cx_slice cx_ingest_trim(cx_slice v);

/* Run the whole ingest; returns the exit status (0, or 3 when rows were
 * refused and there was no reject stream). */
int cx_ingest_run(const cx_ingest_conf *c, const cx_ingest_input *inputs, size_t n,
		  const char *output);

#endif
