/*
 * filter: the engine of cx-filter, the records of a stream for which an
 * expression (query/expr.h) holds.
 *
 * cx_filter_compile() parses the expression or ends the program with the
 * usage error (status 2) that points at the mistake with line, column and
 * caret.  cx_filter_run() binds it to the stream's header, then writes the
 * header and every record for which it holds (or, inverted, does not), as
 * read: the bytes of the line, untouched; or, counting, only the number of
 * such records.  Every record is checked for bad escapes, written or not,
 * so that a stream is refused or passed whatever the expression reads.
 * Memory: one record at a time; the expression's scratch buffers grow to
 * the longest value an operand reads.  The caller keeps the reader, the
 * output and the expression.
 */
#ifndef CX_FILTER_H
#define CX_FILTER_H

#include "io/output.h"
#include "io/stream.h"
#include "query/expr.h"

typedef struct cx_filter_conf {
	int invert;		/* -v: the records for which it is false */
	int count;		/* -c: write only how many records there are */
} cx_filter_conf;

cx_expr *cx_filter_compile(const char *text);

/* Returns CX_EXIT_OK if a record was selected, CX_EXIT_FOUND if none. */
int cx_filter_run(const cx_filter_conf *c, cx_expr *e, cx_reader *r, cx_output *out);

#endif
