/* Unit tests for render/markup (escaping for HTML and SVG) and io/table
 * (a small stream held in memory). */
#include <math.h>
#include <stdlib.h>

#define TESTIO_TMP "/tmp/cx-test-markup"
#include "io/table.h"
#include "render/markup.h"
#include "testio.h"

static void check_escape(const char *in, size_t n, const char *want)
{
	cx_buf b = CX_BUF_INIT;
	cx_markup_text(&b, in, n);
	CHECK_MEM(b.p ? b.p : "", b.len, want);
	cx_buf_free(&b);
}

static void test_escape(void)
{
	check_escape("", 0, "");
	check_escape("plain 中文", strlen("plain 中文"), "plain 中文");
	check_escape("</script><img src=x onerror=alert(1)>", 37,
		     "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
	check_escape("a\"b'c&d", 7, "a&quot;b&#39;c&amp;d");
	check_escape("]]>", 3, "]]&gt;");
	check_escape("&amp;", 5, "&amp;amp;");
	/* C0 controls other than tab and newline are not XML; CR is a space */
	check_escape("a\001b\tc\nd\re\0f", 11, "ab\tc\nd ef");
	/* bad UTF-8: a lone continuation, a truncated sequence, an overlong,
	 * a surrogate; each bad lead byte becomes one U+FFFD */
	check_escape("\x80", 1, "\xEF\xBF\xBD");
	check_escape("x\xE4\xB8", 3, "x\xEF\xBF\xBD\xEF\xBF\xBD");
	check_escape("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD");
	check_escape("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	/* the XML noncharacters U+FFFE and U+FFFF are dropped */
	check_escape("a\xEF\xBF\xBE\xEF\xBF\xBFz", 8, "az");

	cx_buf b = CX_BUF_INIT;
	cx_markup_text_cut(&b, "产品线A<", strlen("产品线A<"), 20);
	CHECK_STR(b.p, "产品线A&lt;");
	cx_buf_reset(&b);
	/* 8 columns: three ideographs (6) and the ellipsis (1) */
	cx_markup_text_cut(&b, "产品线很长的名字", strlen("产品线很长的名字"), 8);
	CHECK_STR(b.p, "产品线…");
	cx_buf_reset(&b);
	cx_markup_texts(&b, "<b>");
	CHECK_STR(b.p, "&lt;b&gt;");
	cx_buf_free(&b);
}

static void test_table(void)
{
	const char *path = tmp_text("product\tn\tnote\nA\t3\tx\\ty\nB\t\t\n中\t1.5\t\n");
	char *paths[] = { (char *)path };
	cx_table *t = cx_table_load(paths, 1, 0, NULL);
	CHECK_INT(t->nfields, 3);
	CHECK_INT(t->nrows, 3);
	CHECK_INT(cx_table_find(t, "n"), 1);
	CHECK_INT(cx_table_find(t, "nope"), -1);
	cx_slice s = cx_table_cell(t, 0, 2);
	CHECK_MEM(s.p, s.n, "x\ty");
	s = cx_table_cell(t, 2, 0);
	CHECK_MEM(s.p, s.n, "中");
	double v = 0;
	CHECK_INT(cx_table_num(t, 0, 1, &v), 1);
	CHECK(v == 3);
	CHECK_INT(cx_table_num(t, 1, 1, &v), 0);
	CHECK_INT(cx_table_num(t, 2, 1, &v), 1);
	CHECK(v == 1.5);
	CHECK_INT(t->line[2], 4);
	cx_table_free(t);
}

static const char *limit_path;
static void load_limited(void *arg)
{
	(void)arg;
	char *paths[] = { (char *)limit_path };
	cx_table_load(paths, 1, 2, "--max-rows");
}

static const char *bad_path;
static void load_bad_number(void *arg)
{
	(void)arg;
	char *paths[] = { (char *)bad_path };
	cx_table *t = cx_table_load(paths, 1, 0, NULL);
	double v;
	cx_table_num(t, 1, 0, &v);
}

static void need_missing(void *arg)
{
	(void)arg;
	char *paths[] = { (char *)bad_path };
	cx_table *t = cx_table_load(paths, 1, 0, NULL);
	cx_table_need(t, "y");
}

static void test_table_errors(void)
{
	limit_path = tmp_text("a\n1\n2\n3\n");
	CHECK_INT(run_child(load_limited, NULL), 3);
	CHECK_ERR_HAS("more than 2 records");
	CHECK_ERR_HAS("--max-rows raises the limit");
	CHECK_ERR_HAS(":4:");
	bad_path = tmp_text("x\n1\nabc\n");
	CHECK_INT(run_child(load_bad_number, NULL), 3);
	CHECK_ERR_HAS(":3: field 'x':");
	CHECK_ERR_HAS("'abc'");
	CHECK_INT(run_child(need_missing, NULL), 2);
	CHECK_ERR_HAS("no field 'y'");
	CHECK_ERR_HAS("fields are: x");
}

int main(void)
{
	test_escape();
	test_table();
	test_table_errors();
	remove_tmp_files();
	return unit_done("test_markup");
}
