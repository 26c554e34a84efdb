/*
 * textsrc: the complaint text of a record, for every tool that reads it.
 *
 * The text is one field as it is, or several joined by '\n' (-f a,b), so
 * that a pattern or a word cannot span two fields by accident.  Every field
 * is checked to be UTF-8 on its own, so that the message names the field
 * and the byte: the classifiers run PCRE2 without its own UTF check, and a
 * bad byte must stop the run (status 3), not be matched.
 *
 * Ownership: a cx_textsrc owns its field indexes and its scratch buffers.
 * The slice cx_textsrc_get() returns is borrowed: it points into the
 * reader's line or into the textsrc, and is valid until the next
 * cx_textsrc_get() or cx_reader_next(), whichever comes first.
 */
#ifndef CX_TEXTSRC_H
#define CX_TEXTSRC_H

#include <stddef.h>

#include "core/buf.h"
#include "io/stream.h"

typedef struct cx_textsrc {
	size_t *idx;		/* the text fields, in the order given */
	size_t n;
	cx_buf scratch, joined;
} cx_textsrc;

/* fields is a comma list of field names, NULL for the canonical "text";
 * a missing field is a usage error (cx_reader_need_list). */
void cx_textsrc_open(cx_textsrc *t, const cx_reader *r, const char *fields);
cx_slice cx_textsrc_get(cx_textsrc *t, cx_reader *r);
void cx_textsrc_close(cx_textsrc *t);

#endif
