/*
 * fuzz_turns: libFuzzer target for lib/ingest/turns.c (cx-ingest --from
 * jddc and --from twcs).
 *
 * Byte 0 picks the profile (b % 2: jddc, twcs) and, for twcs, whether the
 * file gets the export's header in front of it (b / 2 % 2), so that the
 * fuzzer need not find it; the rest is the file.  Checked:
 *   jddc  one row per non-blank line, in line order; a turn has the nine
 *         fields, a non-empty conversation id, turn = the count of turns
 *         of that id so far, an empty ts, speaker agent or customer, flags
 *         0, 1 or empty, no product "nan".
 *   twcs  as many rows (turns, refusals, duplicates) as the CSV reader
 *         gives records; the turns of a conversation come together, are
 *         numbered 1, 2, ... in ts order, and hold the root (tweet_id =
 *         conversation_id); conversations come in the order of their first
 *         ts; tweet ids are unique; a tweet's parent, when written, is in
 *         its conversation, and only the root's parent is not written.
 * A twcs header without the columns read dies (status 3): caught.
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
#include "core/err.h"
#include "ingest/turns.h"
#include "io/rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

#define HEADER "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"

/* What came out, kept in static storage: no allocation for the harness
 * to track. */
enum { MAXROWS = 8192, POOL = 1 << 22 };
struct out {
	long line;
	int refused;
	const char *conv, *turn, *ts, *speaker, *id, *parent;
};
static struct out outs[MAXROWS];
static size_t nouts;
static char pool[POOL];
static size_t used;
static int overflow;
static cx_buf file = CX_BUF_INIT;

static void keep_mine(void)
{
	keep(file.p);
}

static const char *save(cx_slice v)
{
	if (used + v.n + 1 > POOL) {
		overflow = 1;
		return "";
	}
	char *s = pool + used;
	memcpy(s, v.p, v.n);
	s[v.n] = '\0';
	used += v.n + 1;
	return s;
}

static void record(const cx_row *row)
{
	if (nouts == MAXROWS) {
		overflow = 1;
		return;
	}
	struct out *o = &outs[nouts++];
	memset(o, 0, sizeof *o);
	o->line = row->line;
	o->refused = row->error != NULL;
	if (o->refused)
		return;
	if (row->n != 9)
		fail("a turn without nine fields");
	o->conv = save(row->v[0]);
	o->turn = save(row->v[1]);
	o->ts = save(row->v[2]);
	o->speaker = save(row->v[3]);
	o->id = save(row->v[6]);
	o->parent = save(row->v[8]);
	if (strcmp(o->speaker, "agent") && strcmp(o->speaker, "customer"))
		fail("a speaker that is neither agent nor customer");
	if (!*o->conv)
		fail("an empty conversation id");
}

/* ---- jddc ---- */

static void check_jddc(const char *p, size_t n)
{
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	size_t lines = 0;
	for (const char *e = p + n; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t len = (size_t)((nl ? nl : e) - p);
		if (len && p[len - 1] == '\r')
			len--;
		lines += len != 0;
		p = nl ? nl + 1 : e;
	}
	if (nouts != lines)
		fail("jddc: not one row per non-blank line");
	for (size_t i = 0; i < nouts; i++) {
		if (i && outs[i].line <= outs[i - 1].line)
			fail("jddc: rows out of line order");
		if (outs[i].refused)
			continue;
		if (*outs[i].ts)
			fail("jddc: a ts");
		long count = 0;
		for (size_t j = 0; j <= i; j++)
			count += !outs[j].refused && !strcmp(outs[j].conv, outs[i].conv);
		if (strtol(outs[i].turn, NULL, 10) != count)
			fail("jddc: a turn number that is not the count of its session's turns");
	}
}

static void check_jddc_extras(const cx_row *row)
{
	if (row->error)
		return;
	for (int f = 7; f <= 8; f++) {
		cx_slice v = row->v[f];
		if (v.n > 1 || (v.n == 1 && v.p[0] != '0' && v.p[0] != '1'))
			fail("jddc: a flag that is not 0, 1 or empty");
	}
	if (row->v[6].n == 3 && !memcmp(row->v[6].p, "nan", 3))
		fail("jddc: product nan");
}

/* ---- twcs ---- */

static long find_id(const char *id)
{
	for (size_t i = 0; i < nouts; i++)
		if (!outs[i].refused && !strcmp(outs[i].id, id))
			return (long)i;
	return -1;
}

static void check_twcs(size_t records)
{
	if (nouts != records)
		fail("twcs: not one row per CSV record");
	const struct out *prev = NULL;
	const char *first_ts = NULL;	/* of the conversation before */
	for (size_t i = 0; i < nouts; i++) {
		const struct out *o = &outs[i];
		if (o->refused)
			continue;
		long turn = strtol(o->turn, NULL, 10);
		int same = prev && !strcmp(prev->conv, o->conv);
		if (turn != (same ? strtol(prev->turn, NULL, 10) + 1 : 1))
			fail("twcs: turns not numbered 1, 2, ... in their conversation");
		if (same && strcmp(prev->ts, o->ts) > 0)
			fail("twcs: turns out of time order");
		/* Turn 1 is a conversation's earliest; ts in UTC compare as
		 * strings. */
		if (!same) {
			if (first_ts && strcmp(first_ts, o->ts) > 0)
				fail("twcs: conversations out of the order of their first tweets");
			first_ts = o->ts;
		}
		if (!same)
			for (size_t j = 0; j < i; j++)
				if (!outs[j].refused && !strcmp(outs[j].conv, o->conv))
					fail("twcs: a conversation in two blocks");
		if (find_id(o->id) != (long)i)
			fail("twcs: a tweet id written twice");
		long up = *o->parent ? find_id(o->parent) : -1;
		int root = !strcmp(o->id, o->conv);
		if (root && up >= 0)
			fail("twcs: a root whose parent is written");
		if (!root && (up < 0 || strcmp(outs[up].conv, o->conv)))
			fail("twcs: a reply whose parent is not in its conversation");
		prev = o;
	}
	for (size_t i = 0; i < nouts; i++)
		if (!outs[i].refused && find_id(outs[i].conv) < 0)
			fail("twcs: a conversation without its root");
}

/* The records the CSV reader gives, as the profile reads them. */
static size_t csv_records(void)
{
	cx_rows *r = cx_rows_open(mem_path, CX_FROM_CSV, NULL, 0, NULL);
	cx_row row;
	size_t n = 0;
	while (cx_rows_next(r, &row))
		n++;
	cx_rows_close(r);
	return n;
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
	if (size < 1)
		return 0;
	int twcs = data[0] % 2, header = twcs && data[0] / 2 % 2;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	/* gzip is the input layer's (fuzz_input) */
	if (n >= 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b)
		return 0;
	cx_buf_reset(&file);
	if (header)
		cx_buf_adds(&file, HEADER);
	cx_buf_add(&file, s, n);
	put_file(file.p ? file.p : "", file.len);
	nouts = used = 0;
	overflow = 0;

	static cx_turns *t;
	track_begin();
	arm();
	if (setjmp(die_jmp)) {
		track_cleanup();
		t = NULL;
		return 0;
	}
	t = cx_turns_new(twcs ? CX_FROM_TWCS : CX_FROM_JDDC, 1);
	cx_turns_add(t, mem_path, NULL, 0, 5);
	cx_row row;
	size_t tag;
	int rc;
	while ((rc = cx_turns_next(t, 0, &row, &tag)) != CX_TURNS_END) {
		if (tag != 5)
			fail("a row with another input's tag");
		if (rc == CX_TURNS_DUPLICATE && !row.error)
			fail("a duplicate without its reason");
		if (!twcs)
			check_jddc_extras(&row);
		record(&row);
	}
	if (cx_turns_next(t, 0, &row, &tag) != CX_TURNS_END)
		fail("a row after the end");
	cx_turns_free(t);
	t = NULL;
	if (!overflow) {
		if (twcs)
			check_twcs(csv_records());
		else
			check_jddc(file.p ? file.p : "", file.len);
	}
	die_armed = 0;
	track_end();
	return 0;
}
