#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"

void cx_buf_grow(cx_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need < b->len)
		cx_die(CX_EXIT_IO, "out of memory");
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 < cap ? need : cap * 2;
	b->p = cx_realloc(b->p, cap);
	b->cap = cap;
	b->p[b->len] = '\0';	/* buf.h promises it, even before the first add */
}

void cx_buf_free(cx_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void cx_buf_add(cx_buf *b, const void *s, size_t n)
{
	cx_buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void cx_buf_vaddf(cx_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		cx_die(CX_EXIT_IO, "formatting error");
	cx_buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void cx_buf_addf(cx_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cx_buf_vaddf(b, fmt, ap);
	va_end(ap);
}
