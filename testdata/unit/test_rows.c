/*
 * test_rows: CSV, TSV and JSON Lines inputs read into rows on temporary
 * files: quoting, embedded newlines (row.line is the first line, row.raw
 * all of them), CRLF, blank lines, bad rows that come out as errors while
 * the reader goes on, headers (trimmed, declared with --fields, skipped
 * lines), and the format guessed from a file name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "io/rows.h"
#include "unit.h"
#define TESTIO_TMP "/tmp/cx-test-rows"
#include "testio.h"

/* --- reading --- */

static cx_row row;

/* The next row as "LINE:v1|v2|..." or "LINE!error", "EOF" at the end.
 * row keeps the row itself (its raw text) until the next call. */
static const char *next(cx_rows *r)
{
	static cx_buf b = CX_BUF_INIT;
	cx_buf_reset(&b);
	memset(&row, 0, sizeof row);
	if (!cx_rows_next(r, &row))
		return "EOF";
	if (row.error) {
		cx_buf_addf(&b, "%ld!%s", row.line, row.error);
		if (row.v || row.n)
			cx_buf_adds(&b, " (and values)");
		return b.p;
	}
	cx_buf_addf(&b, "%ld:", row.line);
	for (size_t i = 0; i < row.n; i++) {
		if (i)
			cx_buf_addc(&b, '|');
		cx_buf_add(&b, row.v[i].p, row.v[i].n);
	}
	return b.p;
}

static const char *header(cx_rows *r)
{
	static cx_buf b = CX_BUF_INIT;
	cx_buf_reset(&b);
	cx_buf_grow(&b, 1);
	b.p[0] = '\0';
	size_t n;
	char **h = cx_rows_header(r, &n);
	for (size_t i = 0; i < n; i++) {
		if (i)
			cx_buf_addc(&b, '|');
		cx_buf_adds(&b, h[i]);
	}
	return b.p;
}

static cx_rows *open_rows(const char *text, cx_from from, long skip, const char *fields)
{
	return cx_rows_open(tmp_text(text), from, NULL, skip, fields);
}

#define CHECK_RAW(want) CHECK_MEM(row.raw.p, row.raw.n, want)

static void test_csv(void)
{
	cx_rows *r = open_rows("a,b,c\n"
			       "1,\"x,y\",3\n"
			       "\"say \"\"hi\"\"\",,\"\"\n"
			       "\"two\nlines\",b,\"and\n\nthree\"\n"
			       "\n"
			       " sp , \"q\" ,tail \n"
			       "last,row,no newline",
			       CX_FROM_CSV, 0, NULL);
	CHECK_STR(cx_rows_name(r), tmp_paths[ntmp - 1]);
	CHECK_STR(header(r), "a|b|c");
	CHECK_STR(next(r), "2:1|x,y|3");
	CHECK_RAW("1,\"x,y\",3");
	CHECK_STR(next(r), "3:say \"hi\"||");
	CHECK_RAW("\"say \"\"hi\"\"\",,\"\"");
	/* A record over several lines: its first line, all its text. */
	CHECK_STR(next(r), "4:two\nlines|b|and\n\nthree");
	CHECK_RAW("\"two\nlines\",b,\"and\n\nthree\"");
	CHECK_INT(row.n, 3);
	/* The blank line 8 is passed over.  A space before a quote makes
	 * the field unquoted, so the quote in it is malformed in strict
	 * mode. */
	CHECK_STR(next(r), "9!malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
	CHECK_RAW(" sp , \"q\" ,tail ");
	CHECK(row.v == NULL && row.n == 0);
	CHECK_STR(next(r), "10:last|row|no newline");
	CHECK_STR(next(r), "EOF");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* Blanks around unquoted values are kept (libcsv would trim them);
	 * header names are trimmed. */
	r = open_rows(" a ,\tb\t, c\n 1 ,\t2\t,  3  \n", CX_FROM_CSV, 0, NULL);
	CHECK_STR(header(r), "a|b|c");
	CHECK_STR(next(r), "2: 1 |\t2\t|  3  ");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* Bad rows come out as errors; the reader goes on with the next
	 * line. */
	r = open_rows("a,b,c\n"
		      "1,\"x\"y,3\n"
		      "4,5,6\n"
		      "7,8\n"
		      "1,2,3,4\n"
		      "q\"uote,2,3\n"
		      "\"ok\nstill\",2,3\n"
		      "\"m\nn\"x,2,3\n"
		      "after,the,error\n",
		      CX_FROM_CSV, 0, NULL);
	CHECK_STR(next(r), "2!malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
	CHECK_RAW("1,\"x\"y,3");
	CHECK_STR(next(r), "3:4|5|6");
	CHECK_STR(next(r), "4!expected 3 fields, found 2");
	CHECK_RAW("7,8");
	CHECK_STR(next(r), "5!expected 3 fields, found 4");
	CHECK_STR(next(r), "6!malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
	CHECK_STR(next(r), "7:ok\nstill|2|3");
	/* Malformed on the second line of a record: both lines in raw. */
	CHECK_STR(next(r), "9!malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
	CHECK_RAW("\"m\nn\"x,2,3");
	CHECK_STR(next(r), "11:after|the|error");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* A quote left open at the end of the file. */
	r = open_rows("a,b\n1,2\n3,\"open\n\nmore\n", CX_FROM_CSV, 0, NULL);
	CHECK_STR(next(r), "2:1|2");
	CHECK_STR(next(r), "3!unterminated quoted field");
	CHECK_RAW("3,\"open\n\nmore");
	CHECK_STR(next(r), "EOF");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* Skipped lines before the header; line numbers stay the file's. */
	r = open_rows("exported by X\n\"junk,\"\nid,v\n1,2\n", CX_FROM_CSV, 2, NULL);
	CHECK_STR(header(r), "id|v");
	CHECK_STR(next(r), "4:1|2");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* A one-column file: an empty quoted value is a row. */
	r = open_rows("only\n\"\"\nx\n", CX_FROM_CSV, 0, NULL);
	CHECK_STR(next(r), "2:");
	CHECK_INT(row.n, 1);
	CHECK_STR(next(r), "3:x");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* UTF-8 BOM on the header. */
	r = open_rows("\xEF\xBB\xBFid,name\n1,\xE4\xB8\xAD\n", CX_FROM_CSV, 0, NULL);
	CHECK_STR(header(r), "id|name");
	CHECK_STR(next(r), "2:1|\xE4\xB8\xAD");
	cx_rows_close(r);
}

static void test_csv_crlf(void)
{
	cx_rows *r = open_rows("a,b\r\n1,2\r\n\"x\r\ny\",\"q\"\r\n3,4", CX_FROM_CSV, 0, NULL);
	CHECK_STR(header(r), "a|b");
	CHECK_STR(next(r), "2:1|2");
	/* A CR LF inside quotes is data. */
	CHECK_STR(next(r), "3:x\r\ny|q");
	CHECK_STR(next(r), "5:3|4");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* row.raw drops the CR of a CR LF line end (as tsv and jsonl do), and
	 * a blank CR LF line is passed over like a blank LF line, so the next
	 * row keeps its own line number. */
	r = open_rows("a,b\r\n1,2\r\n\r\n3,4\r\n", CX_FROM_CSV, 0, NULL);
	CHECK_STR(next(r), "2:1|2");
	CHECK_RAW("1,2");
	CHECK_STR(next(r), "4:3|4");
	CHECK_RAW("3,4");
	cx_rows_close(r);
}

static void test_tsv(void)
{
	cx_rows *r = open_rows("a\tb\tc\r\n"
			       "1\tx\\ty\t\\\\\r\n"
			       "2\t\t\n"
			       "3\t4\n"
			       "\n"
			       "5\tbad\\q\t6\n"
			       " s \t\xE4\xB8\xAD\tlast",
			       CX_FROM_TSV, 0, NULL);
	CHECK_STR(header(r), "a|b|c");
	CHECK_STR(next(r), "2:1|x\ty|\\");
	CHECK_RAW("1\tx\\ty\t\\\\");	/* escaped, CR dropped */
	CHECK_STR(next(r), "3:2||");
	CHECK_STR(next(r), "4!expected 3 fields, found 2");
	CHECK_RAW("3\t4");
	/* A blank line holds no record when there is more than one column:
	 * passed over, as CSV and JSON Lines do. */
	CHECK_STR(next(r), "6!invalid backslash escape (a backslash must be followed by t, n, r or a backslash)");
	CHECK_RAW("5\tbad\\q\t6");
	CHECK_STR(next(r), "7: s |\xE4\xB8\xAD|last");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* Header names are unescaped and trimmed. */
	r = open_rows(" x \ty\\tz\n1\t2\n", CX_FROM_TSV, 0, NULL);
	CHECK_STR(header(r), "x|y\tz");
	cx_rows_close(r);
}

static void test_jsonl(void)
{
	cx_rows *r = open_rows("{\"b\":1,\"a\":\"x\",\"c\":null}\n"
			       "\n"
			       "  \t\n"
			       "{\"a\":\"y\"}\r\n"
			       "{\"a\":\"z\",\"d\":2}\n"
			       "{\"c\":true,\"b\":[1, 2],\"a\":{\"k\": \"v\"}}\n"
			       "not json\n"
			       "{\"a\":\"\\u4e2d\\t\"}",
			       CX_FROM_JSONL, 0, NULL);
	/* The keys of the first object, in its order. */
	CHECK_STR(header(r), "b|a|c");
	CHECK_STR(next(r), "1:1|x|");
	CHECK_RAW("{\"b\":1,\"a\":\"x\",\"c\":null}");
	/* Blank lines are passed over; missing keys are empty. */
	CHECK_STR(next(r), "4:|y|");
	CHECK_RAW("{\"a\":\"y\"}");
	CHECK_STR(next(r), "5!key 'd' is not in the header (the keys of the first object)");
	CHECK_STR(next(r), "6:[1,2]|{\"k\":\"v\"}|1");
	CHECK_STR(next(r), "7!col 1: expected '{' (a record is a JSON object), found 'not'");
	CHECK_RAW("not json");
	CHECK_STR(next(r), "8:|\xE4\xB8\xAD\t|");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* --fields declares the header; the first object is a row. */
	r = open_rows("{\"b\":1,\"a\":\"x\"}\n{\"a\":\"y\",\"d\":2}\n{\"e\":0}\n", CX_FROM_JSONL, 0,
		      "a,d,b");
	CHECK_STR(header(r), "a|d|b");
	CHECK_STR(next(r), "1:x||1");
	CHECK_STR(next(r), "2:y|2|");
	CHECK_STR(next(r), "3!key 'e' is not in the header (--fields)");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* Leading blank lines and skipped lines before the first object. */
	r = open_rows("skip me\n\n{\"x\":\"1\"}\n{\"x\":\"2\"}\n", CX_FROM_JSONL, 1, NULL);
	CHECK_STR(header(r), "x");
	CHECK_STR(next(r), "3:1");
	CHECK_STR(next(r), "4:2");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);

	/* A declared header over an empty input: no rows. */
	r = open_rows("", CX_FROM_JSONL, 0, "a,b");
	CHECK_STR(header(r), "a|b");
	CHECK_STR(next(r), "EOF");
	cx_rows_close(r);
}

/* --- headers that end the program --- */

struct open_args {
	const char *text;
	cx_from from;
	const char *fields;
	const char *path;	/* made by run_open */
};

/* Kept in a static for LeakSanitizer when the child dies. */
static cx_rows *child_rows;

static void die_open(void *arg)
{
	const struct open_args *a = arg;
	child_rows = cx_rows_open(a->path, a->from, NULL, 0, a->fields);
}

/* The file is made here, in the parent, so that it is removed. */
static int run_open(struct open_args *a)
{
	a->path = tmp_text(a->text);
	return run_child(die_open, a);
}

static void test_dying(void)
{
	/* Each bad header ends the program with status 3; err, when given,
	 * is in what it says. */
	static const struct {
		const char *text;
		cx_from from;
		const char *fields;
		const char *err;
	} bad[] = {
		{ "", CX_FROM_CSV, NULL, "empty input: expected a header" },
		{ "\n\n", CX_FROM_CSV, NULL, "empty input" },
		{ "a,,c\n", CX_FROM_CSV, NULL, ":1: header: column 2 has an empty name" },
		{ "a,b, a \n", CX_FROM_CSV, NULL, "duplicate column name 'a' (columns 1 and 3)" },
		{ "\"a\"x,b\n", CX_FROM_CSV, NULL, "header: malformed quoting" },
		{ "a\tb\\q\n", CX_FROM_TSV, NULL, "header: invalid backslash escape" },
		{ "", CX_FROM_TSV, NULL, NULL },
		{ "", CX_FROM_JSONL, NULL, "empty input" },
		{ "[1,2]\n", CX_FROM_JSONL, NULL, ":1: header: col 1:" },
		{ "{\"a\":1}\n", CX_FROM_JSONL, "a,,b", "column 2 has an empty name" },
		{ "{\"a\":1}\n", CX_FROM_JSONL, "a,b,a", "duplicate column name 'a'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct open_args a = { bad[i].text, bad[i].from, bad[i].fields, NULL };
		int st = run_open(&a);
		CHECK_INT(st, 3);
		if (st != 3)
			fprintf(stderr, "  (header \"%s\")\n", bad[i].text);
		if (bad[i].err)
			CHECK_ERR_HAS(bad[i].err);
	}
	/* A good header: the child returns. */
	struct open_args a = { "{\"a\":1}\n", CX_FROM_JSONL, "a,b", NULL };
	CHECK_INT(run_open(&a), 99);
	CHECK_STR(child_err, "");
}

/* --- formats by name --- */

static int guess(const char *path)
{
	cx_from f = (cx_from)-1;
	if (cx_from_guess(path, &f) != 0)
		return -1;
	return (int)f;
}

static int parse_from(const char *name)
{
	cx_from f = (cx_from)-1;
	if (cx_from_parse(name, &f) != 0)
		return -1;
	return (int)f;
}

static void test_from(void)
{
	CHECK_INT(guess("a.csv"), CX_FROM_CSV);
	CHECK_INT(guess("A.CSV"), CX_FROM_CSV);
	CHECK_INT(guess("b.tsv.gz"), CX_FROM_TSV);
	CHECK_INT(guess("b.TSV.GZ"), CX_FROM_TSV);
	CHECK_INT(guess("c.jsonl"), CX_FROM_JSONL);
	CHECK_INT(guess("c.ndjson"), CX_FROM_JSONL);
	CHECK_INT(guess("c.json"), CX_FROM_JSONL);
	CHECK_INT(guess("d.txt"), CX_FROM_TSV);
	CHECK_INT(guess("d.tab"), CX_FROM_TSV);
	CHECK_INT(guess("/x/y.z/2024.01.csv"), CX_FROM_CSV);
	CHECK_INT(guess("e"), -1);
	CHECK_INT(guess("dir.csv/f"), -1);
	CHECK_INT(guess("dir.csv/f.gz"), -1);
	CHECK_INT(guess("e.gz"), -1);
	CHECK_INT(guess("e.xlsx"), -1);
	CHECK_INT(guess("e.csvx"), -1);
	CHECK_INT(guess("e."), -1);
	CHECK_INT(guess(""), -1);
	CHECK_INT(guess("-"), -1);
	CHECK_INT(guess("e.averylongextension"), -1);
	CHECK_INT(parse_from("csv"), CX_FROM_CSV);
	CHECK_INT(parse_from("tsv"), CX_FROM_TSV);
	CHECK_INT(parse_from("jsonl"), CX_FROM_JSONL);
	CHECK_INT(parse_from("json"), CX_FROM_JSONL);
	CHECK_INT(parse_from("ndjson"), CX_FROM_JSONL);
	CHECK_INT(parse_from("CSV"), -1);	/* names on the command line are lower case */
	CHECK_INT(parse_from("txt"), -1);
	CHECK_INT(parse_from(""), -1);
}

int main(void)
{
	test_csv();
	test_csv_crlf();
	test_tsv();
	test_jsonl();
	test_dying();
	test_from();
	remove_tmp_files();
	return unit_done("test_rows");
}
