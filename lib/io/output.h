/*
 * output: buffered, checked, atomic writing.
 *
 * The last stage of every cx program.  Bytes collect in a large buffer
 * (CX_OUTPUT_BUFFER) and go out in few write(2) calls.  Writing to a closed
 * pipe (cx-... | head) ends the program quietly with status 0, as cx.7
 * promises; any other write error (ENOSPC, EIO, /dev/full) is reported and
 * ends it with status 4.
 *
 * With a path (-o FILE) the bytes go to a temporary file beside FILE,
 * which cx_output_close() fsyncs and renames over FILE: a reader, or a cron
 * job killed half-way, sees the old file or the new one, never half of one.
 * The temporary file is removed if the program dies (cx_die, SIGINT,
 * SIGTERM, SIGHUP) before that.  A FILE that is a device or a FIFO
 * (/dev/null, /dev/stdout) is written in place; a symbolic link is
 * followed, and the file it names is replaced.
 *
 * cx_out_field() writes a value in the stream's escaped form (\t \n \r \\);
 * cx_out_raw() writes bytes as they are.  The cx_output owns its buffer.
 */
#ifndef CX_OUTPUT_H
#define CX_OUTPUT_H

#include <stddef.h>
#include <string.h>

#define CX_OUTPUT_BUFFER (256 * 1024)

typedef struct cx_output {
	char *buf;
	size_t len;
	int fd;
	char *path;	/* final name with -o, else NULL */
	char *tmp;	/* temporary name while writing, else NULL */
	int line_buffered;	/* flush after each record (streaming mode) */
	int direct;		/* -o names a device or FIFO: written in place */
} cx_output;

/* path NULL or "-": standard output. */
cx_output *cx_output_open(const char *path);
/* Write to an open descriptor, which cx_output_close() closes; name is
 * for the messages.  For a file of the program's own (cx-sort's runs). */
cx_output *cx_output_fdopen(int fd, const char *name);
/* Flush, and for a file: fsync, rename into place.  Dies on error. */
void cx_output_close(cx_output *o);
void cx_output_flush(cx_output *o);

void cx_out_raw(cx_output *o, const void *p, size_t n);
/* A field value, escaped for the record stream. */
void cx_out_field(cx_output *o, const char *p, size_t n);

static inline void cx_out_c(cx_output *o, char c)
{
	if (o->len == CX_OUTPUT_BUFFER)
		cx_output_flush(o);
	o->buf[o->len++] = c;
}

static inline void cx_out_s(cx_output *o, const char *s)
{
	cx_out_raw(o, s, strlen(s));
}

/* End a record: '\n', and a flush when line-buffered. */
static inline void cx_out_eol(cx_output *o)
{
	cx_out_c(o, '\n');
	if (o->line_buffered)
		cx_output_flush(o);
}

/*
 * Temporary files that must not outlive the program (-o's, cx-sort's
 * runs).  cx_tmp_make() creates one with mkstemp(3) from tmpl (a path
 * ending in XXXXXX, rewritten in place) and remembers tmpl until
 * cx_tmp_forget(tmpl): if the program dies first (cx_die, a usage error,
 * SIGINT, SIGTERM, SIGHUP), the file is removed.  The caller owns tmpl
 * and keeps it alive while it is remembered.  Returns the descriptor, -1
 * with errno set when mkstemp fails, -2 when 8 are remembered already.
 */
int cx_tmp_make(char *tmpl);
void cx_tmp_forget(const char *tmpl);

/* A header line: the names, escaped, tab-separated.  For the programs
 * whose output has the input's fields (cx-filter, cx-sort) or its own
 * (cx-ingest). */
void cx_out_header(cx_output *o, char *const *names, size_t n);

/*
 * A file that is read, then replaced (cx-alert --state), must not be
 * read by a second run before the first has replaced it, or the second
 * writes back a state without the first's incidents.  cx_lock_beside()
 * takes an exclusive flock(2) on PATH.lock, created beside PATH and left
 * there, waiting while another run holds it; the lock goes with the
 * descriptor, at cx_unlock() or at exit, however the program ends.  Dies
 * with status 4 when the lock file cannot be opened.
 */
int cx_lock_beside(const char *path);
void cx_unlock(int fd);

#endif
