/* Unit tests for lib/order/: the -k grammar, the order of key values, the
 * stable index sort, key extraction from escaped lines, and the merge of
 * spilled runs (whose output must equal the in-memory sort's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cxtime.h"
#include "order/sort.h"
#include "unit.h"

static int parse_ok(const char *spec, const char *field, int kind, int desc)
{
	cx_sort_key k;
	cx_buf err = CX_BUF_INIT;
	int ok = cx_sort_key_parse(spec, &k, &err) == 0 && !strcmp(k.field, field) &&
		 k.kind == kind && k.desc == desc;
	if (ok)
		free(k.field);
	else
		fprintf(stderr, "spec '%s': %s\n", spec, err.p ? err.p : "parsed differently");
	cx_buf_free(&err);
	return ok;
}

static int parse_bad(const char *spec, const char *want)
{
	cx_sort_key k;
	cx_buf err = CX_BUF_INIT;
	int bad = cx_sort_key_parse(spec, &k, &err) < 0 && strstr(err.p, want);
	if (!bad)
		fprintf(stderr, "spec '%s': %s\n", spec, err.p ? err.p : "accepted");
	cx_buf_free(&err);
	return bad;
}

static void test_parse(void)
{
	CHECK(parse_ok("a", "a", CX_SORT_BYTES, 0));
	CHECK(parse_ok("a:n", "a", CX_SORT_NUM, 0));
	CHECK(parse_ok("a:desc,t", "a", CX_SORT_TIME, 1));
	CHECK(parse_ok("a:n:desc", "a", CX_SORT_NUM, 1));
	CHECK(parse_ok("a\\:b:desc", "a:b", CX_SORT_BYTES, 1));
	CHECK(parse_ok("a\\\\", "a\\", CX_SORT_BYTES, 0));
	CHECK(parse_ok("产品:desc", "产品", CX_SORT_BYTES, 1));
	CHECK(parse_bad("", "no field name"));
	CHECK(parse_bad(":n", "no field name"));
	CHECK(parse_bad("a:", "empty modifier"));
	CHECK(parse_bad("a:n,", "empty modifier"));
	CHECK(parse_bad("a:x", "unknown modifier"));
	CHECK(parse_bad("a:N", "unknown modifier"));
	CHECK(parse_bad("a:n,t", "exclude"));
	CHECK(parse_bad("a:t,t", "twice"));
	CHECK(parse_bad("a:desc,desc", "twice"));
	CHECK(parse_bad("a\\b", "backslash"));
}

static int cmp1(int kind, int desc, const char *a, const char *b)
{
	cx_sort_key k = { .kind = kind, .desc = desc };
	cx_sort_val va, vb;
	cx_sort_val_set(&k, &va, a, strlen(a));
	cx_sort_val_set(&k, &vb, b, strlen(b));
	int c = cx_sort_cmp(&k, 1, &va, &vb);
	return (c > 0) - (c < 0);
}

static void test_compare(void)
{
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "", "a"), -1);
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "a", "ab"), -1);
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "B", "a"), -1);
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "a\tb", "a b"), -1);
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "\xe4", "z"), 1);	/* bytes are unsigned */
	CHECK_INT(cmp1(CX_SORT_BYTES, 1, "a", "b"), 1);
	CHECK_INT(cmp1(CX_SORT_BYTES, 0, "x", "x"), 0);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "9", "10"), -1);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "1e1", "10"), 0);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "-0", "0"), 0);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "-2.5", "-2"), -1);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "1000000", ""), -1);	/* empty after numbers */
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "x", "99"), 1);
	CHECK_INT(cmp1(CX_SORT_NUM, 0, "", "x"), -1);		/* byte order among them */
	CHECK_INT(cmp1(CX_SORT_NUM, 1, "x", "99"), -1);		/* desc: all reversed */
	CHECK_INT(cmp1(CX_SORT_NUM, 1, "9", "10"), 1);
	CHECK_INT(cmp1(CX_SORT_TIME, 0, "2024-03-05T14:02:00+08:00", "2024-03-05T07:00:00+00:00"), -1);
	CHECK_INT(cmp1(CX_SORT_TIME, 0, "2024-03-05T06:02:00+00:00", "2024-03-05T14:02:00+08:00"), 0);
	CHECK_INT(cmp1(CX_SORT_TIME, 0, "2024-03-05", "2024-03-04 23:59"), 1);
	CHECK_INT(cmp1(CX_SORT_TIME, 0, "soon", "2030-01-01"), 1);
	CHECK_INT(cmp1(CX_SORT_TIME, 0, "", "soon"), -1);
	CHECK_INT(cmp1(CX_SORT_TIME, 1, "2024-01-01", "2025-01-01"), 1);

	/* The second key breaks the first one's ties. */
	cx_sort_key k[2] = { { .kind = CX_SORT_BYTES }, { .kind = CX_SORT_NUM, .desc = 1 } };
	cx_sort_val a[2], b[2];
	cx_sort_val_set(&k[0], &a[0], "p", 1);
	cx_sort_val_set(&k[1], &a[1], "2", 1);
	cx_sort_val_set(&k[0], &b[0], "p", 1);
	cx_sort_val_set(&k[1], &b[1], "10", 2);
	CHECK(cx_sort_cmp(k, 2, a, b) > 0);
}

static void test_extract(void)
{
	cx_sort_key k[3] = { { .col = 2 }, { .col = 0, .kind = CX_SORT_NUM }, { .col = 2, .desc = 1 } };
	cx_slice f[3];
	cx_sort_val v[3];
	cx_buf s = CX_BUF_INIT;
	const char *line = "12\tx\\ty\ta\\\\b\\nc";
	CHECK_INT(cx_sort_extract(k, 3, line, strlen(line), f, 3, v, &s), 0);
	CHECK_MEM(v[0].p, v[0].n, "a\\b\nc");
	CHECK_MEM(v[2].p, v[2].n, "a\\b\nc");
	CHECK(v[1].miss == 0 && v[1].v.num == 12);
	CHECK_INT(cx_sort_extract(k, 3, "1\t2", 3, f, 3, v, &s), -1);	/* too few fields */
	CHECK_INT(cx_sort_extract(k, 3, "\t\t", 2, f, 3, v, &s), 0);	/* all empty */
	CHECK(v[0].n == 0 && v[1].miss == 1);
	cx_buf_free(&s);
}

static void test_index(void)
{
	/* 500 records, keys 0..6: sorted by key, ties by record number. */
	enum { N = 500 };
	cx_sort_key k = { .kind = CX_SORT_NUM };
	cx_sort_val *v = calloc(N, sizeof *v);
	uint32_t idx[N], tmp[N];
	char txt[N][8];
	for (int i = 0; i < N; i++) {
		snprintf(txt[i], sizeof txt[i], "%d", (i * 37) % 7);
		cx_sort_val_set(&k, &v[i], txt[i], strlen(txt[i]));
		idx[i] = (uint32_t)i;
	}
	cx_sort_index(&k, 1, v, idx, tmp, N);
	int ok = 1;
	for (int i = 1; i < N; i++) {
		int c = cx_sort_cmp(&k, 1, &v[idx[i - 1]], &v[idx[i]]);
		if (c > 0 || (c == 0 && idx[i - 1] > idx[i]))
			ok = 0;
	}
	CHECK(ok);
	free(v);
}

/* Sort the same file in memory and with a tiny buffer and fan-in 2 (many
 * runs, several passes): the outputs must be the same bytes. */
static char *sorted(const char *in, size_t mem, size_t fanin, const char *tmpdir)
{
	static int n;
	char out[256];
	snprintf(out, sizeof out, "%s/out%d.tsv", tmpdir, n++);
	cx_sort_key keys[2];
	cx_buf err = CX_BUF_INIT;
	cx_sort_key_parse("k:n,desc", &keys[0], &err);
	cx_sort_key_parse("s", &keys[1], &err);
	cx_sort_conf c = { .keys = keys, .nkeys = 2, .mem = mem, .fanin = fanin, .tmpdir = tmpdir };
	char *paths[] = { (char *)in };
	cx_reader *r = cx_reader_open(paths, 1);
	cx_output *o = cx_output_open(out);
	cx_sort_run(&c, r, o);
	cx_output_close(o);
	cx_reader_close(r);
	free(keys[0].field);
	free(keys[1].field);
	cx_buf_free(&err);
	FILE *f = fopen(out, "rb");
	char *text = calloc(1, 1 << 20);
	size_t got = f ? fread(text, 1, (1 << 20) - 1, f) : 0;
	text[got] = 0;
	if (f)
		fclose(f);
	unlink(out);
	return text;
}

static void test_merge(void)
{
	char dir[] = "/tmp/test_sort.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	char in[256];
	snprintf(in, sizeof in, "%s/in.tsv", dir);
	FILE *f = fopen(in, "w");
	fprintf(f, "seq\tk\ts\n");
	unsigned x = 1;
	for (int i = 0; i < 6000; i++) {
		x = x * 1103515245u + 12345u;
		fprintf(f, "%d\t%u\t%c\\t%u\n", i, (x >> 16) % 50, 'a' + (int)((x >> 8) % 3), (x >> 4) % 2);
	}
	fclose(f);
	char *mem = sorted(in, 256u << 20, 16, dir);
	char *disk = sorted(in, 64u << 10, 2, dir);
	char *disk16 = sorted(in, 64u << 10, 16, dir);
	CHECK(strlen(mem) > 60000);
	CHECK(!strcmp(mem, disk));
	CHECK(!strcmp(mem, disk16));
	/* Sorted, ties in input order (seq ascending). */
	int ok = 1;
	long pk = 1000, pseq = -1;
	char ps[32] = "";
	for (char *line = strchr(mem, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		long seq, k;
		char s[32];
		if (sscanf(line, "%ld\t%ld\t%31s", &seq, &k, s) != 3) {
			ok = 0;
			break;
		}
		int c = k != pk ? (k < pk ? 0 : 1) : strcmp(ps, s) > 0 ? 1 : strcmp(ps, s) == 0 ? 2 : 0;
		if (c == 1 || (c == 2 && seq < pseq))
			ok = 0;
		pk = k, pseq = seq;
		snprintf(ps, sizeof ps, "%s", s);
	}
	CHECK(ok);
	free(mem);
	free(disk);
	free(disk16);
	unlink(in);
	CHECK_INT(rmdir(dir), 0);	/* no run left behind */
}

int main(void)
{
	cx_tz_set("UTC", NULL);
	test_parse();
	test_compare();
	test_extract();
	test_index();
	test_merge();
	return unit_done("test_sort");
}
