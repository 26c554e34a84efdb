/*
 * fuzz_classify_rules: libFuzzer target for the cx-classify rules parser
 * (lib/text/classify.c).
 *
 * Besides "no crash, no sanitizer report", it checks the parser's promises:
 * a failed parse reports "NAME:LINE: message" with LINE within the input;
 * every rule parsed has a name, a category, a match pattern and a line
 * within the input; and the compiled set matches a few texts (valid UTF-8)
 * with and without --multi, the first hit agreeing.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DCX_VERSION='"f"' -Ilib \
 *     testdata/fuzz/fuzz_classify_rules.c $(find lib -name "*.c") -lcsv -lpcre2-8 -lgsl -lgslcblas -lz -lm \
 *     -o fuzz_classify_rules
 *   ./fuzz_classify_rules testdata/fuzz/corpus/classify_rules
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cx_crules rs = CX_CRULES_INIT;
	cx_buf err = CX_BUF_INIT;
	long lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	int rc = cx_crules_parse(&rs, (const char *)data, size, "f", &err);
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
		const cx_crule *r = &rs.v[i];
		size_t nm = 0;
		for (size_t j = 0; j < r->npat; j++)
			nm += r->pat[j].kind == CX_CPAT_MATCH && r->pat[j].re != NULL;
		if (!r->name || !*r->name || !r->category || !*r->category || !nm || r->line < 1 ||
		    r->line > lines)
			abort();
	}
	cx_crules_finish(&rs);
	static const char *const texts[] = { "", "退款一直没到账", "the package is late", "a\nb c 12315" };
	cx_cmatch m;
	cx_cmatch_init(&m, &rs);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		size_t n = strlen(texts[i]);
		size_t one = cx_cmatch_run(&m, texts[i], n, 0);
		const cx_crule *first = one ? m.hits[0].rule : NULL;
		int e1 = m.error;
		size_t all = cx_cmatch_run(&m, texts[i], n, 1);
		if (!e1 && !m.error && (one > 1 || (one && (!all || m.hits[0].rule != first))))
			abort();
		for (size_t k = 0; k < m.nhits; k++)
			if (m.hits[k].start > m.hits[k].end || m.hits[k].end > n)
				abort();
	}
	cx_cmatch_free(&m);
	cx_crules_free(&rs);
	cx_buf_free(&err);
	return 0;
}
