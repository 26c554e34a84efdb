/*
 * rows: records from the formats other systems export (CSV, TSV, JSON
 * Lines), for cx-ingest.
 *
 * A cx_rows reader turns one input into a header and a sequence of rows.
 * Each row carries its values (unescaped, in header order), the line it
 * started on, its raw text as read (for the reject stream), and, when it
 * could not be read as a row, the reason instead of values.  A bad row is
 * never skipped silently: it comes out with row.error set, and the caller
 * decides where it goes.
 *
 *   csv    RFC 4180 through libcsv in strict mode: quoted fields may hold
 *          commas, quotes ("") and newlines; CR LF or LF line ends.
 *   tsv    the cx stream convention: \t \n \r \\ escapes.
 *   jsonl  one flat JSON object per line; the keys of the first object
 *          are the header, a later object may leave keys out (empty
 *          values) but not add new ones (the row is refused, naming the
 *          key: pass --fields to declare them all up front).
 *
 * Memory: the reader owns everything it hands out; a row is borrowed until
 * the next cx_rows_next().
 */
#ifndef CX_ROWS_H
#define CX_ROWS_H

#include <stddef.h>

#include "io/stream.h"

/* The formats --from names.  JDDC and TWCS are not tables but chat
 * transcripts, read by ingest/turns.h (which uses the csv reader here for
 * twcs); cx_rows_open() does not take them. */
typedef enum { CX_FROM_CSV, CX_FROM_TSV, CX_FROM_JSONL, CX_FROM_JDDC, CX_FROM_TWCS } cx_from;

/* "csv", "tsv", "jsonl" (also "json", "ndjson"), "jddc", "twcs"; 0 on
 * success.  cx_from_guess() never gives the last two: only --from does. */
int cx_from_parse(const char *name, cx_from *out);
/* The name of a format, as --from takes it: "csv" ... "twcs". */
const char *cx_from_name(cx_from f);
/* From the file name's extension, looking through a final ".gz";
 * 0 on success, -1 if the extension says nothing. */
int cx_from_guess(const char *path, cx_from *out);

typedef struct cx_row {
	cx_slice *v;		/* n values in header order; NULL when error */
	size_t n;
	long line;		/* line the row starts on */
	cx_slice raw;		/* the row as read, without the final newline */
	const char *error;	/* NULL, or why this is not a row */
} cx_row;

typedef struct cx_rows cx_rows;

/* Opens the input and reads the header (skipping `skip` lines first).
 * fields, if not NULL, declares the header of a jsonl input. */
cx_rows *cx_rows_open(const char *path, cx_from from, const char *encoding, long skip,
		      const char *fields);
void cx_rows_close(cx_rows *r);
const char *cx_rows_name(const cx_rows *r);
char **cx_rows_header(const cx_rows *r, size_t *n);
/* 1 with a row (maybe an error row), 0 at the end. */
int cx_rows_next(cx_rows *r, cx_row *row);

#endif
