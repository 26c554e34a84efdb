/*
 * libFuzzer target for cx-sort's -k grammar (cx_sort_key_parse): any
 * input is parsed or refused with a one-line reason, never crashes; what
 * is accepted has a non-empty field name, a known kind, and parses again
 * the same once its name is escaped back (\: and \\) and its modifiers
 * written out.
 *
 * Built by scripts/fuzz (scripts/fuzz --time 60 sortkey) with libcx.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order/sort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *spec)
{
	fprintf(stderr, "fuzz_sortkey: %s for input \"%s\"\n", what, spec);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = malloc(size + 1);
	memcpy(spec, data, size);
	spec[size] = 0;	/* a NUL inside ends the spec, as it would in argv */
	cx_sort_key k;
	cx_buf err = CX_BUF_INIT;
	if (cx_sort_key_parse(spec, &k, &err) < 0) {
		if (!err.p || !*err.p || strchr(err.p, '\n'))
			fail("refused without a one-line reason", spec);
	} else {
		if (!k.field || !*k.field)
			fail("accepted with an empty field name", spec);
		if (k.kind != CX_SORT_BYTES && k.kind != CX_SORT_NUM && k.kind != CX_SORT_TIME)
			fail("unknown kind", spec);
		cx_buf again = CX_BUF_INIT;
		for (const char *p = k.field; *p; p++) {
			if (*p == ':' || *p == '\\')
				cx_buf_addc(&again, '\\');
			cx_buf_addc(&again, *p);
		}
		const char *mods[] = { "", ":n", ":t" };
		cx_buf_adds(&again, mods[k.kind]);
		if (k.desc)
			cx_buf_adds(&again, k.kind == CX_SORT_BYTES ? ":desc" : ",desc");
		cx_sort_key k2;
		if (cx_sort_key_parse(again.p, &k2, &err) < 0)
			fail("written back, refused", spec);
		if (strcmp(k.field, k2.field) || k.kind != k2.kind || k.desc != k2.desc)
			fail("written back, parsed differently", spec);
		free(k2.field);
		free(k.field);
		cx_buf_free(&again);
	}
	cx_buf_free(&err);
	free(spec);
	return 0;
}
