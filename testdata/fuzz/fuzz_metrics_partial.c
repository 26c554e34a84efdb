/*
 * fuzz_metrics_partial: libFuzzer target for the --merge reader of
 * lib/stats/metrics_partial.c (partial results read back), through
 * cx_metrics_run().
 *
 * Byte 0 picks the options: bit 0 --totals (final output), bit 1 -p all
 * instead of -p month, bit 2 -g product.  The rest follows a valid
 * partial header for -m complaints,sum:x,distinct:y,median:x
 * ("period[\tproduct]\t@n\t@val:x\t@distinct:y\t@latest").
 *   run A: --merge --partial on it (a combiner).  Bad data may die, but
 *          then with no output written;
 *   run B: --merge --partial on A's output (a second combiner): must not
 *          die (the partial form reads back);
 *   runs C, D: --merge (final metrics, maybe --totals) on A's output and
 *          on B's: must not die, and must be the same, byte for byte
 *          (merging partial results again does not change the result).
 * Output goes to a memfd.  Dies longjmp back (see harness.h).
 */
#include <fcntl.h>
#include <math.h>
#include <sanitizer/allocator_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "stats/metrics.h"
#include "io/output.h"
#include "io/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

static cx_buf in_a = CX_BUF_INIT, out_a = CX_BUF_INIT, out_b = CX_BUF_INIT;
static cx_buf out_c = CX_BUF_INIT, out_d = CX_BUF_INIT;
static int memfd2 = -1, outfd = -1;
static char mem_path2[32];
static cx_output out;
static cx_reader *rd;
static int expect_die;
static int skip_known;

static void keep_mine(void)
{
	keep(in_a.p);
	keep(out_a.p);
	keep(out_b.p);
	keep(out_c.p);
	keep(out_d.p);
}

/* Everything written to out so far into b. */
static void take_output(cx_buf *b)
{
	cx_output_flush(&out);
	off_t n = lseek(outfd, 0, SEEK_END);
	cx_buf_reset(b);
	cx_buf_grow(b, (size_t)n);
	if (n > 0 && pread(outfd, b->p, (size_t)n, 0) != n)
		abort();
	b->len = (size_t)n;
	b->p[n] = '\0';
}

static void reset_output(void)
{
	out.len = 0;
	if (ftruncate(outfd, 0) != 0 || lseek(outfd, 0, SEEK_SET) != 0)
		abort();
}

/* One cx_metrics_run on path; 0, or -1 if it died. */
static int run(const cx_metrics_conf *c, char *path)
{
	reset_output();
	track_begin();
	arm();
	if (setjmp(die_jmp)) {
		track_cleanup();
		rd = NULL;
		if (!expect_die)
			fail("died on the library's own partial output");
		return -1;
	}
	char *paths[1] = { path };
	rd = cx_reader_open(paths, 1);
	int rc = cx_metrics_run(c, rd, &out);
	cx_reader_close(rd);
	rd = NULL;
	die_armed = 0;
	track_end();
	if (rc != 0)
		fail("cx_metrics_run returned non-zero");
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	skip_known = getenv("CX_FUZZ_SKIP_KNOWN") && *getenv("CX_FUZZ_SKIP_KNOWN");
	cx_buf err = CX_BUF_INIT;
	if (cx_tz_set("UTC", &err) != 0)
		abort();
	cx_buf_free(&err);
	out.buf = malloc(CX_OUTPUT_BUFFER);
	outfd = memfd_create("cx-fuzz-out", 0);
	out.fd = outfd;
	memfd2 = memfd_create("cx-fuzz-2", 0);
	if (outfd < 0 || memfd2 < 0)
		abort();
	snprintf(mem_path2, sizeof mem_path2, "/dev/fd/%d", memfd2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	cx_metrics_conf c;
	memset(&c, 0, sizeof c);
	c.unit = CX_MONTH;
	c.all_time = (data[0] >> 1) & 1;
	c.group = data[0] & 4 ? "product" : NULL;
	c.metrics = "complaints,sum:x,distinct:y,median:x";
	c.precision = 4;
	c.merge = 1;

	/* Known bug, crashes-found/metrics_partial/latest-out-of-range: an
	 * @latest beyond the range of an int64 is cast to one (undefined). */
	if (skip_known)
		for (const char *p = (const char *)data + 1, *e = (const char *)data + size; p < e;) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			const char *end = nl ? nl : e, *t = end;
			while (t > p && t[-1] != '\t')
				t--;
			char num[64];
			size_t k = (size_t)(end - t) < sizeof num - 1 ? (size_t)(end - t) : sizeof num - 1;
			memcpy(num, t, k);
			num[k] = '\0';
			double v = strtod(num, NULL);
			if (!(fabs(v) < 9e18))
				return 0;
			p = nl ? nl + 1 : e;
		}
	cx_buf_reset(&in_a);
	cx_buf_adds(&in_a, c.group ? "period\tproduct\t" : "period\t");
	cx_buf_adds(&in_a, "@n\t@val:x\t@distinct:y\t@latest\n");
	cx_buf_add(&in_a, data + 1, size - 1);
	put_file(in_a.p, in_a.len);

	/* A: the fuzz input. */
	c.partial = 1;
	expect_die = 1;
	if (run(&c, mem_path) < 0) {
		if (out.len || lseek(outfd, 0, SEEK_END) != 0)
			fail("died after writing output");
		return 0;
	}
	take_output(&out_a);
	/* Known bug, crashes-found/metrics_partial/empty-min-writes-inf: an
	 * empty min or max is taken with a count > 0 and written back as
	 * "inf", which --merge refuses. */
	if (skip_known && (memmem(out_a.p, out_a.len, "inf", 3) || memmem(out_a.p, out_a.len, "nan", 3)))
		return 0;

	/* B: A's output merged again, as a combiner would. */
	if (ftruncate(memfd2, 0) != 0 || pwrite(memfd2, out_a.p, out_a.len, 0) != (ssize_t)out_a.len)
		abort();
	expect_die = 0;
	run(&c, mem_path2);
	take_output(&out_b);

	/* C, D: the final metrics from A and from B are the same. */
	c.partial = 0;
	c.totals = data[0] & 1;
	run(&c, mem_path2);
	take_output(&out_c);
	if (ftruncate(memfd2, 0) != 0 || pwrite(memfd2, out_b.p, out_b.len, 0) != (ssize_t)out_b.len)
		abort();
	run(&c, mem_path2);
	take_output(&out_d);
	if (out_c.len != out_d.len || memcmp(out_c.p, out_d.p, out_c.len)) {
		fprintf(real_stderr, "from A:\n%s\nfrom B:\n%s\n", out_c.p, out_d.p);
		fail("merging the merged partial again changes the metrics");
	}
	return 0;
}
