/*
 * fuzz_dialog: libFuzzer target for the conversation engine of cx-dialog
 * (lib/dialog/, cx_dialog_run()).
 *
 * The input is a turn stream (man/cx-dialog.1, man/cx.7) after one byte
 * of options, so that one corpus reaches both outputs and every way a
 * conversation closes:
 *   bit 0  alert mode (--alert-repeat 2 --alert-negative 2), else rows;
 *   bit 1  --idle (30m, or 1s with bit 6), which needs a ts field;
 *   bit 2  --contiguous;
 *   bit 3  --stream;
 *   bit 4  --end '再见|bye$';
 *   bit 5  --negative -0.2 and --rejects /dev/null (so refusals go to a
 *          reject stream, and the run may not return status 3);
 *   bit 6  no sentiment lexicon, --min-chars 1, --similar 0.5;
 *   bit 7  the header conversation_id, turn, ts, speaker, text comes
 *          first (the rest is records only), and the file is read twice
 *          as one stream (the second header is skipped, its turns are
 *          reappearances or out of order).
 * The rules, excluded replies and lexicon are built once, as cmd/cx-dialog.c
 * builds the default ones (cx_dialog_rules, cx_dialog_excludes, the seed
 * lexicon).  Output goes to /dev/null.  Bad data may die (a bad header, a
 * bad escape, text that is not UTF-8, --idle without ts: status 2 or 3 in
 * the program); a die longjmps back and what the engine held is freed
 * (harness.h).  A run that returns must return 0, 3 (refused turns, only
 * without --rejects) or 1 (alerts, only in alert mode).
 *
 * PCRE2 JIT is off (CX_NO_JIT): the --end pattern is compiled inside the
 * run, and a die after it would leave its JIT code, which is not malloc'd,
 * where the cleanup cannot free it.
 *
 *   scripts/fuzz dialog          (builds build/fuzz/fuzz_dialog, runs it)
 *   build/fuzz/fuzz_dialog testdata/fuzz/corpus/dialog
 */
#include <fcntl.h>
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
#include "dialog/dialog.h"
#include "io/output.h"
#include "text/classify.h"
#include "text/sentiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

static cx_crules cust = CX_CRULES_INIT, agent = CX_CRULES_INIT;
static cx_lexicon *lexicon;
static char **excludes;
static size_t nexcludes;
static cx_buf excl_text = CX_BUF_INIT;
static cx_buf in = CX_BUF_INIT;
static cx_output out;

static void keep_mine(void)
{
	keep(in.p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("CX_NO_JIT", "1", 1);
	harness_init();
	cx_buf err = CX_BUF_INIT;
	if (cx_tz_set("UTC", &err) != 0)
		abort();
	cx_dialog_rules(&cust, &agent, NULL, 0, NULL);
	lexicon = cx_lex_new();
	if (cx_lex_parse(lexicon, cx_sentiment_seed_lexicon, strlen(cx_sentiment_seed_lexicon),
			 "(seed lexicon)", CX_LEX_CX, 0, &err) < 0)
		abort();
	cx_buf_free(&err);
	excludes = cx_dialog_excludes(1, NULL, 0, &excl_text, &nexcludes);
	out.buf = malloc(CX_OUTPUT_BUFFER);
	out.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (!out.buf || out.fd < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned o = data[0];
	cx_dialog_conf c;
	memset(&c, 0, sizeof c);
	c.agent_values = "agent,1";
	c.customer_values = "customer,0";
	c.similar = 0.8;
	c.min_chars = 4;
	c.customer_rules = &cust;
	c.agent_rules = &agent;
	c.lexicon = lexicon;
	c.excludes = (const char *const *)excludes;
	c.nexcludes = nexcludes;
	c.quiet = !(o & 0x40);
	if (o & 0x01)
		c.alert_repeat = c.alert_negative = 2;
	if (o & 0x02)
		c.idle = o & 0x40 ? 1 : 1800;
	c.contiguous = (o & 0x04) != 0;
	c.stream = (o & 0x08) != 0;
	if (o & 0x10)
		c.end = "再见|bye$";
	if (o & 0x20) {
		c.use_score = 1;
		c.negative = -0.2;
		c.rejects = "/dev/null";
	}
	if (o & 0x40) {
		c.lexicon = NULL;
		c.min_chars = 1;
		c.similar = 0.5;
	}
	cx_buf_reset(&in);
	if (o & 0x80)
		cx_buf_adds(&in, "conversation_id\tturn\tts\tspeaker\ttext\n");
	cx_buf_add(&in, data + 1, size - 1);
	put_file(in.p ? in.p : "", in.len);
	char *paths[2] = { mem_path, mem_path };

	out.len = 0;
	out.line_buffered = 0;
	track_begin();
	arm();
	if (setjmp(die_jmp)) {
		track_cleanup();
		return 0;
	}
	int rc = cx_dialog_run(&c, paths, o & 0x80 ? 2 : 1, &out);
	die_armed = 0;
	track_end();
	if (rc == CX_EXIT_FOUND ? !(o & 0x01) : rc == CX_EXIT_DATA ? c.rejects != NULL : rc != 0)
		fail("cx_dialog_run returned a status it may not");
	return 0;
}
