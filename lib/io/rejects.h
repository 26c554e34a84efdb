/*
 * rejects: where the rows a program refuses go, with their reason.
 *
 * Nothing is dropped silently (cx.7): a row a program cannot use goes to
 * the reject stream of --rejects FILE, a cx stream of `file line reason
 * raw` (cx-ingest adds `source` after line), or, without one, is reported
 * on standard error as "PROG: FILE:LINE: WHAT refused: reason", up to
 * CX_REJECTS_REPORTED of them, then only counted.  The caller decides what
 * a refusal means for the exit status (cx-ingest and cx-dialog: status 3
 * at the end without a reject stream; cx-metrics: at once).
 *
 * raw is the row as read: a line of the cx stream, already escaped
 * (raw_escaped), or the bytes of another format (a CSV record, with its
 * line ends), which the reject stream escapes.
 *
 * Ownership: the cx_rejects owns its output; reasons and rows are
 * written out at once, so the caller's may be borrowed.
 */
#ifndef CX_REJECTS_H
#define CX_REJECTS_H

#include <stddef.h>

#include "io/output.h"

#define CX_REJECTS_REPORTED 20

typedef struct cx_rejects {
	cx_output *out;		/* NULL: report on standard error */
	const char *what;	/* "row", "turn": the word in the report */
	int with_source;	/* a source column after line */
	int raw_escaped;	/* raw is a stream line, written as it is */
	unsigned long long n;	/* refused so far */
} cx_rejects;

/* One refused row. */
typedef struct cx_reject {
	const char *file;
	long line;
	const char *source;	/* with_source only; NULL: empty */
	const char *reason;
	const char *raw;
	size_t rawn;
} cx_reject;

/* path NULL: no reject stream.  Writes the header at once. */
void cx_rejects_open(cx_rejects *rj, const char *path, const char *what, int with_source,
		     int raw_escaped);
/* Count a refusal, and write or report it. */
void cx_rejects_add(cx_rejects *rj, const cx_reject *x);
/* Write a row to the reject stream if there is one, without counting or
 * reporting it (cx-ingest's duplicates, counted apart). */
void cx_rejects_record(cx_rejects *rj, const cx_reject *x);
/* Closes the stream (atomically renamed into place, output.h). */
void cx_rejects_close(cx_rejects *rj);

#endif
