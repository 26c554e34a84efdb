/*
 * rejects: where the rows a program refuses go, with their reason.
 *
 * Nothing is dropped silently (cx.7): a row a program cannot use goes to
 * the reject stream of --rejects FILE, a cx stream of `file line reason
 * raw` (raw: the line as read, still escaped), or, without one, is
 * reported on standard error as "PROG: FILE:LINE: WHAT refused: reason",
 * up to CX_REJECTS_REPORTED of them, then only counted.  The caller
 * decides what a refusal without a reject stream means for the exit
 * status (cx-ingest and cx-dialog: status 3 at the end).
 *
 * Ownership: the cx_rejects owns its output; reasons and lines are copied
 * out at once, so the caller's may be borrowed.
 */
#ifndef CX_REJECTS_H
#define CX_REJECTS_H

#include <stddef.h>

#include "io/output.h"

#define CX_REJECTS_REPORTED 20

typedef struct cx_rejects {
	cx_output *out;		/* NULL: report on standard error */
	const char *what;	/* "row", "turn": the word in the report */
	unsigned long long n;	/* refused so far */
} cx_rejects;

/* path NULL: no reject stream.  Writes the header at once. */
void cx_rejects_open(cx_rejects *rj, const char *path, const char *what);
void cx_rejects_add(cx_rejects *rj, const char *file, long line, const char *reason,
		    const char *raw, size_t rawn);
/* Closes the stream (atomically renamed into place, output.h). */
void cx_rejects_close(cx_rejects *rj);

#endif
