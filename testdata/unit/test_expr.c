/* test_expr: the filter-expression compiler and evaluator (lib/query/expr*.c):
 * the tree each text compiles to (as the printer writes it, and that the
 * printed text compiles to the same), the messages and columns of
 * mistakes, and evaluation on records. */
#define TESTIO_TMP "/tmp/cx-test-expr"
#include <stdlib.h>
#include <string.h>

#include "core/cxtime.h"
#include "io/stream.h"
#include "query/expr.h"
#include "testio.h"
#include "unit.h"

/* The canonical text of src, or "L:C: message" for a mistake.  Checks on
 * the way that the canonical text compiles to itself. */
static const char *canon(const char *src)
{
	static cx_buf out = CX_BUF_INIT;
	cx_expr_error err;
	cx_buf_reset(&out);
	cx_expr *e = cx_expr_parse(src, strlen(src), &err);
	if (!e) {
		cx_buf b = CX_BUF_INIT;
		cx_expr_error_format(&b, src, strlen(src), &err);
		/* "expression:L:C: msg\n..." -> "L:C: msg" */
		char *nl = strchr(b.p, '\n');
		cx_buf_add(&out, b.p + strlen("expression:"), (size_t)(nl - b.p) - strlen("expression:"));
		cx_buf_free(&b);
		return out.p;
	}
	cx_expr_print(e, &out);
	cx_expr_free(e);
	cx_expr *again = cx_expr_parse(out.p, out.len, &err);
	CHECK(again != NULL);
	if (again) {
		cx_buf b = CX_BUF_INIT;
		cx_expr_print(again, &b);
		if (strcmp(b.p, out.p) != 0) {
			fprintf(stderr, "reprint of '%s': '%s' then '%s'\n", src, out.p, b.p);
			unit_fail++;
		}
		cx_buf_free(&b);
		cx_expr_free(again);
	}
	return out.p;
}

/* The ids (first field) of the records of tsv for which src holds. */
static const char *selected(const char *src, const char *tsv)
{
	static cx_buf out = CX_BUF_INIT;
	cx_expr_error err;
	cx_buf_reset(&out);
	cx_expr *e = cx_expr_parse(src, strlen(src), &err);
	if (!e) {
		fprintf(stderr, "parse '%s': %s\n", src, err.msg);
		return "(error)";
	}
	char *path = tmp_text(tsv);
	cx_reader *r = cx_reader_open(&path, 1);
	cx_reader_split(r, cx_expr_bind(e, r));
	cx_buf id = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		if (!cx_expr_eval(e, r))
			continue;
		cx_slice s = cx_rec_get(r, 0, &id);
		if (out.len)
			cx_buf_addc(&out, ' ');
		cx_buf_add(&out, s.p, s.n);
	}
	cx_buf_free(&id);
	cx_reader_close(r);
	cx_expr_free(e);
	return out.p ? out.p : "";
}

static void test_trees(void)
{
	CHECK_STR(canon("a == 1"), "a == 1");
	CHECK_STR(canon("  a==\"x\"&&b!=2.50||!c<3"), "((a == \"x\" && b != 2.50) || !c < 3)");
	CHECK_STR(canon("a == 1 && b == 2 && c == 3"), "(a == 1 && b == 2 && c == 3)");
	CHECK_STR(canon("(a == 1 && b == 2) && c == 3"), "((a == 1 && b == 2) && c == 3)");
	CHECK_STR(canon("a == 1 || b == 2 && c == 3"), "(a == 1 || (b == 2 && c == 3))");
	CHECK_STR(canon("!(a == 1) || !!b >= -1e3"), "(!a == 1 || !!b >= -1e3)");
	/* Lists and ranges are compiled to || and &&. */
	CHECK_STR(canon("r in (\"n\", \"e\", 3)"), "(r == \"n\" || r == \"e\" || r == 3)");
	CHECK_STR(canon("r in (\"n\")"), "r == \"n\"");
	CHECK_STR(canon("c in 1..5"), "(c >= 1 && c <= 5)");
	CHECK_STR(canon("t in 2024-04-01..2024-04-07"), "(t >= 2024-04-01 && t <= 2024-04-07)");
	/* A time literal on the left is moved right, the operator mirrored. */
	CHECK_STR(canon("2024-04-01 < t"), "t > 2024-04-01");
	CHECK_STR(canon("2024-04-01T10:00:00+08:00 >= t"), "t <= 2024-04-01T10:00:00+08:00");
	/* Names: backquoted where they must be, bare where they can. */
	CHECK_STR(canon("`产品` ~ \"漏水|退款\""), "`产品` ~ \"漏水|退款\"");
	CHECK_STR(canon("`a b` == `x`"), "`a b` == x");
	CHECK_STR(canon("`1st` == in"), "`1st` == in");
	CHECK_STR(canon("missing(a) && present(`b c`)"), "(missing(a) && present(`b c`))");
	CHECK_STR(canon("missing == 1"), "missing == 1");
	/* Strings: escapes, and other backslash pairs kept. */
	CHECK_STR(canon("a == \"q\\\"\\\\\\t\\n\""), "a == \"q\\\"\\\\\\t\\n\"");
	CHECK_STR(canon("a ~ \"\\d+\""), "a ~ \"\\\\d+\"");
	CHECK_STR(canon("a !~ \"\""), "a !~ \"\"");
	/* Literals. */
	CHECK_STR(canon("a == 20240305"), "a == 20240305");
	CHECK_STR(canon("a == .5 || a == +2"), "(a == .5 || a == +2)");
	CHECK_STR(canon("1 == 1"), "1 == 1");
}

static void test_errors(void)
{
	CHECK_STR(canon(""), "1:1: empty expression");
	CHECK_STR(canon(" \n "), "1:1: empty expression");
	CHECK_STR(canon("a == )"), "1:6: expected a value after '==', found ')'");
	CHECK_STR(canon("product == "), "1:12: expected a value after '==', found the end of the expression");
	CHECK_STR(canon("a"), "1:2: expected a comparison operator (==, !=, <, <=, >, >=, ~, !~ or in) after 'a', "
			       "found the end of the expression");
	CHECK_STR(canon("a == \"x"), "1:6: unterminated string (no closing '\"')");
	CHECK_STR(canon("`名 == 1"), "1:1: unterminated field name (no closing '`')");
	/* Columns count characters, on the line of the mistake. */
	CHECK_STR(canon("`名称` == \"退款\" &&\n  `x` ~ \"(\""), "2:11: bad regular expression: missing closing parenthesis");
	CHECK_STR(canon("`名称` = 1"), "1:6: '=' is not an operator; a comparison is '=='");
	CHECK_STR(canon("f(a)"), "1:1: unknown function 'f' (there are missing() and present())");
	CHECK_STR(canon("a == 1 b"), "1:8: unexpected 'b' after a complete expression (a missing '&&' or '||'?)");
	CHECK_STR(canon("a == 1)"), "1:7: unmatched ')'");
	CHECK_STR(canon("t > 2024-02-30"), "1:5: bad time literal '2024-02-30': day out of range for month");
	CHECK_STR(canon("t > 12x"), "1:5: bad number '12x': not a number");
	CHECK_STR(canon("2024-01-01 == 3"), "1:12: a time literal is compared with a field, not with '3'");
	CHECK_STR(canon("a in (b)"), "1:7: expected a string, a number or a time in the list, found 'b'");
	CHECK_STR(canon("a in 1"), "1:7: expected '..' in the range after 'in', found the end of the expression");
	CHECK_STR(canon("\"a\" ~ \"b\""), "1:5: the left side of '~' must be a field, not '\"a\"'");
	CHECK_STR(canon("a == \"\xff\""), "1:7: the expression is not UTF-8 (byte 7)");
	CHECK_STR(canon("a == \"\x01"), "1:6: unterminated string (no closing '\"')");
	CHECK_STR(canon("a == 1 \x01"), "1:8: unexpected character '\\x01'");

	/* The caret line pads a wide character with two columns. */
	cx_expr_error err;
	const char *src = "`名称` == )";
	CHECK(cx_expr_parse(src, strlen(src), &err) == NULL);
	cx_buf b = CX_BUF_INIT;
	cx_expr_error_format(&b, src, strlen(src), &err);
	CHECK_STR(b.p, "expression:1:9: expected a value after '==', found ')'\n  `名称` == )\n            ^");
	cx_buf_free(&b);

	/* Nesting is bounded. */
	char deep[400];
	memset(deep, '(', 101);
	strcpy(deep + 101, "a == 1");
	memset(deep + 107, ')', 101);
	deep[208] = '\0';
	CHECK_STR(canon(deep), "1:101: expression nested too deep (more than 100 levels)");
	deep[0] = ' ';
	deep[207] = '\0';
	CHECK(strchr(canon(deep), ':') == NULL);
}

static const char data[] =
	"id\tn\ts\tt\ttext\n"
	"1\t2\tb\t2024-03-10T00:30:00-05:00\t漏水了\n"
	"2\t10\t10\t2024-03-11T03:59:59+00:00\tok\n"
	"3\t2.0\t\t2024-03-11T04:00:00+00:00\ta\\tb\n"
	"4\t\thigh\t\tNoise\n"
	"5\tx\t2\t2024-03-09T23:59:59-05:00\t\n";

static void test_eval(void)
{
	/* Numbers compare as numbers, else as bytes. */
	CHECK_STR(selected("n == 2", data), "1 3");
	CHECK_STR(selected("n > 2", data), "2 5");	/* 10 > 2; 'x' > '2' */
	CHECK_STR(selected("n == \"2\"", data), "1");
	CHECK_STR(selected("s < n", data), "5");	/* '2' < 'x' as bytes */
	CHECK_STR(selected("s > n", data), "1");
	/* Missing values. */
	CHECK_STR(selected("n != 2", data), "2 5");
	CHECK_STR(selected("!(n == 2)", data), "2 4 5");
	CHECK_STR(selected("s == \"\"", data), "3");
	CHECK_STR(selected("s != \"\"", data), "1 2 4 5");
	CHECK_STR(selected("missing(t) || missing(text)", data), "4 5");
	CHECK_STR(selected("present(s) && present(n)", data), "1 2 5");
	/* Regular expressions, on the unescaped value. */
	CHECK_STR(selected("text ~ \"漏水\"", data), "1");
	CHECK_STR(selected("text ~ \"\\t\"", data), "3");
	CHECK_STR(selected("text ~ \"^\\w+$\"", data), "1 2 4");
	CHECK_STR(selected("text !~ \"o\"", data), "1 3");
	/* Lists, ranges. */
	CHECK_STR(selected("s in (\"b\", 10, \"high\")", data), "1 2 4");
	CHECK_STR(selected("n in 2..10", data), "1 2 3");
	/* Time: days in the zone in force. */
	CHECK(cx_tz_set("America/New_York", NULL) == 0);
	CHECK_STR(selected("t == 2024-03-10", data), "1 2");
	CHECK_STR(selected("t in 2024-03-09..2024-03-10", data), "1 2 5");
	CHECK_STR(selected("t > 2024-03-10", data), "3");
	CHECK_STR(selected("t < 2024-03-10", data), "5");
	CHECK_STR(selected("t >= 2024-03-11T00:00", data), "3");
	CHECK_STR(selected("t == 2024-03", data), "1 2 3 5");
	CHECK(cx_tz_set("UTC", NULL) == 0);
	CHECK_STR(selected("t == 2024-03-10", data), "1 5");
	/* A field used twice is read once per record, and each record anew. */
	CHECK_STR(selected("n == 2 || n == 10 || n ~ \"x\"", data), "1 2 3 5");
}

int main(void)
{
	test_trees();
	test_errors();
	test_eval();
	remove_tmp_files();
	return unit_done("test_expr");
}
