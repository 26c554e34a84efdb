/*
 * fuzz_bayes_model: libFuzzer target for the naive Bayes model reader
 * (cx_bayes_load in lib/text/bayes.c).
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

#include "text/bayes.h"
#include "core/buf.h"
#include "core/err.h"
#include "io/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

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
