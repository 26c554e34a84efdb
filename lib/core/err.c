#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cx_progname = "cx";

void cx_set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	cx_progname = slash ? slash + 1 : (argv0 && *argv0 ? argv0 : "cx");
}

static _Noreturn void finish(int status);
static void (*die_hooks[8])(void);
static int ndie_hooks;

void cx_atdie(void (*fn)(void))
{
	if (ndie_hooks < (int)(sizeof die_hooks / sizeof die_hooks[0]))
		die_hooks[ndie_hooks++] = fn;
}

__attribute__((format(printf, 3, 0)))
static void vmessage(const char *file, long line, const char *fmt, va_list ap)
{
	/* One fprintf-sized chunk so concurrent pipeline stages do not
	 * interleave halves of each other's messages. */
	char msg[4096];
	int n;
	if (file && line > 0)
		n = snprintf(msg, sizeof msg, "%s: %s:%ld: ", cx_progname, file, line);
	else if (file)
		n = snprintf(msg, sizeof msg, "%s: %s: ", cx_progname, file);
	else
		n = snprintf(msg, sizeof msg, "%s: ", cx_progname);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = 0;
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	fflush(stdout);
	fprintf(stderr, "%s\n", msg);
}

void cx_die_quietly(int status)
{
	finish(status);
}

static _Noreturn void finish(int status)
{
	while (ndie_hooks > 0)
		die_hooks[--ndie_hooks]();
	/* _exit, not exit: a program that dies owns memory it never freed,
	 * by design, and leak checkers run from atexit would report it as
	 * leaks; the successful paths, which free everything, keep exit(). */
	fflush(NULL);
	_exit(status);
}

void cx_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(NULL, 0, fmt, ap);
	va_end(ap);
	finish(status);
}

void cx_die_at(int status, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(file, line, fmt, ap);
	va_end(ap);
	finish(status);
}

void cx_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(NULL, 0, fmt, ap);
	va_end(ap);
}

void cx_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(file, line, fmt, ap);
	va_end(ap);
}

const char *cx_mem_limit;

static _Noreturn void oom(void)
{
	if (cx_mem_limit)
		cx_die(CX_EXIT_IO, "out of memory: the limit set by --max-mem is %s", cx_mem_limit);
	cx_die(CX_EXIT_IO, "out of memory");
}

void *cx_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *cx_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *cx_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *cx_strdup(const char *s)
{
	return cx_strndup(s, strlen(s));
}

char *cx_strndup(const char *s, size_t n)
{
	char *p = cx_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
