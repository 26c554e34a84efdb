/*
 * test_format: every output format on small record sets, written through
 * cx_output_open(path) to a temporary file and compared byte for byte:
 * table alignment with CJK and numbers, markdown escaping, CSV quoting,
 * JSON Lines nulls and --numbers, cutting to --max-width, and bad escapes
 * refused (in a forked child).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "io/format.h"
#include "io/output.h"
#include "io/stream.h"
#include "unit.h"
#include "testio.h"

static char path[64];

/* What was written to path. */
static const char *written(void)
{
	static cx_buf b = CX_BUF_INIT;
	return slurp(path, &b) < 0 ? "(no file)" : b.p;
}

/* Header names[0..n) and nrows records of n escaped cells, through the
 * named format; the bytes written. */
static const char *render_opts(const char *fmt, const cx_format_opts *opts, char *const *names, size_t n,
			       const char *const *cells, size_t nrows)
{
	cx_output *o = cx_output_open(path);
	cx_format *f = cx_format_new(fmt, o, opts);
	if (!f) {
		cx_output_close(o);
		return "(no format)";
	}
	cx_format_header(f, names, n);
	cx_slice *v = calloc(n ? n : 1, sizeof *v);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t i = 0; i < n; i++) {
			v[i].p = cells[r * n + i];
			v[i].n = strlen(cells[r * n + i]);
		}
		cx_format_row(f, v, n);
	}
	free(v);
	cx_format_end(f);
	cx_output_close(o);
	return written();
}

static const char *render(const char *fmt, char *const *names, size_t n, const char *const *cells, size_t nrows)
{
	cx_format_opts opts = { 0 };
	return render_opts(fmt, &opts, names, n, cells, nrows);
}

/* The small record set most tests use: CJK, numbers, an escaped tab, an
 * empty value. */
static char *const names3[] = { "id", "name", "amount" };
static const char *const cells3[] = {
	"1", "\xE5\xBC\xA0\xE4\xB8\x89", "12.5",	/* 张三 */
	"22", "Bob", "-3",
	"333", "a\\tb", "",
};

static void test_table(void)
{
	CHECK_STR(render("table", names3, 3, cells3, 3),
		  "id   name  amount\n"
		  "  1  \xE5\xBC\xA0\xE4\xB8\x89    12.5\n"
		  " 22  Bob       -3\n"
		  "333  a\\tb        \n");

	/* CJK counts two columns; a column with text is left-aligned even
	 * where a cell looks like a number; the last column is not padded. */
	char *const names[] = { "\xE6\x89\x8B\xE6\x9C\xBA", "n", "note" };	/* 手机 */
	const char *const cells[] = {
		"phone", "50%", "\xE9\x80\x80\xE6\xAC\xBE",	/* 退款 */
		"\xEF\xBD\xB1", "+7", "12",			/* ｱ (one column) */
		"\xEF\xBC\xA1\xEF\xBC\xA1", "1.2.3", "x",	/* ＡＡ */
	};
	CHECK_STR(render("table", names, 3, cells, 3),
		  "\xE6\x89\x8B\xE6\x9C\xBA   n      note\n"
		  "phone  50%    \xE9\x80\x80\xE6\xAC\xBE\n"
		  "\xEF\xBD\xB1      +7     12\n"
		  "\xEF\xBC\xA1\xEF\xBC\xA1   1.2.3  x\n");

	/* What counts as a number: a sign, digits, one dot, a final %. */
	char *const nums[] = { "a", "b", "c", "d" };
	const char *const nc[] = {
		"-1.5", "50%", "1.2.3", "+",
		"100", "5%55", "7", "3",
	};
	CHECK_STR(render("table", nums, 4, nc, 2),
		  "a     b     c      d\n"
		  "-1.5  50%   1.2.3  +\n"
		  " 100  5%55  7      3\n");
	/* Only the header: no rows, no padding of the last name. */
	CHECK_STR(render("table", names3, 3, NULL, 0), "id  name  amount\n");
	/* A header name wider than every value sets the width. */
	char *const wide[] = { "a very long name", "z" };
	const char *const c2[] = { "7", "q" };
	CHECK_STR(render("table", wide, 2, c2, 1),
		  "a very long name  z\n"
		  "               7  q\n");
}

static void test_table_max_width(void)
{
	char *const names[] = { "long", "cjk" };
	const char *const cells[] = {
		"abcdefgh", "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97",	/* 中文字: 6 columns */
		"abcde", "\xE4\xB8\xAD\xE6\x96\x87",			/* 中文: 4 columns */
	};
	cx_format_opts opts = { .max_width = 5 };
	/* Longer than 5: cut to 4 columns and "…"; exactly 5 stays. */
	CHECK_STR(render_opts("table", &opts, names, 2, cells, 2),
		  "long   cjk\n"
		  "abcd\xE2\x80\xA6  \xE4\xB8\xAD\xE6\x96\x87\xE2\x80\xA6\n"
		  "abcde  \xE4\xB8\xAD\xE6\x96\x87\n");
	/* Cut before a wide character that would overflow: 中文字 at 4 is
	 * 中 (2) + … (1). */
	opts.max_width = 4;
	CHECK_STR(render_opts("table", &opts, names, 2, cells, 2),
		  "long  cjk\n"
		  "abc\xE2\x80\xA6  \xE4\xB8\xAD\xE2\x80\xA6\n"
		  "abc\xE2\x80\xA6  \xE4\xB8\xAD\xE6\x96\x87\n");
	/* A limit of 1 is taken as 2 (one character and the mark). */
	opts.max_width = 1;
	const char *const ascii[] = { "abcdefgh", "xyz" };
	CHECK_STR(render_opts("table", &opts, names, 2, ascii, 1),
		  "l\xE2\x80\xA6  c\xE2\x80\xA6\n"
		  "a\xE2\x80\xA6  x\xE2\x80\xA6\n");

	/* Whether a column is numeric (right-aligned) is judged on the whole
	 * value, not on the cut prefix: "1234567x" cut to "1234…" is still
	 * text, and 中文字 cut to "…" is not an empty cell. */
	char *const code[] = { "code", "t" };
	const char *const codes[] = { "1234567x", "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97",
				      "12", "ab" };
	opts.max_width = 5;
	CHECK_STR(render_opts("table", &opts, code, 2, codes, 2),
		  "code   t\n"
		  "1234\xE2\x80\xA6  \xE4\xB8\xAD\xE6\x96\x87\xE2\x80\xA6\n"
		  "12     ab\n");
	opts.max_width = 1;
	CHECK_STR(render_opts("table", &opts, names, 2, cells, 1),
		  "l\xE2\x80\xA6  c\xE2\x80\xA6\n"
		  "a\xE2\x80\xA6  \xE2\x80\xA6\n");
}

static void test_markdown(void)
{
	CHECK_STR(render("markdown", names3, 3, cells3, 3),
		  "| id  | name | amount |\n"
		  "|----:|:-----|-------:|\n"
		  "|   1 | \xE5\xBC\xA0\xE4\xB8\x89 |   12.5 |\n"
		  "|  22 | Bob  |     -3 |\n"
		  "| 333 | a b  |        |\n");

	/* Pipes escaped, newlines as <br>, CR dropped, tab as a space. */
	char *const names[] = { "k", "v" };
	const char *const cells[] = {
		"a|b", "l1\\nl2",
		"x\\r\\ny", "t\\tu|",
	};
	CHECK_STR(render("markdown", names, 2, cells, 2),
		  "| k      | v        |\n"
		  "|:-------|:---------|\n"
		  "| a\\|b   | l1<br>l2 |\n"
		  "| x<br>y | t u\\|    |\n");

	/* Header only: the separator is left-aligned (no rows to judge). */
	CHECK_STR(render("markdown", names, 2, NULL, 0),
		  "| k | v |\n"
		  "|:----|:----|\n");
}

static void test_csv(void)
{
	CHECK_STR(render("csv", names3, 3, cells3, 3),
		  "id,name,amount\n"
		  "1,\xE5\xBC\xA0\xE4\xB8\x89,12.5\n"
		  "22,Bob,-3\n"
		  "333,a\tb,\n");

	/* Quoted only when it must be: comma, quote, LF, CR. */
	char *const names[] = { "a,b", "c" };
	const char *const cells[] = {
		"x,y", "say \"hi\"",
		"two\\nlines", "cr\\r",
		" lead", "\"",
		"", "back\\\\slash",
	};
	CHECK_STR(render("csv", names, 2, cells, 4),
		  "\"a,b\",c\n"
		  "\"x,y\",\"say \"\"hi\"\"\"\n"
		  "\"two\nlines\",\"cr\r\"\n"
		  " lead,\"\"\"\"\n"
		  ",back\\slash\n");

	/* --bom and --crlf. */
	cx_format_opts opts = { .bom = 1, .crlf = 1 };
	const char *const one[] = { "1", "2" };
	CHECK_STR(render_opts("csv", &opts, names, 2, one, 1),
		  "\xEF\xBB\xBF\"a,b\",c\r\n"
		  "1,2\r\n");

	/* The formula guard of --bom and --excel, the header too. */
	CHECK(cx_csv_is_formula("=1+1", 4));
	CHECK(cx_csv_is_formula("@SUM(A1)", 8));
	CHECK(cx_csv_is_formula("+cmd", 4));
	CHECK(cx_csv_is_formula("-", 1));
	CHECK(cx_csv_is_formula("\tx", 2));
	CHECK(cx_csv_is_formula("\r=2", 3));
	CHECK(!cx_csv_is_formula("-3.5", 4));
	CHECK(!cx_csv_is_formula("+86", 3));
	CHECK(!cx_csv_is_formula("a=1", 3));
	CHECK(!cx_csv_is_formula("", 0));
	CHECK(!cx_csv_is_formula("\0=", 2));
	cx_format_opts guard = { .formula_guard = 1 };
	char *const hn[] = { "=h", "n" };
	const char *const hostile[] = { "=HYPERLINK(\"http://x\",\"y\")", "-3.5", "@a,b", "+1" };
	CHECK_STR(render_opts("csv", &guard, hn, 2, hostile, 2),
		  "'=h,n\n"
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5\n"
		  "\"'@a,b\",+1\n");
}

static void test_jsonl(void)
{
	CHECK_STR(render("jsonl", names3, 3, cells3, 3),
		  "{\"id\":\"1\",\"name\":\"\xE5\xBC\xA0\xE4\xB8\x89\",\"amount\":\"12.5\"}\n"
		  "{\"id\":\"22\",\"name\":\"Bob\",\"amount\":\"-3\"}\n"
		  "{\"id\":\"333\",\"name\":\"a\\tb\",\"amount\":null}\n");

	/* --numbers: JSON numbers by the JSON grammar only. */
	char *const names[] = { "n", "q\"k" };
	const char *const cells[] = {
		"12.5", "-3",
		"007", "1e5",
		"+1", ".5",
		"", "x\\ny\\\\",
	};
	cx_format_opts opts = { .numbers = 1 };
	CHECK_STR(render_opts("jsonl", &opts, names, 2, cells, 4),
		  "{\"n\":12.5,\"q\\\"k\":-3}\n"
		  "{\"n\":\"007\",\"q\\\"k\":1e5}\n"
		  "{\"n\":\"+1\",\"q\\\"k\":\".5\"}\n"
		  "{\"n\":null,\"q\\\"k\":\"x\\ny\\\\\"}\n");
	/* No rows: nothing at all, not even a header. */
	CHECK_STR(render("jsonl", names3, 3, NULL, 0), "");
}

static void test_tsv(void)
{
	/* The header is escaped; records pass through as they came. */
	char *const names[] = { "a\tb", "c\\" };
	const char *const cells[] = {
		"x\\ty", "",
		"\xE4\xB8\xAD", "z\\\\",
	};
	CHECK_STR(render("tsv", names, 2, cells, 2),
		  "a\\tb\tc\\\\\n"
		  "x\\ty\t\n"
		  "\xE4\xB8\xAD\tz\\\\\n");
}

static void test_kinds(void)
{
	CHECK_STR(cx_format_kind_at(0)->name, "table");	/* the default */
	const char *want[] = { "table", "tsv", "csv", "jsonl", "markdown" };
	size_t i = 0;
	for (; cx_format_kind_at(i); i++) {
		CHECK(i < 5 && !strcmp(cx_format_kind_at(i)->name, want[i]));
		CHECK(cx_format_kind_at(i)->help && cx_format_kind_at(i)->help[0]);
	}
	CHECK_INT(i, 5);
	cx_format_opts opts = { 0 };
	CHECK(cx_format_new("nope", NULL, &opts) == NULL);
	CHECK(cx_format_new("CSV", NULL, &opts) == NULL);
	CHECK(cx_format_new("", NULL, &opts) == NULL);
}

static const char *csv_put(const char *v, size_t n)
{
	cx_output *o = cx_output_open(path);
	cx_csv_put(o, v, n);
	cx_output_close(o);
	return written();
}

static void test_csv_put(void)
{
	CHECK_STR(csv_put("plain", 5), "plain");
	CHECK_STR(csv_put("", 0), "");
	CHECK_STR(csv_put("a,b", 3), "\"a,b\"");
	CHECK_STR(csv_put("\"", 1), "\"\"\"\"");
	CHECK_STR(csv_put("say \"hi\"", 8), "\"say \"\"hi\"\"\"");
	CHECK_STR(csv_put("\"\"", 2), "\"\"\"\"\"\"");
	CHECK_STR(csv_put("a\nb", 3), "\"a\nb\"");
	CHECK_STR(csv_put("a\rb", 3), "\"a\rb\"");
	CHECK_STR(csv_put(" x ", 3), " x ");
	CHECK_STR(csv_put("t\tb", 3), "t\tb");
	CHECK_STR(csv_put("\xE4\xB8\xAD,", 4), "\"\xE4\xB8\xAD,\"");
	CHECK_STR(csv_put("ab,cd", 2), "ab");	/* n bytes only */
}

/* --- bad escapes end the program --- */

/* Kept in statics for LeakSanitizer when the child dies. */
static cx_output *child_o;
static cx_format *child_f;

static void bad_row(void *arg)
{
	static char *const names[] = { "ok", "bad" };
	cx_slice v[2] = { { "fine", 4 }, { NULL, 0 } };
	v[1].p = arg;
	v[1].n = strlen(arg);
	cx_format_opts opts = { 0 };
	child_o = cx_output_open(path);
	child_f = cx_format_new(getenv("CX_TEST_FORMAT"), child_o, &opts);
	cx_format_header(child_f, names, 2);
	cx_format_row(child_f, v, 2);
	cx_format_end(child_f);
	cx_output_close(child_o);
}

static void test_bad_escapes(void)
{
	for (size_t i = 0; cx_format_kind_at(i); i++) {
		const char *name = cx_format_kind_at(i)->name;
		setenv("CX_TEST_FORMAT", name, 1);
		unlink(path);
		int st = run_child(bad_row, "x\\qy");
		CHECK_INT(st, 3);
		if (st != 3)
			fprintf(stderr, "  (format %s)\n", name);
		CHECK_ERR_HAS("field 'bad': invalid escape");
		CHECK_INT(run_child(bad_row, "trailing\\"), 3);
		/* Nothing is left under the name when a format dies. */
		CHECK_INT(access(path, F_OK), -1);
		/* The good escapes pass. */
		CHECK_INT(run_child(bad_row, "a\\t\\n\\r\\\\"), 99);
		CHECK_STR(child_err, "");
		CHECK_INT(access(path, F_OK), 0);
	}
	unsetenv("CX_TEST_FORMAT");
}

int main(void)
{
	char dir[] = "/tmp/cx-test-format-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/out", dir);
	test_table();
	test_table_max_width();
	test_markdown();
	test_csv();
	test_jsonl();
	test_tsv();
	test_kinds();
	test_csv_put();
	unlink(path);
	test_bad_escapes();
	unlink(path);
	rmdir(dir);
	return unit_done("test_format");
}
