#include "io/input.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/err.h"

size_t cx_input_max_line = (size_t)1 << 30;

/*
 * Three layers, each filling the next one's buffer on demand:
 *   raw:     read(2) into raw[]
 *   inflate: zlib from raw[] into mid[] (only for gzip)
 *   iconv:   from raw[] or mid[] into the line buffer (only with an encoding)
 * Without gzip and encoding, read(2) goes straight into the line buffer,
 * which is what keeps the common case at memchr speed.
 */
struct cx_input {
	const char *name;
	int fd;
	int eof_raw;		/* read(2) returned 0 */
	int done;		/* no more decoded bytes will come */
	int started;		/* first block seen (BOM and gzip checks done) */

	char *raw;		/* compressed or undecoded bytes */
	size_t raw_pos, raw_end;

	int gzip;
	z_stream z;
	int z_live;		/* inflateInit2 succeeded, needs inflateEnd */
	char *mid;		/* inflated bytes awaiting iconv */
	size_t mid_pos, mid_end;
	int src_done;		/* nothing more will come into mid */

	iconv_t cd;
	const char *encoding;

	char *buf;		/* decoded bytes; lines are slices of it */
	size_t cap, pos, end;	/* unread data is buf[pos, end) */
	long lineno;
};

static int is_utf8_name(const char *enc)
{
	return !enc || !*enc || !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8");
}

cx_input *cx_input_open(const char *path, const char *encoding)
{
	/* CX_MAX_LINE lowers the limit, so that tests need not make a
	 * gigabyte line to see the error. */
	const char *env = getenv("CX_MAX_LINE");
	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 10);
		if (!*end && v >= 64 && v < cx_input_max_line)
			cx_input_max_line = (size_t)v;
	}
	cx_input *in = cx_calloc(1, sizeof *in);
	in->name = cx_path_name(path);
	if (!path || !strcmp(path, "-")) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			cx_die(CX_EXIT_IO, "cannot open '%s': %s", path, strerror(errno));
	}
	in->cd = (iconv_t)-1;
	if (!is_utf8_name(encoding)) {
		in->cd = iconv_open("UTF-8", encoding);
		if (in->cd == (iconv_t)-1)
			cx_die(CX_EXIT_USAGE, "unknown encoding '%s' (try gbk, gb18030, utf-16, big5, latin1)",
			       encoding);
		in->encoding = encoding;
	}
	in->cap = CX_INPUT_BLOCK * 2;
	in->buf = cx_malloc(in->cap + 1);
	return in;
}

void cx_input_close(cx_input *in)
{
	if (!in)
		return;
	if (in->fd > 0)
		close(in->fd);
	if (in->z_live)
		inflateEnd(&in->z);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->raw);
	free(in->mid);
	free(in->buf);
	free(in);
}

const char *cx_path_name(const char *path)
{
	return !path || !strcmp(path, "-") ? "(stdin)" : path;
}

const char *cx_input_name(const cx_input *in)
{
	return in->name;
}

long cx_input_lineno(const cx_input *in)
{
	return in->lineno;
}

int cx_input_is_gzip(const cx_input *in)
{
	return in->gzip;
}

/* read(2) into dst, retrying on EINTR; 0 at end of file. */
static size_t read_some(cx_input *in, char *dst, size_t n)
{
	for (;;) {
		ssize_t r = read(in->fd, dst, n);
		if (r >= 0)
			return (size_t)r;
		if (errno != EINTR)
			cx_die(CX_EXIT_IO, "%s: read error: %s", in->name, strerror(errno));
	}
}

static void fill_raw(cx_input *in)
{
	if (in->raw_pos < in->raw_end || in->eof_raw)
		return;
	in->raw_pos = 0;
	in->raw_end = read_some(in, in->raw, CX_INPUT_BLOCK);
	if (in->raw_end == 0)
		in->eof_raw = 1;
}

/* Inflate into dst; returns bytes produced, 0 only at the true end.
 * Concatenated gzip members (cat a.gz b.gz) are read as one stream, as
 * gzip -d does. */
static size_t inflate_some(cx_input *in, char *dst, size_t n)
{
	for (;;) {
		fill_raw(in);
		if (in->raw_pos == in->raw_end) {
			if (in->z_live && in->z.total_in > 0)
				cx_die(CX_EXIT_DATA, "%s: truncated gzip stream", in->name);
			return 0;
		}
		if (!in->z_live) {
			memset(&in->z, 0, sizeof in->z);
			if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
				cx_die(CX_EXIT_IO, "%s: cannot start zlib", in->name);
			in->z_live = 1;
		}
		in->z.next_in = (Bytef *)in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_end - in->raw_pos);
		in->z.next_out = (Bytef *)dst;
		in->z.avail_out = (uInt)n;
		int rc = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_end - in->z.avail_in;
		size_t got = n - in->z.avail_out;
		if (rc == Z_STREAM_END) {
			inflateEnd(&in->z);
			in->z_live = 0;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			cx_die(CX_EXIT_DATA, "%s: corrupt gzip stream: %s", in->name,
			       in->z.msg ? in->z.msg : "inflate failed");
		}
		if (got)
			return got;
	}
}

/* Bytes before decoding (inflated if gzip) into dst. */
static size_t source_some(cx_input *in, char *dst, size_t n)
{
	if (in->gzip)
		return inflate_some(in, dst, n);
	if (in->raw_pos < in->raw_end) {
		size_t k = in->raw_end - in->raw_pos;
		if (k > n)
			k = n;
		memcpy(dst, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		return k;
	}
	if (in->eof_raw)
		return 0;
	size_t k = read_some(in, dst, n);
	if (!k)
		in->eof_raw = 1;
	return k;
}

static long count_lines(const char *p, size_t n)
{
	long c = 0;
	const char *e = p + n;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/* Convert through iconv into dst; returns bytes produced, 0 at the end. */
static size_t decode_some(cx_input *in, char *dst, size_t n)
{
	if (!in->mid)
		in->mid = cx_malloc(CX_INPUT_BLOCK);
	for (;;) {
		/* A multibyte character is at most 4 bytes in every encoding
		 * iconv offers here; with fewer than 8 left, top up first so
		 * that a character split across reads is joined. */
		if (in->mid_end - in->mid_pos < 8 && !in->src_done) {
			size_t keep = in->mid_end - in->mid_pos;
			memmove(in->mid, in->mid + in->mid_pos, keep);
			in->mid_pos = 0;
			size_t got = source_some(in, in->mid + keep, CX_INPUT_BLOCK - keep);
			in->mid_end = keep + got;
			if (!got)
				in->src_done = 1;
		}
		if (in->mid_pos == in->mid_end)
			return 0;
		char *ip = in->mid + in->mid_pos, *op = dst;
		size_t il = in->mid_end - in->mid_pos, ol = n;
		size_t rc = iconv(in->cd, &ip, &il, &op, &ol);
		int why = rc == (size_t)-1 ? errno : 0;
		size_t produced = n - ol;
		in->mid_pos = in->mid_end - il;
		if (why == EILSEQ) {
			long line = in->lineno + count_lines(in->buf + in->pos, in->end - in->pos) +
				    count_lines(dst, produced) + 1;
			cx_die_at(CX_EXIT_DATA, in->name, line,
				  "byte 0x%02x is not valid %s (wrong --encoding?)",
				  (unsigned char)*ip, in->encoding);
		}
		if (produced)
			return produced;
		if (why == EINVAL && in->src_done) {
			long line = in->lineno + count_lines(in->buf + in->pos, in->end - in->pos) + 1;
			cx_die_at(CX_EXIT_DATA, in->name, line,
				  "incomplete %s character at end of input", in->encoding);
		}
		/* EINVAL before the end: the loop tops up and tries again. */
	}
}

static void start(cx_input *in)
{
	in->started = 1;
	in->raw = cx_malloc(CX_INPUT_BLOCK);
	/* Peek at the first bytes for the gzip magic (two) and a BOM (three).
	 * A short first read (a pipe) may give fewer; read until three or end
	 * of file. */
	while (in->raw_end < 3 && !in->eof_raw) {
		size_t k = read_some(in, in->raw + in->raw_end, CX_INPUT_BLOCK - in->raw_end);
		if (!k)
			in->eof_raw = 1;
		in->raw_end += k;
	}
	in->gzip = in->raw_end >= 2 && (unsigned char)in->raw[0] == 0x1f &&
		   (unsigned char)in->raw[1] == 0x8b;
}

static size_t next_bytes(cx_input *in, char *dst, size_t n)
{
	return in->cd != (iconv_t)-1 ? decode_some(in, dst, n) : source_some(in, dst, n);
}

/* Append decoded bytes behind buf[end]; returns bytes added. */
static size_t fill(cx_input *in)
{
	if (in->done)
		return 0;
	int first = !in->started;
	if (first)
		start(in);
	if (in->cap - in->end < CX_INPUT_BLOCK / 2) {
		if (in->pos > 0) {
			memmove(in->buf, in->buf + in->pos, in->end - in->pos);
			in->end -= in->pos;
			in->pos = 0;
		}
		if (in->cap - in->end < CX_INPUT_BLOCK / 2) {
			if (in->cap >= cx_input_max_line + CX_INPUT_BLOCK)
				cx_die_at(CX_EXIT_DATA, in->name, in->lineno + 1,
					  "line longer than %zu bytes", cx_input_max_line);
			in->cap *= 2;
			in->buf = cx_realloc(in->buf, in->cap + 1);
		}
	}
	char *dst = in->buf + in->end;
	size_t room = in->cap - in->end;
	size_t got = next_bytes(in, dst, room);
	/* The BOM may come in pieces (a pipe, a gzip member boundary):
	 * decide only with three bytes in hand, or at the end. */
	while (first && got > 0 && got < 3) {
		size_t more = next_bytes(in, dst + got, room - got);
		if (!more)
			break;
		got += more;
	}
	if (!got) {
		in->done = 1;
		return 0;
	}
	if (first && got >= 3 && !memcmp(dst, "\xEF\xBB\xBF", 3)) {
		memmove(dst, dst + 3, got - 3);
		got -= 3;
	}
	in->end += got;
	return got ? got : fill(in);
}

int cx_input_line(cx_input *in, const char **line, size_t *len)
{
	size_t scanned = in->pos;
	for (;;) {
		char *nl = memchr(in->buf + scanned, '\n', in->end - scanned);
		if (nl) {
			*line = in->buf + in->pos;
			*len = (size_t)(nl - *line);
			if (*len > cx_input_max_line)
				cx_die_at(CX_EXIT_DATA, in->name, in->lineno + 1,
					  "line longer than %zu bytes", cx_input_max_line);
			in->pos = (size_t)(nl - in->buf) + 1;
			in->lineno++;
			return 1;
		}
		if (in->end - in->pos > cx_input_max_line)
			cx_die_at(CX_EXIT_DATA, in->name, in->lineno + 1,
				  "line longer than %zu bytes", cx_input_max_line);
		size_t have = in->end - in->pos;
		if (!fill(in)) {
			if (in->pos == in->end)
				return 0;
			if (in->end - in->pos > cx_input_max_line)
				cx_die_at(CX_EXIT_DATA, in->name, in->lineno + 1,
					  "line longer than %zu bytes", cx_input_max_line);
			*line = in->buf + in->pos;
			*len = in->end - in->pos;
			in->pos = in->end;
			in->lineno++;
			return 1;
		}
		/* fill() may have moved the unread bytes to the front; the
		 * first `have` of them are known to hold no newline. */
		scanned = in->pos + have;
	}
}

int cx_input_block(cx_input *in, const char **p, size_t *len)
{
	in->pos = in->end = 0;
	if (!fill(in))
		return 0;
	*p = in->buf;
	*len = in->end;
	in->pos = in->end;
	return 1;
}

void cx_input_slurp(const char *path, const char *encoding, cx_buf *out)
{
	cx_input *in = cx_input_open(path, encoding);
	const char *p;
	size_t n;
	while (cx_input_block(in, &p, &n))
		cx_buf_add(out, p, n);
	cx_input_close(in);
}
