/*
 * fuzz_bayes_model: libFuzzer target for the naive Bayes model reader
 * (cx_bayes_load in lib/bayes.c).
 *
 * The input is a model file.  Loading it either dies (bad data: the
 * cx_die is caught by a cx_atdie() hook that longjmps back) or gives a
 * model, which must then classify a few texts to probabilities that are
 * finite, in [0, 1] and sum to 1, and must save to a file that loads
 * again and saves to the same bytes (save is canonical).  A die on that
 * second load aborts.
 *
 *   scripts/fuzz bayes_model
 *   build/fuzz/fuzz_bayes_model -detect_leaks=0 testdata/fuzz/corpus/bayes_model
 * The saved models go to /tmp/cx-fuzz-bayes-PID.tsv (left behind).
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

#include "bayes.h"
#include "buf.h"
#include "err.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- harness: die -> longjmp, cleanup of what a die leaves behind ----
 * Copied from fuzz_stream.c; the same block is in fuzz_stream.c, fuzz_rows.c, fuzz_input.c,
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

static cx_buf saved1 = CX_BUF_INIT, saved2 = CX_BUF_INIT;
static cx_bayes *model;
static int expect_die;

static void keep_mine(void)
{
	keep(saved1.p);
	keep(saved2.p);
}

/* Save m to a real file (cx_output replaces it atomically); its bytes
 * into b. */
static char save_path[64];

static void save_to(const cx_bayes *m, cx_buf *b)
{
	if (!save_path[0])
		snprintf(save_path, sizeof save_path, "/tmp/cx-fuzz-bayes-%ld.tsv", (long)getpid());
	cx_output *o = cx_output_open(save_path);
	cx_bayes_save(m, o);
	cx_output_close(o);
	cx_buf_reset(b);
	cx_buf_grow(b, 1);
	int fd = open(save_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot read the saved model back");
	char tmp[65536];
	ssize_t r;
	while ((r = read(fd, tmp, sizeof tmp)) > 0)
		cx_buf_add(b, tmp, (size_t)r);
	close(fd);
}

static void check_model(const cx_bayes *m)
{
	static const char *texts[] = { "", "好", "很差，不好", "delivery was late 送餐慢", "\xEF\xBB\xBF!!" };
	size_t C = cx_bayes_nlabels(m);
	if (!C)
		fail("a model with no label loaded");
	double *p = malloc(C * sizeof *p);
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		size_t best = cx_bayes_classify(m, texts[t], strlen(texts[t]), p);
		if (best >= C)
			fail("classify: index out of range");
		double sum = 0;
		for (size_t c = 0; c < C; c++) {
			if (!(p[c] >= 0 && p[c] <= 1))
				fail("classify: a probability outside [0, 1]");
			if (p[c] > p[best])
				fail("classify: not the most probable label");
			sum += p[c];
		}
		if (fabs(sum - 1) > 1e-9)
			fail("classify: probabilities do not sum to 1");
		if (!cx_bayes_label(m, best))
			fail("no label for the best index");
	}
	free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	put_file(data, size);
	track_begin();
	arm();
	expect_die = 1;
	if (setjmp(die_jmp)) {
		track_cleanup();
		model = NULL;
		if (!expect_die)
			fail("a saved model does not load again");
		return 0;
	}
	model = cx_bayes_load(mem_path);
	check_model(model);
	save_to(model, &saved1);
	cx_bayes_free(model);
	model = NULL;
	expect_die = 0;
	model = cx_bayes_load(save_path);
	check_model(model);
	save_to(model, &saved2);
	cx_bayes_free(model);
	model = NULL;
	if (saved1.len != saved2.len || memcmp(saved1.p, saved2.p, saved1.len))
		fail("load -> save is not canonical");
	die_armed = 0;
	track_end();
	return 0;
}
