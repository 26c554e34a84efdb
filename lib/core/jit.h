/*
 * jit: compiling PCRE2 patterns to machine code, in one place.
 *
 * Every pattern cx matches per record (cx-classify rules, cx-alert text
 * rules) goes through cx_jit(), which JIT-compiles it unless the
 * environment variable CX_NO_JIT is set and not empty.  That switch exists
 * for memory checkers: valgrind cannot follow JIT-generated code and
 * reports its reads as uninitialised.  Without JIT PCRE2 interprets the
 * pattern: the same matches, slower.
 */
#ifndef CX_JIT_H
#define CX_JIT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

void cx_jit(pcre2_code *re);

#endif
