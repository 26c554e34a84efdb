#include "core/jit.h"

#include <stdlib.h>

void cx_jit(pcre2_code *re)
{
	static int off = -1;
	if (off < 0) {
		const char *e = getenv("CX_NO_JIT");
		off = e && *e;
	}
	/* A pattern JIT cannot take runs in the interpreter: nothing to
	 * report. */
	if (!off)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
}
