/* Unit tests for ingest/turns: the jddc and twcs profiles, record by
 * record, with the tags and the phases the golden cases cannot see. */
#define TESTIO_TMP "/tmp/cx-test-turns"
#include "ingest/turns.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "testio.h"
#include "unit.h"

static cx_row row;
static cx_buf got;

/* The next row of input k as "TAG:LINE:v1|v2|...", "TAG:LINE!reason",
 * "TAG:LINE=reason" for a duplicate, or "END". */
static const char *next(cx_turns *t, size_t k)
{
	size_t tag = 99;
	int rc = cx_turns_next(t, k, &row, &tag);
	cx_buf_reset(&got);
	if (rc == CX_TURNS_END)
		return "END";
	cx_buf_addf(&got, "%zu:%ld%c", tag, row.line,
		    rc == CX_TURNS_DUPLICATE ? '=' : row.error ? '!' : ':');
	if (row.error) {
		cx_buf_adds(&got, row.error);
		return got.p;
	}
	for (size_t i = 0; i < row.n; i++) {
		if (i)
			cx_buf_addc(&got, '|');
		cx_buf_add(&got, row.v[i].p, row.v[i].n);
	}
	return got.p;
}

/* Add an input holding text, in UTF-8. */
static size_t add(cx_turns *t, const char *text, long skip, size_t tag)
{
	return cx_turns_add(t, tmp_text(text), NULL, skip, tag);
}

static const char *header(cx_turns *t)
{
	size_t n;
	char **h = cx_turns_header(t, &n);
	cx_buf_reset(&got);
	for (size_t i = 0; i < n; i++) {
		if (i)
			cx_buf_addc(&got, ' ');
		cx_buf_adds(&got, h[i]);
	}
	return got.p;
}

static void test_jddc(void)
{
	CHECK(cx_from_is_turns(CX_FROM_JDDC) && cx_from_is_turns(CX_FROM_TWCS));
	CHECK(!cx_from_is_turns(CX_FROM_CSV));
	cx_turns *t = cx_turns_new(CX_FROM_JDDC, 1);
	size_t a = add(t, "skip me\n"
			  "s1\tU1\t0\t0\t0\tnan\t hi \\n \n"
			  "s2\tU2\t0\t1\t0\tSKU9\tyo\r\n"
			  "\n"
			  "s1\tU1\t2\t0\t0\tnan\tbad speaker\n"
			  "s1\tU1\t1\t0\t0\tnan\tback\n"
			  "s2\tU2\t1\t1\t0\tSKU9\n",
		       1, 7);
	size_t b = add(t, "s1\tU1\t0\t\t\t nan \tnext file\n", 0, 8);
	CHECK_INT(a, 0);
	CHECK_INT(b, 1);
	CHECK_STR(header(t), "conversation_id turn ts speaker customer_id text product transferred "
			     "repeat_enquiry");
	CHECK_STR(cx_turns_name(t, 1), tmp_paths[ntmp - 1]);
	/* The text keeps its backslash: JDDC has no escapes. */
	CHECK_STR(next(t, 0), "7:2:s1|1||customer|U1|hi \\n||0|0");
	CHECK_MEM(row.raw.p, row.raw.n, "s1\tU1\t0\t0\t0\tnan\t hi \\n ");
	CHECK_STR(next(t, 0), "7:3:s2|1||customer|U2|yo|SKU9|1|0");
	CHECK_MEM(row.raw.p, row.raw.n, "s2\tU2\t0\t1\t0\tSKU9\tyo");
	CHECK_STR(next(t, 0), "7:5!field 'speaker': expected 0 (customer) or 1 (agent), found '2'");
	CHECK_STR(next(t, 0), "7:6:s1|2||agent|U1|back||0|0");
	CHECK_STR(next(t, 0), "7:7!expected 7 fields, found 6");
	CHECK_STR(next(t, 0), "END");
	/* The session goes on counting in the next input. */
	CHECK_STR(next(t, 1), "8:1:s1|3||customer|U1|next file|||");
	CHECK_STR(next(t, 1), "END");
	cx_turns_free(t);

	/* Without trimming, " 0" is not a speaker. */
	t = cx_turns_new(CX_FROM_JDDC, 0);
	add(t, "s1\tU1\t 0\t0\t0\tnan\tx\ns1\tU1\t0\t0\t0\tnan\t x \n", 0, 0);
	CHECK_STR(next(t, 0), "0:1!field 'speaker': expected 0 (customer) or 1 (agent), found ' 0'");
	CHECK_STR(next(t, 0), "0:2:s1|1||customer|U1| x ||0|0");
	cx_turns_free(t);
}

#define TWCS_HEADER "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n"
#define AT(hms) "Mon Mar 04 " hms " +0000 2024"

static void test_twcs_fields(void)
{
	/* Columns in another order, text first and parent last; quoted
	 * fields with commas, quotes and line ends; entities. */
	cx_turns *t = cx_turns_new(CX_FROM_TWCS, 1);
	add(t, "text,tweet_id,created_at,inbound,extra,author_id,in_response_to_tweet_id\r\n"
	       "\"a, \"\"b\"\"\r\nc\",1," AT("10:00:00") ",True,x,C1,\r\n"
	       "&amp;amp; &#39;&quot;&lt;&gt; &am & &,2," AT("10:01:00") ",False,,S,1\r\n"
	       "\"\",3," AT("10:02:00") ",False,,S,\"2\"\r\n"
	       ",4," AT("10:03:00") ",True,,C1,3.0\r\n",
	    0, 5);
	CHECK_STR(header(t), "conversation_id turn ts speaker customer_id text tweet_id author_id "
			     "in_response_to");
	CHECK_STR(next(t, 0), "5:2:1|1|2024-03-04T10:00:00+00:00|customer|C1|a, \"b\"\nc|1|C1|");
	CHECK_STR(next(t, 0), "5:4:1|2|2024-03-04T10:01:00+00:00|agent|C1|&amp; '\"<> &am & &|2|S|1");
	CHECK_STR(next(t, 0), "5:5:1|3|2024-03-04T10:02:00+00:00|agent|C1||3|S|2");
	CHECK_STR(next(t, 0), "5:6:1|4|2024-03-04T10:03:00+00:00|customer|C1||4|C1|3");
	CHECK_MEM(row.raw.p, row.raw.n, ",4," AT("10:03:00") ",True,,C1,3.0");
	CHECK_STR(next(t, 0), "END");
	CHECK_STR(next(t, 0), "END");
	cx_turns_free(t);
}

static void test_twcs_threads(void)
{
	/* A thread over two files, a duplicate across them; the refusals of
	 * the collection come as the files are read, the turns and the
	 * cycle refusals when the last is done. */
	cx_turns *t = cx_turns_new(CX_FROM_TWCS, 1);
	add(t, TWCS_HEADER
	       "10,C1,True," AT("09:00:00") ",root,,\r\n"
	       "11,S,maybe," AT("09:00:00") ",bad,,\r\n"
	       "30,C3,True," AT("09:30:00") ",into,,31\r\n"
	       "31,C3,True," AT("09:31:00") ",round,,32\r\n"
	       "32,C3,True," AT("09:32:00") ",and,,33\r\n"
	       "33,C3,True," AT("09:33:00") ",round,,31\r\n",
	    0, 1);
	add(t, TWCS_HEADER
	       "12,S,False," AT("09:05:00") ",reply,,10\r\n"
	       "10,C1,True," AT("09:00:00") ",root again,,\r\n"
	       "20,C2,True," AT("08:00:00") ",earlier thread,,\r\n",
	    0, 2);
	CHECK_STR(next(t, 0), "1:3!field 'inbound': expected True or False, found 'maybe'");
	CHECK_STR(next(t, 0), "END");
	const char *dup = "2:3=duplicate tweet_id '10' (first at ";
	CHECK(strncmp(next(t, 1), dup, strlen(dup)) == 0);
	CHECK(strstr(got.p, "turns-") && strstr(got.p, ":2)"));
	/* then the cycle (31 32 33) and the tweet that runs into it (30) */
	CHECK_STR(next(t, 1), "1:4!in_response_to_tweet_id: answers a tweet in a reply cycle "
			      "(no tweet starts the thread)");
	CHECK_STR(next(t, 1), "1:5!in_response_to_tweet_id: a reply cycle of 3 tweets "
			      "(no tweet starts the thread)");
	CHECK_MEM(row.raw.p, row.raw.n, "31,C3,True," AT("09:31:00") ",round,,32");
	CHECK_STR(next(t, 1), "1:6!in_response_to_tweet_id: a reply cycle of 3 tweets "
			      "(no tweet starts the thread)");
	CHECK_STR(next(t, 1), "1:7!in_response_to_tweet_id: a reply cycle of 3 tweets "
			      "(no tweet starts the thread)");
	CHECK_STR(next(t, 1), "2:4:20|1|2024-03-04T08:00:00+00:00|customer|C2|earlier thread|20|C2|");
	CHECK_STR(next(t, 1), "1:2:10|1|2024-03-04T09:00:00+00:00|customer|C1|root|10|C1|");
	CHECK_STR(next(t, 1), "2:2:10|2|2024-03-04T09:05:00+00:00|agent|C1|reply|12|S|10");
	CHECK_STR(next(t, 1), "END");
	cx_turns_free(t);
}

/* A chain 20,000 replies deep, given leaf first: linking it must not
 * recurse, and it is one thread in time order. */
static void test_twcs_deep(void)
{
	cx_buf csv = CX_BUF_INIT;
	cx_buf_adds(&csv, TWCS_HEADER);
	enum { N = 20000 };
	for (int i = N; i >= 1; i--) {
		char when[64];
		cx_instant at = 1709546400 + i;	/* 2024-03-04T10:00:00Z + i */
		struct cx_civil c;
		cx_instant_to_local(at, &c);
		snprintf(when, sizeof when, "Mon Mar 04 %02d:%02d:%02d +0000 2024", c.hour, c.min,
			 c.sec);
		if (i > 1)
			cx_buf_addf(&csv, "%d,%s,%s,%s,t%d,,%d\r\n", i, i % 2 ? "C" : "S",
				    i % 2 ? "True" : "False", when, i, i - 1);
		else
			cx_buf_addf(&csv, "%d,C,True,%s,t1,,\r\n", i, when);
	}
	cx_turns *t = cx_turns_new(CX_FROM_TWCS, 1);
	add(t, csv.p, 0, 0);
	int ok = 1;
	for (int i = 1; i <= N; i++) {
		const char *s = next(t, 0);
		char want[32];
		snprintf(want, sizeof want, "1|%d|", i);
		ok &= strncmp(strchr(s + 2, ':') + 1, want, strlen(want)) == 0;
	}
	CHECK(ok);
	CHECK_STR(next(t, 0), "END");
	cx_turns_free(t);
	cx_buf_free(&csv);
}

int main(void)
{
	cx_tz_set("UTC", NULL);
	test_jddc();
	test_twcs_fields();
	test_twcs_threads();
	test_twcs_deep();
	cx_buf_free(&got);
	remove_tmp_files();
	return unit_done("turns");
}
