/*
 * err: the one error path and the one message shape.
 *
 * Every diagnostic is written to standard error as
 *     cx-NAME: FILE:LINE: message
 * (the location part only where there is one).  The exit codes are the
 * contract of man/cx.7 and are the same in every program:
 *     0  success
 *     1  a program-defined condition (for example: alerts fired)
 *     2  usage error: bad option, unknown field name, bad rules file
 *     3  bad data in the input
 *     4  I/O or system error (cannot open, write error, out of memory)
 * cx_die() never returns.  Before exiting it runs the cleanup hooks (so an
 * atomic -o file leaves no temporary behind).  Allocation wrappers here die
 * with status 4 instead of returning NULL: no caller checks for NULL.
 */
#ifndef CX_ERR_H
#define CX_ERR_H

#include <stddef.h>

enum {
	CX_EXIT_OK = 0,
	CX_EXIT_FOUND = 1,
	CX_EXIT_USAGE = 2,
	CX_EXIT_DATA = 3,
	CX_EXIT_IO = 4,
};

/* Set once from main(): the program name used in every message. */
extern const char *cx_progname;
void cx_set_progname(const char *argv0);

_Noreturn void cx_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* file may be NULL (no location); line 0 means "file only". */
_Noreturn void cx_die_at(int status, const char *file, long line,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* cx_die without a message: run the hooks and exit with status. */
_Noreturn void cx_die_quietly(int status);
void cx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cx_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Called by cx_die before exit, most recent first; at most a few. */
void cx_atdie(void (*fn)(void));

/* The --max-mem argument when one was given, for the message. */
extern const char *cx_mem_limit;

void *cx_malloc(size_t n);
void *cx_calloc(size_t n, size_t size);
void *cx_realloc(void *p, size_t n);
char *cx_strdup(const char *s);
char *cx_strndup(const char *s, size_t n);

#endif
