/*
 * stream: reading the cx record stream (TSV with a header, man/cx.7).
 *
 * A cx_reader walks one or more inputs as a single stream.  Each input
 * starts with a header line; the headers of the second and later inputs
 * must equal the first one's and are skipped.  A record is split into
 * fields in place: each field is a (pointer, length) slice of the input's
 * line buffer, still in escaped form, so reading a record allocates
 * nothing.  cx_rec_get() unescapes a field only when its value is asked for,
 * and only if the field holds a backslash.
 *
 * Ownership: the reader owns the header names (unescaped, NUL-terminated)
 * and the field array.  A record is borrowed until the next
 * cx_reader_next(); anything kept longer must be copied by the caller into
 * storage it owns (typically an arena of its group table).
 *
 * Bad data ends the program with status 3 and a message naming file, line
 * and field: a record with the wrong number of fields, an empty or
 * duplicate header name, a bad escape sequence, an empty input (no header).
 * A CR before the LF is tolerated and removed, since Windows tools add it.
 */
#ifndef CX_STREAM_H
#define CX_STREAM_H

#include <stddef.h>

#include "core/buf.h"
#include "io/input.h"

typedef struct cx_slice {
	const char *p;
	size_t n;
} cx_slice;

typedef struct cx_reader {
	char **names;		/* header, unescaped; nfields entries */
	size_t nfields;
	cx_slice *f;		/* current record's fields, escaped */
	cx_slice rec;		/* current record's whole line */
	size_t nsplit;		/* fields stored in f; the rest only counted */
	cx_input *in;		/* current input */
	const char *file;	/* its name, for messages */
	long line;		/* current record's line number */
	unsigned long long records;	/* records read so far, all inputs */

	char **paths;		/* inputs still to open */
	size_t npaths, next_path;
	const char *first_file;
} cx_reader;

/* Opens the first input and reads its header.  paths may be empty
 * (standard input).  Dies on an empty input or a bad header. */
cx_reader *cx_reader_open(char **paths, size_t npaths);
void cx_reader_close(cx_reader *r);

/* Next record; 0 at the end of the last input. */
int cx_reader_next(cx_reader *r);

/* The raw line of the current record (escaped, without newline). */
cx_slice cx_reader_line(const cx_reader *r);

/* Store only the first n fields of each record in f (the others are
 * counted, so a ragged record is still an error).  A program that needs
 * only some leading fields, or none (a pass-through), saves the work. */
void cx_reader_split(cx_reader *r, size_t n);

/* Die (status 3) if the current record has a bad escape sequence; for
 * programs that pass records through without unescaping them. */
void cx_reader_check_escapes(const cx_reader *r);

/* Index of a field by name, or -1. */
int cx_reader_find(const cx_reader *r, const char *name);
/* Index of a field that must exist: dies (status 2) naming the fields the
 * header has. */
size_t cx_reader_need(const cx_reader *r, const char *name);
/* Append names[0..n) to b as "a, b, c" (the list a "no field" message
 * gives) and return b->p. */
const char *cx_names_list(char *const *names, size_t n, cx_buf *b);

/* Resolve a comma-separated list of names (a '\,' is a literal comma);
 * returns a malloc'd array of indexes, count in *n.  Dies like need(). */
size_t *cx_reader_need_list(const cx_reader *r, const char *list, size_t *n);

/* Value of field i of the current record, unescaped.  The slice points
 * into the record or into scratch; valid until the next call that uses the
 * same scratch or the next record. */
cx_slice cx_rec_get(cx_reader *r, size_t i, cx_buf *scratch);

/* Unescape src into dst (appending).  Returns 0, or the offset+1 of a bad
 * escape in src. */
size_t cx_unescape(cx_buf *dst, const char *src, size_t n);

/* Die (status 3) for a bad escape sequence in field of FILE:LINE. */
_Noreturn void cx_bad_escape(const char *file, long line, const char *field);

/* Append to b the value p[0..n) as a message quotes it, and return b->p:
 * give it the value as written in the stream (still escaped), so that a
 * newline in it cannot break the message's one line; a NUL byte is shown
 * as \0 (printf would end the text there) and any other control byte as
 * \xHH (invisible, or breaking the line, otherwise); at most 64 bytes, cut
 * before a UTF-8 sequence, then "...". */
const char *cx_shown(cx_buf *b, const char *p, size_t n);

/* Die (status 3) at the current record: "field 'NAME': WHAT: 'VALUE'",
 * the value as cx_shown quotes it. */
_Noreturn void cx_rec_bad_field(const cx_reader *r, size_t i, const char *what);

/* Split a comma list into a malloc'd array of malloc'd names ('\,' keeps a
 * comma).  Used for -f lists and similar. */
char **cx_split_list(const char *list, size_t *n);
void cx_free_list(char **v, size_t n);

#endif
