/*
 * buf: a growable byte buffer.
 *
 * The one container every module uses for bytes whose length is not known in
 * advance: an unescaped field, a converted timestamp, a JSON text.  A cx_buf
 * owns its storage; cx_buf_reset() keeps the storage for the next use, so a
 * buffer reused per record allocates only until it has seen the longest
 * value.  The contents are always followed by a NUL byte (not counted in
 * len), so p can be handed to functions that want a C string, as long as the
 * data itself holds no NUL.  Allocation failure ends the program (err.h).
 */
#ifndef CX_BUF_H
#define CX_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct cx_buf {
	char *p;	/* contents, NUL-terminated; NULL until first growth */
	size_t len;	/* bytes in use */
	size_t cap;	/* bytes allocated */
} cx_buf;

#define CX_BUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes (plus the terminating NUL). */
void cx_buf_grow(cx_buf *b, size_t extra);
void cx_buf_free(cx_buf *b);
/* Append n bytes / one byte / a C string / printf-formatted text. */
void cx_buf_add(cx_buf *b, const void *s, size_t n);
void cx_buf_addf(cx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cx_buf_vaddf(cx_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static inline void cx_buf_reset(cx_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static inline void cx_buf_addc(cx_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		cx_buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static inline void cx_buf_adds(cx_buf *b, const char *s)
{
	cx_buf_add(b, s, strlen(s));
}

#endif
