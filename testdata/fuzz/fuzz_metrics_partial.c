/*
 * fuzz_metrics_partial: libFuzzer target for the --merge reader of
 * lib/metrics.c (partial results read back), through cx_metrics_run().
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
 * Output goes to a memfd.  Dies longjmp back (see fuzz_stream.c).
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

#include "buf.h"
#include "cxtime.h"
#include "err.h"
#include "metrics.h"
#include "output.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- harness: die -> longjmp, cleanup of what a die leaves behind ----
 * The same block is in fuzz_stream.c, fuzz_rows.c, fuzz_input.c,
 * fuzz_mapfile.c and fuzz_metrics_partial.c (keep them in step).
 *
 * cx_die() runs the cx_atdie() hooks before it exits; ours longjmps back
 * into the target when armed.  What the dying code had allocated is still
 * live: every allocation of the main thread during an input is recorded
 * by sanitizer malloc/free hooks, and after a die whatever is still live
 * is freed (the target's own buffers excepted: keep_mine()), and the
 * descriptors opened since the input began are closed.  So a die leaks
 * nothing and leak detection can stay on.  This assumes the library keeps
 * no memory across calls that it allocated lazily during an input (it
 * keeps none today; iconv's modules are loaded before, see fuzz_input.c):
 * if it ever does, the cleanup frees it and ASan reports a use after free
 * in the library on a later input. */

static jmp_buf die_jmp;
static int die_armed, die_hooked;
static const char *fail_input_kind = "";

static void die_hook(void)
{
	die_hooked = 0;	/* cx_die pops the hook before calling it */
	if (die_armed) {
		die_armed = 0;
		longjmp(die_jmp, 1);
	}
	/* Not armed: fall through to exit(), which libFuzzer reports. */
}

static void arm(void)
{
	if (!die_hooked) {
		cx_atdie(die_hook);
		die_hooked = 1;
	}
	die_armed = 1;
}

/* Live allocations made during one input: an open-addressing set of
 * addresses, filled by the malloc hook of the main thread only. */
#define TRACK_BITS 17
#define TRACK_CAP ((size_t)1 << TRACK_BITS)
#define TOMB ((uintptr_t)1)
static uintptr_t track[TRACK_CAP];
static uint32_t touched[TRACK_CAP / 2];
static size_t ntouched;
static int track_overflow;
static __thread int tracking;

static size_t track_slot(uintptr_t p)
{
	return (size_t)(((uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - TRACK_BITS));
}

static void on_malloc(const volatile void *ptr, size_t size)
{
	(void)size;
	if (!tracking || !ptr)
		return;
	uintptr_t p = (uintptr_t)ptr;
	for (size_t i = track_slot(p), k = 0; k < TRACK_CAP; k++, i = (i + 1) & (TRACK_CAP - 1)) {
		if (track[i] == 0) {
			if (ntouched == TRACK_CAP / 2) {
				track_overflow = 1;
				return;
			}
			touched[ntouched++] = (uint32_t)i;
			track[i] = p;
			return;
		}
		if (track[i] == TOMB) {
			track[i] = p;
			return;
		}
	}
}

static void on_free(const volatile void *ptr)
{
	if (!tracking || !ptr)
		return;
	uintptr_t p = (uintptr_t)ptr;
	for (size_t i = track_slot(p), k = 0; k < TRACK_CAP; k++, i = (i + 1) & (TRACK_CAP - 1)) {
		if (track[i] == 0)
			return;
		if (track[i] == p) {
			track[i] = TOMB;
			return;
		}
	}
}

static int fd_low;

static void quiet_library(void);

static void harness_init(void)
{
	quiet_library();
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

/* Start of an input: forget the last one's allocations, note the lowest
 * free descriptor (every descriptor the library opens is >= it). */
static void track_begin(void)
{
	for (size_t i = 0; i < ntouched; i++)
		track[touched[i]] = 0;
	ntouched = 0;
	track_overflow = 0;
	fd_low = fcntl(2, F_DUPFD_CLOEXEC, 0);
	close(fd_low);
	tracking = 1;
}

/* The target's own buffers may have grown during the input: taken out
 * of the set before the cleanup frees the rest. */
static void keep(const void *p)
{
	on_free(p);
}

static void keep_mine(void);

/* After a die: free what the dying code still held, close its files. */
static void track_cleanup(void)
{
	keep_mine();
	tracking = 0;
	for (size_t i = 0; i < ntouched; i++)
		if (track[touched[i]] > TOMB) {
			free((void *)track[touched[i]]);
			track[touched[i]] = TOMB;
		}
	for (int fd = fd_low; fd < fd_low + 16; fd++)
		close(fd);
}

static void track_end(void)
{
	tracking = 0;
}

/* The input as a file: a memfd, opened by the library as /dev/fd/N. */
static int memfd = -1;
static char mem_path[32];

static void put_file(const void *p, size_t n)
{
	if (memfd < 0) {
		memfd = memfd_create("cx-fuzz", 0);
		if (memfd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(mem_path, sizeof mem_path, "/dev/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 || (n && pwrite(memfd, p, n, 0) != (ssize_t)n)) {
		perror("memfd write");
		abort();
	}
}

/* The library's messages (every die prints one) go to /dev/null unless
 * CX_FUZZ_VERBOSE is set; ours go to the real standard error. */
static FILE *real_stderr;

static void quiet_library(void)
{
	real_stderr = stderr;
	const char *v = getenv("CX_FUZZ_VERBOSE");
	if (!v || !*v) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			/* Unbuffered: a buffer that stdio allocated during an
			 * input would be freed by the cleanup after a die (and
			 * glibc, not instrumented, would go on writing to it). */
			setvbuf(null, NULL, _IONBF, 0);
			stderr = null;
		}
	}
}

static void fail(const char *what)
{
	fprintf(real_stderr ? real_stderr : stderr, "fuzz: %s%s\n", fail_input_kind, what);
	abort();
}

/* ---- end of the shared block ---- */

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
