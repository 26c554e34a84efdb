/*
 * format: writing a record stream in other shapes, for people and for
 * other programs: CSV (RFC 4180), JSON Lines, a Markdown table, an aligned
 * terminal table, and the stream itself (TSV).
 *
 * The formats are rows of one table (format.c: name, help, callbacks), from
 * which cx-format's --help and its man page list are made.  A writer takes
 * the header once, then records as slices in the stream's escaped form, and
 * unescapes only what its format needs.
 *
 * Memory: the streaming formats (tsv, csv, jsonl) keep nothing between
 * records.  The aligned formats (table, markdown) must see every value to
 * know a column's width, so they copy the records into an arena they own
 * until cx_format_end(): their memory grows with the input, which is why
 * they are meant for the small results people read.
 */
#ifndef CX_FORMAT_H
#define CX_FORMAT_H

#include <stddef.h>

#include "io/output.h"
#include "io/stream.h"

typedef struct cx_format_opts {
	int bom;		/* csv: start with a UTF-8 byte order mark (Excel) */
	int crlf;		/* csv: end records with CR LF */
	int numbers;		/* jsonl: numbers as JSON numbers, not strings */
	size_t max_width;	/* table, markdown: cut longer cells (0: no limit) */
	int formula_guard;	/* csv: neutralise cells a spreadsheet would run */
} cx_format_opts;

typedef struct cx_format cx_format;

typedef struct cx_format_kind {
	const char *name;
	const char *help;
} cx_format_kind;

/* The i-th known format (the first is the default), or NULL past the end. */
const cx_format_kind *cx_format_kind_at(size_t i);

/* NULL if name is not a known format. */
cx_format *cx_format_new(const char *name, cx_output *o, const cx_format_opts *opts);
void cx_format_header(cx_format *f, char *const *names, size_t n);
/* Name the reader whose file and line messages about bad data should
 * give (optional). */
void cx_format_set_source(cx_format *f, const cx_reader *r);
void cx_format_row(cx_format *f, const cx_slice *fields, size_t n);
/* 1 if the format writes a record's line unchanged (tsv): the caller may
 * then hand over whole lines with cx_format_line(), after checking their
 * escapes, and skip splitting them. */
int cx_format_takes_lines(const cx_format *f);
void cx_format_line(cx_format *f, cx_slice line);

/* Writes what was held back (table, markdown) and frees the writer. */
void cx_format_end(cx_format *f);

/* Append v to o as an RFC 4180 CSV field (quoted only when it must be). */
void cx_csv_put(cx_output *o, const char *v, size_t n);

/*
 * Whether a spreadsheet would read cell v as a formula (CSV injection,
 * OWASP): it begins with '=', '+', '-', '@', a tab or a carriage return,
 * and is not a plain number such as -3.5 or +86 (those are data, and a
 * quote would turn them into text).  Complaint text is written by
 * customers, so the Excel mode of cx-format writes such a cell with a
 * leading "'", which Excel shows and does not evaluate.
 */
int cx_csv_is_formula(const char *v, size_t n);

#endif
