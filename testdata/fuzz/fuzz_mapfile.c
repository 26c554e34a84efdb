/*
 * fuzz_mapfile: libFuzzer target for the column map of cx-ingest
 * (lib/ingest/ingest.c): cx_ingest_read_map_file() on the input as a file, and
 * cx_ingest_add_map() on the input as a --map string.
 *
 * A model of the documented syntax says which pairs must come out and
 * where the parse must stop:
 *   file:  one "from=to" per line; leading blanks, trailing blanks and
 *          CRs dropped; blank lines and '#' lines skipped; a comma is part
 *          of a name; both sides trimmed of spaces and tabs and non-empty,
 *          split at the first '='; a line with a NUL byte or invalid UTF-8
 *          is bad; the first bad line dies (status 2), naming FILE:LINE,
 *          after the pairs before it were added;
 *   --map: "from=to,from=to" where "\," is a literal comma; the same
 *          rules per pair;
 *   both:  a column renamed twice is bad.
 * The bytes up to the first NUL are the --map string (a C string).
 * A bad --map string makes cx_ingest_add_map() call cx_usage_error(),
 * which exits without running the cx_atdie hooks, so the target calls it
 * with the location "--map", line 1 for those (cx_die_at, caught), and
 * with line 0 only when the model says the string is good.
 */
#include <fcntl.h>
#include <sanitizer/allocator_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include "harness.h"

/* ---- the model: pairs in want, and whether the parse dies ---- */

typedef struct {
	char *from, *to;
	long line;
} pair;

static pair *want;
static size_t nwant, wantcap;
static cx_buf item = CX_BUF_INIT;

static void keep_mine(void)
{
	keep(want);
	for (size_t i = 0; i < nwant; i++) {
		keep(want[i].from);
		keep(want[i].to);
	}
	keep(item.p);
}

static void clear_want(void)
{
	for (size_t i = 0; i < nwant; i++) {
		free(want[i].from);
		free(want[i].to);
	}
	nwant = 0;
}

static char *trimmed(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	char *s = malloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* 0 if p[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates,
 * nothing past U+10FFFF), else -1. */
static int utf8_bad(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t k;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return -1;
		}
		if (n - i <= k)
			return -1;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += k + 1;
	}
	return 0;
}

/* One "from=to" (a C string); 0 if bad (also when "from" is renamed
 * already). */
static int model_pair(const char *s, long line)
{
	const char *eq = strchr(s, '=');
	if (!eq)
		return 0;
	char *from = trimmed(s, (size_t)(eq - s)), *to = trimmed(eq + 1, strlen(eq + 1));
	int dup = 0;
	for (size_t i = 0; i < nwant && *from; i++)
		dup |= !strcmp(want[i].from, from);
	if (!*from || !*to || dup) {
		free(from);
		free(to);
		return 0;
	}
	if (nwant == wantcap) {
		wantcap = wantcap ? 2 * wantcap : 16;
		want = realloc(want, wantcap * sizeof *want);
	}
	want[nwant++] = (pair){ from, to, line };
	return 1;
}

/* The file; 1 if every line is good. */
static int model_file(const char *p, size_t n)
{
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	const char *e = p + n;
	long lineno = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		lineno++;
		/* A NUL byte or bad UTF-8 anywhere in a line is refused. */
		if (memchr(p, '\0', (size_t)(end - p)) || utf8_bad(p, (size_t)(end - p)))
			return 0;
		cx_buf_reset(&item);
		cx_buf_add(&item, p, (size_t)(end - p));
		p = nl ? nl + 1 : e;
		char *s = item.p;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
			s[--len] = '\0';
		if (!*s || *s == '#')
			continue;
		if (!model_pair(s, lineno))
			return 0;
	}
	return 1;
}

/* The --map string; 1 if every pair is good. */
static int model_spec(const char *s)
{
	for (;;) {
		cx_buf_reset(&item);
		cx_buf_addc(&item, 'x');	/* so that p is never NULL */
		cx_buf_reset(&item);
		for (; *s && *s != ','; s++) {
			if (*s == '\\' && s[1] == ',')
				s++;
			cx_buf_addc(&item, *s);
		}
		if (!model_pair(item.p, 0))
			return 0;
		if (!*s)
			return 1;
		s++;
	}
}

/* ---- the checks ---- */

static cx_ingest_conf conf;
static int expect_die;
static const char *where_file;

static void compare(const char *where)
{
	if (conf.nmap != nwant)
		fail("number of map entries differs from the model");
	for (size_t i = 0; i < nwant; i++) {
		const cx_map_entry *e = &conf.map[i];
		if (strcmp(e->from, want[i].from) || strcmp(e->to, want[i].to))
			fail("map entry differs from the model");
		char w[64];
		if (want[i].line)
			snprintf(w, sizeof w, "%s:%ld", where, want[i].line);
		else
			snprintf(w, sizeof w, "%s", where);
		if (strcmp(e->where, w) || e->used)
			fail("map entry origin");
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The file. */
	clear_want();
	int good = model_file((const char *)data, size);
	put_file(data, size);
	where_file = mem_path;
	memset(&conf, 0, sizeof conf);
	track_begin();
	arm();
	expect_die = !good;
	if (setjmp(die_jmp)) {
		if (!expect_die)
			fail("the map file died where the model does not");
		compare(where_file);
		track_cleanup();
		memset(&conf, 0, sizeof conf);
		goto spec;
	}
	cx_ingest_read_map_file(&conf, mem_path);
	if (expect_die)
		fail("a bad map file was accepted");
	compare(where_file);
	cx_ingest_conf_free(&conf);
	memset(&conf, 0, sizeof conf);
	die_armed = 0;
	track_end();

spec:
	/* The --map string: the input up to the first NUL. */
	clear_want();
	char *spec = malloc(size + 1);
	memcpy(spec, data, size);
	spec[size] = '\0';
	good = model_spec(spec);
	track_begin();
	arm();
	expect_die = !good;
	if (setjmp(die_jmp)) {
		if (!expect_die)
			fail("the --map string died where the model does not");
		compare("--map:1");
		track_cleanup();
		memset(&conf, 0, sizeof conf);
		free(spec);
		return 0;
	}
	/* Line 0 would make a bad pair exit through cx_usage_error. */
	cx_ingest_add_map(&conf, spec, "--map", good ? 0 : 1);
	if (expect_die)
		fail("a bad --map string was accepted");
	compare("--map");
	cx_ingest_conf_free(&conf);
	memset(&conf, 0, sizeof conf);
	die_armed = 0;
	track_end();
	free(spec);
	return 0;
}
