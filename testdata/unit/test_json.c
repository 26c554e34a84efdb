/*
 * test_json: every rule of lib/io/json.h, accepted and rejected.  Each line is
 * parsed from a malloc'd copy of exactly its length with no NUL after it,
 * so under ASan a read past n is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "unit.h"

static cx_json_obj obj = CX_JSON_OBJ_INIT;
static cx_buf err = CX_BUF_INIT;
static cx_buf shown = CX_BUF_INIT;

static int parsen(const char *line, size_t n)
{
	char *copy = malloc(n ? n : 1);
	memcpy(copy, line, n);
	int rc = cx_json_parse_object(&obj, copy, n, &err);
	free(copy);
	return rc;
}

static int parse(const char *line)
{
	return parsen(line, strlen(line));
}

static const char *kind_name(enum cx_json_kind k)
{
	switch (k) {
	case CX_JSON_STRING: return "s";
	case CX_JSON_NUMBER: return "n";
	case CX_JSON_BOOL: return "b";
	case CX_JSON_NULL: return "z";
	case CX_JSON_OBJECT: return "o";
	case CX_JSON_ARRAY: return "a";
	}
	return "?";
}

/* The record as "key:kind=value|...": kind is s n b z o a. */
static const char *render(void)
{
	cx_buf_reset(&shown);
	cx_buf_grow(&shown, 1);
	shown.p[0] = '\0';
	for (size_t i = 0; i < obj.npairs; i++) {
		const cx_json_pair *p = &obj.pairs[i];
		if (i)
			cx_buf_addc(&shown, '|');
		cx_buf_add(&shown, obj.text.p + p->key_off, p->key_len);
		cx_buf_addf(&shown, ":%s=", kind_name(p->kind));
		cx_buf_add(&shown, obj.text.p + p->val_off, p->val_len);
	}
	return shown.p;
}

#define OK(line, want) do { \
	int rc_ = parse(line); \
	CHECK_INT(rc_, 0); \
	if (rc_) \
		fprintf(stderr, "  line %s: %s\n", line, err.p); \
	CHECK_STR(render(), want); \
} while (0)

#define BADN(line, n, msg) do { \
	CHECK_INT(parsen(line, n), -1); \
	CHECK_STR(err.p, msg); \
	CHECK_INT(obj.npairs, 0); \
} while (0)

#define BAD(line, msg) BADN(line, strlen(line), msg)

static void test_basic(void)
{
	OK("{}", "");
	OK(" {\t}\t\r", "");
	OK("{\"id\":1,\"text\":\"hi\"}", "id:n=1|text:s=hi");
	OK(" {  \"a\" :\t1 , \"b\" :\"x\" } ", "a:n=1|b:s=x");
	OK("{\"a\":1}\r", "a:n=1");
	OK("{\"a\":1}\r\n", "a:n=1");
	OK("{\"z\":1,\"a\":2,\"m\":3}", "z:n=1|a:n=2|m:n=3");
	OK("{\"\":\"\"}", ":s=");
	OK("{\"a\\u0062\":\"c\"}", "ab:s=c");

	/* Keys and values are NUL-terminated in text. */
	OK("{\"key\":\"value\",\"k2\":true}", "key:s=value|k2:b=1");
	CHECK_STR(cx_json_key(&obj, 0), "key");
	CHECK_STR(cx_json_val(&obj, 0), "value");
	CHECK_STR(cx_json_key(&obj, 1), "k2");
	CHECK_STR(cx_json_val(&obj, 1), "1");
	CHECK_INT(obj.pairs[0].key_len, 3);
	CHECK_INT(obj.pairs[0].val_len, 5);
}

static void test_strings(void)
{
	OK("{\"text\":\"物流太慢了\"}", "text:s=物流太慢了");
	OK("{\"text\":\"\\u7269\\u6d41\\u592a\\u6162\\u4e86\"}", "text:s=物流太慢了");
	OK("{\"text\":\"\\u7269流\\u592A慢\\u4E86\"}", "text:s=物流太慢了");
	OK("{\"e\":\"\\ud83d\\ude00\"}", "e:s=\xf0\x9f\x98\x80");
	OK("{\"e\":\"\\uD83D\\uDE00!\"}", "e:s=\xf0\x9f\x98\x80!");
	OK("{\"e\":\"\xf0\x9f\x98\x80\"}", "e:s=\xf0\x9f\x98\x80");
	OK("{\"e\":\"\\udbff\\udfff\"}", "e:s=\xf4\x8f\xbf\xbf");
	OK("{\"a\":\"x\\ty\\nz\"}", "a:s=x\ty\nz");
	OK("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "a:s=\"\\/\b\f\n\r\t");
	OK("{\"a\":\"\\u0041\\u00e9\\u20ac\\uffff\"}", "a:s=A\xc3\xa9\xe2\x82\xac\xef\xbf\xbf");
	OK("{\"a\":\"\\u007f\x7f\"}", "a:s=\x7f\x7f");
	OK("{\"a\":\"caf\xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf\"}",
	   "a:s=caf\xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf");

	/* \u0000 is a NUL byte inside the value. */
	CHECK_INT(parse("{\"a\":\"x\\u0000y\"}"), 0);
	CHECK_INT(obj.pairs[0].val_len, 3);
	CHECK(memcmp(cx_json_val(&obj, 0), "x\0y", 4) == 0);
}

static void test_scalars(void)
{
	OK("{\"a\":0,\"b\":-0,\"c\":1e400,\"d\":-1.5E+10,\"e\":12.34e-5,\"f\":0.0}",
	   "a:n=0|b:n=-0|c:n=1e400|d:n=-1.5E+10|e:n=12.34e-5|f:n=0.0");
	OK("{\"big\":123456789012345678901234567890}",
	   "big:n=123456789012345678901234567890");
	OK("{\"t\":true,\"f\":false,\"n\":null}", "t:b=1|f:b=0|n:z=");
	CHECK_INT(obj.pairs[2].val_len, 0);
	CHECK_STR(cx_json_val(&obj, 2), "");
	OK("{\"t\" : true }", "t:b=1");
}

static void test_nested(void)
{
	OK("{\"a\":{\"b\":[1,2,{\"c\":\"x\"}]}}", "a:o={\"b\":[1,2,{\"c\":\"x\"}]}");
	OK("{\"a\": [ 1 , { \"b\" : \"x y\" } , [ ] , { } ] , \"n\":2}",
	   "a:a=[1,{\"b\":\"x y\"},[],{}]|n:n=2");
	OK("{\"a\":[\"\\u00e9\\n\", \"\\ud83d\\ude00\"]}",
	   "a:a=[\"\\u00e9\\n\",\"\\ud83d\\ude00\"]");
	OK("{\"a\":[true,false,null,-0,1e5]}", "a:a=[true,false,null,-0,1e5]");
	OK("{\"a\":{\"k\":1,\"k\":2}}", "a:o={\"k\":1,\"k\":2}");
	OK("{\"a\":[],\"b\":{}}", "a:a=[]|b:o={}");
	OK("{\"a\":[[[]]]}", "a:a=[[[]]]");
	OK("{\"a\":\t{\r\n}\n}", "a:o={}");
	OK("{\"a\":[\"物流\"]}", "a:a=[\"物流\"]");

	BAD("{\"a\":[1,]}", "col 9: expected value, found ']'");
	BAD("{\"a\":[,1]}", "col 7: expected value or ']', found ','");
	BAD("{\"a\":[", "col 7: expected value or ']', found end of line");
	BAD("{\"a\":{\"b\"}}", "col 10: expected ':', found '}'");
	BAD("{\"a\":{1:2}}", "col 7: expected string key or '}', found '1'");
	BAD("{\"a\":{\"b\":1,}}", "col 13: expected string key, found '}'");
	BAD("{\"a\":[1 2]}", "col 9: expected ',' or ']', found '2'");
	BAD("{\"a\":{\"b\":1]}", "col 12: expected ',' or '}', found ']'");
	BAD("{\"a\":[1}", "col 8: expected ',' or ']', found '}'");
	BAD("{\"a\":[1]", "col 9: expected ',' or '}', found end of line");
	BAD("{\"a\":[01]}", "col 7: expected a number without leading zeros, found '01'");
	BAD("{\"a\":[nul]}", "col 7: expected value, found 'nul'");
	BAD("{\"a\":{\"b\":\"\x01\"}}", "col 12: control character 0x01 in string (expected it escaped)");
	BAD("{\"a\":[\"\\ud800\"]}", "col 8: unpaired surrogate \\ud800");
	BAD("{\"a\":[\"\xff\"]}", "col 8: invalid UTF-8 in string");
}

static void test_depth(void)
{
	size_t big = 300000;
	char *line = malloc(big + 16);
	char want[64];

	/* 255 brackets inside the record: 256 levels, the most allowed. */
	for (int levels = 255; levels <= 256; levels++) {
		size_t n = 5;
		memcpy(line, "{\"a\":", 5);
		for (int k = 0; k < levels; k++)
			line[n++] = '[';
		for (int k = 0; k < levels; k++)
			line[n++] = ']';
		line[n++] = '}';
		int rc = parsen(line, n);
		if (levels == 255) {
			CHECK_INT(rc, 0);
			CHECK_INT(obj.pairs[0].val_len, 510);
		} else {
			CHECK_INT(rc, -1);
			CHECK_STR(err.p, "col 261: nesting deeper than 256 levels");
		}
	}

	/* Objects count too: {"a":{"a":{...}}}. */
	size_t n = 0;
	line[n++] = '{';
	for (int k = 0; k < 256; k++) {
		memcpy(line + n, "\"a\":{", 5);
		n += 5;
	}
	for (int k = 0; k < 257; k++)
		line[n++] = '}';
	CHECK_INT(parsen(line, n), -1);
	snprintf(want, sizeof want, "col %d: nesting deeper than 256 levels", 1 + 255 * 5 + 5);
	CHECK_STR(err.p, want);
	CHECK_INT(parsen(line + 5, n - 5 - 1), 0);

	/* Hostile depth fails fast without recursion. */
	memcpy(line, "{\"a\":", 5);
	memset(line + 5, '[', big);
	CHECK_INT(parsen(line, big + 5), -1);
	CHECK_STR(err.p, "col 261: nesting deeper than 256 levels");
	free(line);
}

static void test_errors(void)
{
	BADN("", 0, "col 1: empty line");
	BAD("   \r", "col 1: empty line");
	BAD("\r\n", "col 1: empty line");
	BAD("[1,2]", "col 1: expected '{' (a record is a JSON object), found '['");
	BAD("\"x\"", "col 1: expected '{' (a record is a JSON object), found '\"'");
	BAD("  42", "col 3: expected '{' (a record is a JSON object), found '42'");
	BAD("null", "col 1: expected '{' (a record is a JSON object), found 'null'");
	BAD("\xef\xbb\xbf{}", "col 1: expected '{' (a record is a JSON object), found byte 0xef");
	BAD("{", "col 2: expected string key or '}', found end of line");
	BAD("{\"a\" 1}", "col 6: expected ':', found '1'");
	BAD("{\"a\"", "col 5: expected ':', found end of line");
	BAD("{\"a\":", "col 6: expected value, found end of line");
	BAD("{\"a\":1 \"b\":2}", "col 8: expected ',' or '}', found '\"'");
	BAD("{\"a\":1,}", "col 8: expected string key, found '}'");
	BAD("{,}", "col 2: expected string key or '}', found ','");
	BAD("{a:1}", "col 2: expected string key or '}', found 'a'");
	BAD("{'a':1}", "col 2: expected string key or '}', found '''");
	BAD("{\"a\":1", "col 7: expected ',' or '}', found end of line");
	BAD("{\"a\":}", "col 6: expected value, found '}'");
	BAD("{\"a\":1}x", "col 8: expected end of line after the record's closing '}', found 'x'");
	BAD("{\"a\":1} {\"b\":2}", "col 9: expected end of line after the record's closing '}', found '{'");
	BAD("{\"a\":1}}", "col 8: expected end of line after the record's closing '}', found '}'");
	BADN("{\"a\":1,\0}", 9, "col 8: expected string key, found byte 0x00");
	BAD("{\"a\":1\x01}", "col 7: expected ',' or '}', found byte 0x01");
	BAD("{\"a\":1,\"b\":2,,}", "col 14: expected string key, found ','");
}

static void test_duplicates(void)
{
	BAD("{\"a\":1,\"a\":2}", "col 8: duplicate key \"a\"");
	BAD("{\"id\":1, \"x\":2, \"id\":3}", "col 17: duplicate key \"id\"");
	BAD("{\"a\":1,\"\\u0061\":2}", "col 8: duplicate key \"a\"");
	BAD("{\"\":1,\"\":2}", "col 7: duplicate key \"\"");
	BAD("{\"a\\nb\":1,\"a\\nb\":2}", "col 11: duplicate key \"a\\nb\"");
	BAD("{\"物流\":1,\"物流\":2}", "col 13: duplicate key \"物流\"");
	/* Keys differing only after a NUL are different. */
	CHECK_INT(parse("{\"a\\u0000b\":1,\"a\\u0000c\":2}"), 0);
	CHECK_INT(obj.npairs, 2);
	CHECK(obj.pairs[1].key_len == 3 && memcmp(cx_json_key(&obj, 1), "a\0c", 4) == 0);

	/* A long key is cut on a character boundary in the message. */
	char line[512];
	char key[100];
	size_t kn = 0;
	for (int k = 0; k < 58; k++)
		key[kn++] = 'k';
	memcpy(key + kn, "物流", 6);	/* bytes 58..63: 物 straddles 60 */
	kn += 6;
	key[kn] = '\0';
	snprintf(line, sizeof line, "{\"%s\":1,\"%s\":2}", key, key);
	CHECK_INT(parse(line), -1);
	char want[200];
	snprintf(want, sizeof want, "col %zu: duplicate key \"%.58s...\"", kn + 7, key);
	CHECK_STR(err.p, want);
}

static void test_numbers_bad(void)
{
	BAD("{\"a\":01}", "col 6: expected a number without leading zeros, found '01'");
	BAD("{\"a\":-01}", "col 7: expected a number without leading zeros, found '01'");
	BAD("{\"a\":00}", "col 6: expected a number without leading zeros, found '00'");
	BAD("{\"a\":1.}", "col 8: expected digit after '.', found '}'");
	BAD("{\"a\":1.e5}", "col 8: expected digit after '.', found 'e5'");
	BAD("{\"a\":+1}", "col 6: expected value, found '+'");
	BAD("{\"a\":.5}", "col 6: expected value, found '.'");
	BAD("{\"a\":NaN}", "col 6: expected value, found 'NaN'");
	BAD("{\"a\":nan}", "col 6: expected value, found 'nan'");
	BAD("{\"a\":Infinity}", "col 6: expected value, found 'Infinity'");
	BAD("{\"a\":-Infinity}", "col 7: expected digit after '-', found 'Infinity'");
	BAD("{\"a\":-}", "col 7: expected digit after '-', found '}'");
	BAD("{\"a\":1e}", "col 8: expected digit in exponent, found '}'");
	BAD("{\"a\":1e+}", "col 9: expected digit in exponent, found '}'");
	BAD("{\"a\":1E-x}", "col 9: expected digit in exponent, found 'x'");
	BAD("{\"a\":0x10}", "col 7: expected ',' or '}', found 'x10'");
	BAD("{\"a\":1.2.3}", "col 9: expected ',' or '}', found '.'");
	BAD("{\"a\":tru}", "col 6: expected value, found 'tru'");
	BAD("{\"a\":truex}", "col 6: expected value, found 'truex'");
	BAD("{\"a\":True}", "col 6: expected value, found 'True'");
	BAD("{\"a\":NULL}", "col 6: expected value, found 'NULL'");
	BAD("{\"a\":aaaaaaaaaaaaaaaaaaaaaaaaa}",
	    "col 6: expected value, found 'aaaaaaaaaaaaaaaaaaaa...'");
}

static void test_strings_bad(void)
{
	BAD("{\"a\":\"x", "col 8: expected '\"' to end the string begun at col 6, found end of line");
	BAD("{\"a", "col 4: expected '\"' to end the string begun at col 2, found end of line");
	BAD("{\"a\":\"x\\\"}", "col 11: expected '\"' to end the string begun at col 6, found end of line");
	BAD("{\"a\":\"x\ty\"}", "col 8: control character 0x09 in string (expected it escaped)");
	BAD("{\"a\nb\":1}", "col 4: control character 0x0a in string (expected it escaped)");
	BADN("{\"a\":\"\0\"}", 9, "col 7: control character 0x00 in string (expected it escaped)");
	BAD("{\"a\":\"\x1f\"}", "col 7: control character 0x1f in string (expected it escaped)");
	BAD("{\"a\":\"\xff\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"ok\x80\"}", "col 9: invalid UTF-8 in string");
	BAD("{\"a\":\"\xc0\xaf\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xc1\xbf\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xe0\x80\xaf\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xed\xa0\x80\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xf0\x80\x80\x80\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xf4\x90\x80\x80\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xf5\x80\x80\x80\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xe7\x89\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xe7\x89" "a\"}", "col 7: invalid UTF-8 in string");
	BAD("{\"a\":\"\xe7\x89", "col 7: invalid UTF-8 in string");
	BAD("{\"\xff\":1}", "col 3: invalid UTF-8 in string");
	BAD("{\"a\":\"\\q\"}", "col 8: expected one of \"\\/bfnrtu after '\\', found 'q'");
	BAD("{\"a\":\"\\'\"}", "col 8: expected one of \"\\/bfnrtu after '\\', found '''");
	BAD("{\"a\":\"\\", "col 8: expected one of \"\\/bfnrtu after '\\', found end of line");
	BAD("{\"a\":\"\\u12\"}", "col 11: expected 4 hex digits after \\u, found '\"'");
	BAD("{\"a\":\"\\u12G4\"}", "col 11: expected 4 hex digits after \\u, found 'G4'");
	BAD("{\"a\":\"\\u12", "col 11: expected 4 hex digits after \\u, found end of line");
	BAD("{\"a\":\"\\ud83d\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ude00\"}", "col 7: unpaired surrogate \\ude00");
	BAD("{\"a\":\"x\\ude00\\ud83d\"}", "col 8: unpaired surrogate \\ude00");
	BAD("{\"a\":\"\\ud83d\\u0041\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ud83d\\ud83d\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ud83dx\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ud83d\\n\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ud83d\\ude0\"}", "col 7: unpaired surrogate \\ud83d");
	BAD("{\"a\":\"\\ud83d", "col 7: unpaired surrogate \\ud83d");
}

/* A slice of a larger buffer: only [0, n) is the line. */
static void test_slices(void)
{
	const char *two = "{\"a\":1}{\"b\":2}";
	CHECK_INT(cx_json_parse_object(&obj, two, 7, &err), 0);
	CHECK_STR(render(), "a:n=1");
	CHECK_INT(cx_json_parse_object(&obj, two + 7, 7, &err), 0);
	CHECK_STR(render(), "b:n=2");
	CHECK_INT(cx_json_parse_object(&obj, "{\"a\":12345}", 7, &err), -1);
	CHECK_STR(err.p, "col 8: expected ',' or '}', found end of line");

	/* Every proper prefix of a valid line is an error; parsen() gives
	 * ASan an exact-size copy, so no prefix may read past its end. */
	static const char *const lines[] = {
		"{\"a\":\"x\\ty\\u7269\\ud83d\\ude00\",\"n\":-1.5e+3,\"t\":true,\"f\":false,"
		"\"z\":null,\"o\":{\"b\":[1,2,{\"c\":\"x\"}]},\"s\":\"物流太慢了\"}",
		"{ \"k\" : [ \"\\\"\" , 0 , [ ] ] }",
	};
	for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++) {
		size_t n = strlen(lines[l]);
		CHECK_INT(parsen(lines[l], n), 0);
		int prefixes_failed = 1;
		for (size_t k = 0; k < n; k++)
			if (parsen(lines[l], k) != -1)
				prefixes_failed = 0;
		CHECK(prefixes_failed);
	}
}

static void test_find_and_reuse(void)
{
	OK("{\"id\":7,\"text\":\"x\",\"\":\"e\"}", "id:n=7|text:s=x|:s=e");
	CHECK_INT(cx_json_obj_find(&obj, "id", 2), 0);
	CHECK_INT(cx_json_obj_find(&obj, "text", 4), 1);
	CHECK_INT(cx_json_obj_find(&obj, "", 0), 2);
	CHECK_INT(cx_json_obj_find(&obj, "tex", 3), -1);
	CHECK_INT(cx_json_obj_find(&obj, "texts", 5), -1);

	/* The next record forgets the last one's keys. */
	OK("{\"other\":1}", "other:n=1");
	CHECK_INT(cx_json_obj_find(&obj, "id", 2), -1);
	CHECK_INT(cx_json_obj_find(&obj, "other", 5), 0);
	CHECK_INT(parse("{\"id\":1,\"id\":2}"), -1);
	CHECK_INT(cx_json_obj_find(&obj, "id", 2), -1);
	CHECK_INT(cx_json_obj_find(&obj, "other", 5), -1);

	/* Many keys: the index grows, stays correct, order is kept. */
	cx_buf line = CX_BUF_INIT;
	cx_buf_addc(&line, '{');
	for (int k = 0; k < 1000; k++)
		cx_buf_addf(&line, "%s\"k%d\":%d", k ? "," : "", k, k);
	size_t before_dup = line.len;
	cx_buf_adds(&line, "}");
	CHECK_INT(parsen(line.p, line.len), 0);
	CHECK_INT(obj.npairs, 1000);
	CHECK_STR(cx_json_key(&obj, 999), "k999");
	CHECK_STR(cx_json_val(&obj, 500), "500");
	CHECK_INT(cx_json_obj_find(&obj, "k500", 4), 500);
	CHECK_INT(cx_json_obj_find(&obj, "k1000", 5), -1);
	line.len = before_dup;
	cx_buf_adds(&line, ",\"k3\":0}");
	CHECK_INT(parsen(line.p, line.len), -1);
	char want[64];
	snprintf(want, sizeof want, "col %zu: duplicate key \"k3\"", before_dup + 2);
	CHECK_STR(err.p, want);

	/* Warmed up: the same or a smaller record allocates nothing. */
	line.len = before_dup;
	cx_buf_adds(&line, "}");
	CHECK_INT(parsen(line.p, line.len), 0);
	const char *text = obj.text.p;
	const cx_json_pair *pairs = obj.pairs;
	const struct cx_json_slot *slots = obj.slots;
	size_t caps[3] = { obj.text.cap, obj.cap, obj.nslots };
	CHECK_INT(parsen(line.p, line.len), 0);
	OK("{\"a\":[1,{\"b\":\"\\u00e9\"}],\"c\":\"d\"}", "a:a=[1,{\"b\":\"\\u00e9\"}]|c:s=d");
	CHECK(obj.text.p == text && obj.pairs == pairs && obj.slots == slots);
	CHECK(obj.text.cap == caps[0] && obj.cap == caps[1] && obj.nslots == caps[2]);
	cx_buf_free(&line);

	/* A freed object is ready for reuse. */
	cx_json_obj_free(&obj);
	CHECK(obj.text.p == NULL && obj.pairs == NULL && obj.npairs == 0);
	OK("{\"x\":1}", "x:n=1");
	CHECK_INT(cx_json_obj_find(&obj, "x", 1), 0);

	/* The index's generation counter wrapping clears the index. */
	OK("{\"p\":1,\"q\":2}", "p:n=1|q:n=2");
	obj.gen = (unsigned long)-1;
	OK("{\"q\":1,\"r\":2}", "q:n=1|r:n=2");
	CHECK_INT(obj.gen, 1);
	CHECK_INT(cx_json_obj_find(&obj, "p", 1), -1);
	CHECK_INT(cx_json_obj_find(&obj, "r", 1), 1);
	BAD("{\"q\":1,\"q\":2}", "col 8: duplicate key \"q\"");

	/* err may be NULL. */
	CHECK_INT(cx_json_parse_object(&obj, "{]", 2, NULL), -1);
	CHECK_INT(cx_json_parse_object(&obj, "{}", 2, NULL), 0);
}

static void test_is_number(void)
{
	static const char *const good[] = {
		"0", "-0", "1", "-1", "10", "1.5", "1e5", "1E+5", "1e-5", "1e400",
		"123.456e-789", "0.0", "-0.0e0", "9007199254740993",
	};
	static const char *const bad[] = {
		"", "-", "01", "1.", "+1", ".5", "NaN", "nan", "inf", "-inf",
		"Infinity", "1e", "1e+", " 1", "1 ", "0x10", "1.2.3", "--1", "-01",
		"00", "1e1.5", "1,5", "e5",
	};
	for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
		int r = cx_json_is_number(good[k], strlen(good[k]));
		CHECK_INT(r, 1);
		if (r != 1)
			fprintf(stderr, "  %s\n", good[k]);
	}
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		int r = cx_json_is_number(bad[k], strlen(bad[k]));
		CHECK_INT(r, 0);
		if (r != 0)
			fprintf(stderr, "  %s\n", bad[k]);
	}
	CHECK_INT(cx_json_is_number("12abc", 2), 1);
	CHECK_INT(cx_json_is_number("1.", 1), 1);
	CHECK_INT(cx_json_is_number("-5", 1), 0);
}

#define PUT(s, n, want) do { \
	cx_buf_reset(&out); \
	cx_json_put_string(&out, s, n); \
	CHECK_MEM(out.p, out.len, want); \
} while (0)

static void test_put_string(void)
{
	cx_buf out = CX_BUF_INIT;
	PUT("", 0, "\"\"");
	PUT(NULL, 0, "\"\"");
	PUT("plain", 5, "\"plain\"");
	PUT("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	PUT("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
	PUT("\x01\x1f", 2, "\"\\u0001\\u001f\"");
	PUT("x\0y", 3, "\"x\\u0000y\"");
	PUT("\x7f/", 2, "\"\x7f/\"");
	PUT("物流太慢了", strlen("物流太慢了"), "\"物流太慢了\"");
	PUT("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	PUT("\x1b[0m", 4, "\"\\u001b[0m\"");

	/* It appends. */
	cx_buf_reset(&out);
	cx_buf_adds(&out, "x:");
	cx_json_put_string(&out, "a", 1);
	CHECK_STR(out.p, "x:\"a\"");
	cx_buf_free(&out);
}

/* parse(put_string(x)) == x, as a value and as a key. */
static void test_round_trip(void)
{
	char ctl[32];
	for (int k = 0; k < 32; k++)
		ctl[k] = (char)k;
	char longs[5000];
	for (size_t k = 0; k < sizeof longs; k++)
		longs[k] = "ab\"\\\n\x01 \t"[k % 8];
	struct { const char *s; size_t n; } cases[] = {
		{ "", 0 },
		{ "plain", 5 },
		{ "a\"b\\c/d", 7 },
		{ "x\ty\nz\r\b\f", 9 },
		{ ctl, sizeof ctl },
		{ "\x7f", 1 },
		{ "物流太慢了", 15 },
		{ "\xf0\x9f\x98\x80 emoji", 10 },
		{ "\xf4\x8f\xbf\xbf\xc2\x80\xef\xbf\xbf", 9 },
		{ "\\u0041 stays as written", 23 },
		{ longs, sizeof longs },
	};
	cx_buf line = CX_BUF_INIT;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		cx_buf_reset(&line);
		cx_buf_adds(&line, "{\"k\":");
		cx_json_put_string(&line, cases[k].s, cases[k].n);
		cx_buf_adds(&line, "}");
		CHECK_INT(parsen(line.p, line.len), 0);
		CHECK(obj.npairs == 1 && obj.pairs[0].kind == CX_JSON_STRING &&
		      obj.pairs[0].val_len == cases[k].n &&
		      memcmp(cx_json_val(&obj, 0), cases[k].s, cases[k].n) == 0);

		cx_buf_reset(&line);
		cx_buf_adds(&line, "{");
		cx_json_put_string(&line, cases[k].s, cases[k].n);
		cx_buf_adds(&line, ":1}");
		CHECK_INT(parsen(line.p, line.len), 0);
		CHECK(obj.npairs == 1 && obj.pairs[0].key_len == cases[k].n &&
		      memcmp(cx_json_key(&obj, 0), cases[k].s, cases[k].n) == 0);
	}
	cx_buf_free(&line);
}

int main(void)
{
	test_basic();
	test_strings();
	test_scalars();
	test_nested();
	test_depth();
	test_errors();
	test_duplicates();
	test_numbers_bad();
	test_strings_bad();
	test_slices();
	test_find_and_reuse();
	test_is_number();
	test_put_string();
	test_round_trip();
	cx_json_obj_free(&obj);
	cx_buf_free(&err);
	cx_buf_free(&shown);
	return unit_done("json");
}
