/*
 * fuzz_input: libFuzzer target for the input layer (lib/io/input.c): gzip,
 * iconv, BOM, line splitting, the line length limit.
 *
 * Two control bytes, then the payload:
 *   byte 0  encoding = b % 6: gbk, gb18030, utf-16, big5, latin1, utf-8;
 *           (b / 6) % 4 == 3: read with cx_input_block, else cx_input_line
 *   byte 1  bits 0-1  container: 0 the payload as it is (gzip only if it
 *                     starts with the magic), 1 gzip of it (deflate with the
 *                     gzip wrapper), 2 two gzip members (cat a.gz b.gz),
 *                     3 a truncated gzip of it;
 *           bits 2-4  all set: "big": payload, a long line of 'x', payload
 *                     again, so that reads, inflation and iconv cross the
 *                     256 KiB block inside the second copy, or (bit 7) the
 *                     line buffer must grow;
 *           bit 5     cx_input_max_line lowered to 4 + 20 * (b >> 6).
 * A model computes what must come out: the plain bytes (the payload, or
 * zlib's own multi-member inflation of it), decoded in one iconv() call
 * (latin1 by a table, utf-8 as is), minus a leading UTF-8 BOM.  Then
 *   - no error: the lines joined with '\n' (plus '\n' after a last line
 *     without one) are exactly that text, line numbers count 1, 2, ...; a
 *     line longer than the limit dies after exactly the lines before it;
 *     blocks concatenate to the text;
 *   - corrupt or truncated gzip, bytes invalid in the encoding, or an
 *     incomplete character at the end: the input dies, and what came out
 *     before is a prefix of the text made of whole lines.
 * For utf-8 and no gzip that is the plain property: lines + '\n' == the
 * input minus a BOM.
 * testdata/fuzz/crashes-found/input/ holds the reproducers of the bugs it
 * found (fixed: a BOM split across two gzip members was kept).
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <sanitizer/allocator_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

static const char *const encodings[6] = { "gbk", "gb18030", "utf-16", "big5", "latin1", "utf-8" };
static iconv_t pinned[5];	/* keeps the gconv modules loaded */

static cx_buf src = CX_BUF_INIT;	/* the payload, maybe repeated */
static cx_buf file = CX_BUF_INIT;	/* what the library reads */
static cx_buf plain = CX_BUF_INIT;	/* after gzip */
static cx_buf text = CX_BUF_INIT;	/* after decoding and BOM: the model */
static cx_buf out = CX_BUF_INIT;	/* what the library gave */

static void keep_mine(void)
{
	keep(src.p);
	keep(file.p);
	keep(plain.p);
	keep(text.p);
	keep(out.p);
}

/* gzip member of p[0..n) appended to b. */
static void gzip_member(cx_buf *b, const char *p, size_t n, int level)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t bound = deflateBound(&z, (uLong)n) + 32;
	cx_buf_grow(b, bound);
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)b->p + b->len;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	b->len += bound - z.avail_out;
	deflateEnd(&z);
}

/* All gzip members of p[0..n) into b; 0, or -1 if corrupt or truncated
 * (b then holds what inflated before the error). */
static int gunzip(const char *p, size_t n, cx_buf *b)
{
	size_t pos = 0;
	while (pos < n) {
		z_stream z;
		memset(&z, 0, sizeof z);
		if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
			abort();
		z.next_in = (Bytef *)p + pos;
		z.avail_in = (uInt)(n - pos);
		int rc;
		do {
			cx_buf_grow(b, 65536);
			z.next_out = (Bytef *)b->p + b->len;
			z.avail_out = 65536;
			rc = inflate(&z, Z_NO_FLUSH);
			b->len += 65536 - z.avail_out;
		} while (rc == Z_OK);
		pos = n - z.avail_in;
		inflateEnd(&z);
		if (rc != Z_STREAM_END)
			return -1;
	}
	return 0;
}

/* Decode p[0..n) into b in one call; 0, or -1 on an invalid or incomplete
 * character (b then holds the text before it). */
static int decode(int enc, const char *p, size_t n, cx_buf *b)
{
	if (enc == 5) {
		cx_buf_add(b, p, n);
		return 0;
	}
	if (enc == 4) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c < 0x80) {
				cx_buf_addc(b, (char)c);
			} else {
				cx_buf_addc(b, (char)(0xC0 | c >> 6));
				cx_buf_addc(b, (char)(0x80 | (c & 0x3F)));
			}
		}
		return 0;
	}
	iconv_t cd = iconv_open("UTF-8", encodings[enc]);
	if (cd == (iconv_t)-1)
		abort();
	size_t room = 4 * n + 16;
	cx_buf_grow(b, room);
	char *ip = (char *)p, *op = b->p + b->len;
	size_t il = n, ol = room;
	size_t rc = iconv(cd, &ip, &il, &op, &ol);
	b->len += room - ol;
	b->p[b->len] = '\0';
	iconv_close(cd);
	return rc == (size_t)-1 ? -1 : 0;
}

static int expect_die;
static cx_input *in;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	for (int i = 0; i < 5; i++)
		if (i != 4 && (pinned[i] = iconv_open("UTF-8", encodings[i])) == (iconv_t)-1) {
			fprintf(stderr, "fuzz_input: iconv has no %s\n", encodings[i]);
			abort();
		}
	pinned[4] = iconv_open("UTF-8", encodings[4]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int enc = data[0] % 6;
	int blocks = (data[0] / 6) % 4 == 3;
	int container = data[1] & 3;
	int big = ((data[1] >> 2) & 7) == 7;
	size_t max_line = data[1] & 0x20 ? 4 + 20 * (size_t)(data[1] >> 6) : (size_t)1 << 30;
	const char *payload = (const char *)data + 2;
	size_t n = size - 2;
	unsigned h = (unsigned)data[0] * 131u + data[1] + (unsigned)n * 7u;

	/* The bytes the library reads. */
	cx_buf_reset(&src);
	if (big && n < CX_INPUT_BLOCK) {
		/* payload, a line of 'x' (valid in every encoding here), payload
		 * again: the 256 KiB read boundary falls inside the second copy,
		 * or (bit 7) the long line makes the line buffer grow. */
		size_t fill = data[1] & 0x80 ? 2 * CX_INPUT_BLOCK + h % 4096
					     : CX_INPUT_BLOCK - n - h % (n + 1);
		cx_buf_add(&src, payload, n);
		cx_buf_grow(&src, fill);
		memset(src.p + src.len, 'x', fill);
		src.len += fill;
		cx_buf_add(&src, payload, n);
	} else {
		cx_buf_add(&src, payload, n);
	}
	const char *s = src.p ? src.p : "";
	n = src.len;
	cx_buf_reset(&file);
	cx_buf_reset(&plain);
	int gz_bad = 0;
	switch (container) {
	case 0:
		cx_buf_add(&file, s, n);
		if (n >= 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b)
			gz_bad = gunzip(s, n, &plain) < 0;
		else
			cx_buf_add(&plain, s, n);
		break;
	case 1:
		gzip_member(&file, s, n, 1 + (int)(h % 9));
		cx_buf_add(&plain, s, n);
		break;
	case 2: {
		size_t k = h % (n + 1);
		gzip_member(&file, s, k, 6);
		gzip_member(&file, s + k, n - k, 1);
		cx_buf_add(&plain, s, n);
		break;
	}
	case 3:
		gzip_member(&file, s, n, 6);
		/* At least the two magic bytes stay, so it is still gzip. */
		file.len -= 1 + h % (file.len - 2);
		cx_buf_add(&plain, s, n);
		gz_bad = 1;
		break;
	}

	/* The model. */
	cx_buf_reset(&text);
	int dec_bad = decode(enc, plain.p ? plain.p : "", plain.len, &text) < 0;
	size_t bom = text.len >= 3 && !memcmp(text.p, "\xEF\xBB\xBF", 3) ? 3 : 0;
	const char *t = text.p ? text.p + bom : "";
	size_t tn = text.len - bom;
	int bad = gz_bad || dec_bad;
	size_t long_at = (size_t)-1;	/* offset of the first line over the limit */
	if (!blocks)
		for (size_t i = 0; i < tn;) {
			const char *nl = memchr(t + i, '\n', tn - i);
			size_t len = (nl ? (size_t)(nl - t) : tn) - i;
			if (len > max_line) {
				long_at = i;
				break;
			}
			i += len + 1;
		}

	/* The library. */
	put_file(file.p ? file.p : "", file.len);
	cx_buf_reset(&out);
	track_begin();
	cx_input_max_line = max_line;
	arm();
	expect_die = 1;	/* checked below, not in the hook */
	if (setjmp(die_jmp)) {
		track_cleanup();
		in = NULL;
		if (!bad && long_at == (size_t)-1)
			fail("died on good input");
		if (!bad && out.len != long_at)
			fail("a line over the limit: the lines before it differ");
		if (out.len > tn || (out.len && memcmp(out.p, t, out.len)))
			fail("what came out before the error is not a prefix of the text");
		cx_input_max_line = (size_t)1 << 30;
		return 0;
	}
	in = cx_input_open(mem_path, encodings[enc]);
	const char *p;
	size_t len;
	long lines = 0;
	if (blocks) {
		while (cx_input_block(in, &p, &len)) {
			if (!len)
				fail("empty block");
			cx_buf_add(&out, p, len);
		}
	} else {
		while (cx_input_line(in, &p, &len)) {
			if (len > max_line)
				fail("a line over the limit came out");
			if (memchr(p, '\n', len))
				fail("a line holds a newline");
			cx_buf_add(&out, p, len);
			cx_buf_addc(&out, '\n');
			if (cx_input_lineno(in) != ++lines)
				fail("line number");
		}
	}
	int was_gzip = cx_input_is_gzip(in);
	cx_input_close(in);
	in = NULL;
	die_armed = 0;
	track_end();
	cx_input_max_line = (size_t)1 << 30;

	if (bad)
		fail("bad gzip or encoding accepted");
	if (long_at != (size_t)-1)
		fail("a line over the limit was accepted");
	if (was_gzip != (file.len >= 2 && (unsigned char)file.p[0] == 0x1f &&
			 (unsigned char)file.p[1] == 0x8b))
		fail("cx_input_is_gzip");
	size_t want = tn + (!blocks && tn && t[tn - 1] != '\n');
	if (out.len != want || memcmp(out.p ? out.p : "", t, tn) ||
	    (want > tn && out.p[tn] != '\n'))
		fail("the text differs from the model");
	return 0;
}
