/*
 * fuzz_rules: libFuzzer target for the rules parser (lib/alert/rules.c).
 *
 * Besides "no crash, no sanitizer report", it checks the parser's promises:
 * a failed parse reports "NAME:LINE: message" with LINE within the input;
 * every rule parsed has a name, a known kind and a line within the input;
 * and cx_rules_list() still works.  The parser reports errors instead of
 * dying, so no longjmp is needed.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DCX_VERSION='"f"' -Ilib \
 *     testdata/fuzz/fuzz_rules.c $(find lib -name "*.c") -lcsv -lpcre2-8 -lgsl -lgslcblas -lz -lm -o fuzz_rules
 *   ./fuzz_rules testdata/fuzz/corpus/rules
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alert/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void nothing(const char *p, size_t n, int is_name, void *ctx)
{
	(void)p;
	(void)n;
	(void)is_name;
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cx_rules rs = CX_RULES_INIT;
	cx_buf err = CX_BUF_INIT;
	long lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	int rc = cx_rules_parse(&rs, (const char *)data, size, "f", &err);
	if (rc < 0) {
		if (!err.p || strncmp(err.p, "f:", 2) != 0)
			abort();
		long line = strtol(err.p + 2, NULL, 10);
		if (line < 1 || line > lines)
			abort();
	} else if (rc != 0) {
		abort();
	}
	for (size_t i = 0; i < rs.n; i++) {
		const cx_rule *r = &rs.v[i];
		if (!r->name || !*r->name || (unsigned)r->kind >= CX_RULE_NKINDS || r->line < 1 ||
		    r->line > lines)
			abort();
		if (r->message && cx_template_walk(r->message, nothing, NULL, &err) != 0)
			abort();
	}
	cx_rules_free(&rs);
	cx_buf_free(&err);
	return 0;
}
