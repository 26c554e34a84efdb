/*
 * harness.h: the die-and-longjmp harness shared by the libFuzzer targets
 * that feed bad data to code that dies (fuzz_stream.c, fuzz_rows.c,
 * fuzz_input.c, fuzz_mapfile.c, fuzz_metrics_partial.c,
 * fuzz_bayes_model.c, fuzz_dialog.c).  Include it once, after the system and library
 * headers; everything in it is static, so each target gets its own copy.
 *
 * cx_die() runs the cx_atdie() hooks before it exits; ours (die_hook)
 * longjmps back to the target's setjmp(die_jmp) when armed by arm(), and
 * falls through to exit() otherwise, which libFuzzer reports.  Who frees
 * what: what the dying code had allocated is still live, so between
 * track_begin() and track_end() every allocation of the main thread is
 * recorded by sanitizer malloc/free hooks (installed by harness_init()),
 * and after a die track_cleanup() frees whatever is still live and closes
 * the descriptors opened since track_begin().  The target's own buffers,
 * which may have grown during the input, are its to free: the target
 * defines keep_mine(), which calls keep() on each of them so that the
 * cleanup leaves them alone.  So a die leaks nothing and leak detection
 * can stay on.  This assumes the library keeps no memory across calls
 * that it allocated lazily during an input (it keeps none today; iconv's
 * modules are loaded before, see fuzz_input.c): if it ever does, the
 * cleanup frees it and ASan reports a use after free in the library on a
 * later input.
 *
 * Also here: put_file() writes the input to a memfd that the library
 * opens as mem_path (/dev/fd/N); quiet_library() sends the library's
 * messages to /dev/null unless CX_FUZZ_VERBOSE is set; fail() prints
 * "fuzz: " fail_input_kind what to the real standard error and aborts.
 */
#ifndef CX_FUZZ_HARNESS_H
#define CX_FUZZ_HARNESS_H

#include <fcntl.h>
#include <sanitizer/allocator_interface.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/err.h"

static jmp_buf die_jmp;
static int die_armed, die_hooked;
static const char *fail_input_kind = "";

__attribute__((unused)) static void die_hook(void)
{
	die_hooked = 0;	/* cx_die pops the hook before calling it */
	if (die_armed) {
		die_armed = 0;
		longjmp(die_jmp, 1);
	}
	/* Not armed: fall through to exit(), which libFuzzer reports. */
}

__attribute__((unused)) static void arm(void)
{
	if (!die_hooked) {
		cx_atdie(die_hook);
		die_hooked = 1;
	}
	die_armed = 1;
}

/* Live allocations made during one input: an open-addressing set of
 * addresses, filled by the malloc hook of the main thread only. */
#define TRACK_BITS 17
#define TRACK_CAP ((size_t)1 << TRACK_BITS)
#define TOMB ((uintptr_t)1)
static uintptr_t track[TRACK_CAP];
static uint32_t touched[TRACK_CAP / 2];
static size_t ntouched;
static int track_overflow;
static __thread int tracking;

__attribute__((unused)) static size_t track_slot(uintptr_t p)
{
	return (size_t)(((uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - TRACK_BITS));
}

__attribute__((unused)) static void on_malloc(const volatile void *ptr, size_t size)
{
	(void)size;
	if (!tracking || !ptr)
		return;
	uintptr_t p = (uintptr_t)ptr;
	for (size_t i = track_slot(p), k = 0; k < TRACK_CAP; k++, i = (i + 1) & (TRACK_CAP - 1)) {
		if (track[i] == 0) {
			if (ntouched == TRACK_CAP / 2) {
				track_overflow = 1;
				return;
			}
			touched[ntouched++] = (uint32_t)i;
			track[i] = p;
			return;
		}
		if (track[i] == TOMB) {
			track[i] = p;
			return;
		}
	}
}

__attribute__((unused)) static void on_free(const volatile void *ptr)
{
	if (!tracking || !ptr)
		return;
	uintptr_t p = (uintptr_t)ptr;
	for (size_t i = track_slot(p), k = 0; k < TRACK_CAP; k++, i = (i + 1) & (TRACK_CAP - 1)) {
		if (track[i] == 0)
			return;
		if (track[i] == p) {
			track[i] = TOMB;
			return;
		}
	}
}

static int fd_low;

static void quiet_library(void);

__attribute__((unused)) static void harness_init(void)
{
	quiet_library();
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

/* Start of an input: forget the last one's allocations, note the lowest
 * free descriptor (every descriptor the library opens is >= it). */
__attribute__((unused)) static void track_begin(void)
{
	for (size_t i = 0; i < ntouched; i++)
		track[touched[i]] = 0;
	ntouched = 0;
	track_overflow = 0;
	fd_low = fcntl(2, F_DUPFD_CLOEXEC, 0);
	close(fd_low);
	tracking = 1;
}

/* The target's own buffers may have grown during the input: taken out
 * of the set before the cleanup frees the rest. */
__attribute__((unused)) static void keep(const void *p)
{
	on_free(p);
}

/* Defined by the target: keep() each of its own buffers. */
static void keep_mine(void);

/* After a die: free what the dying code still held, close its files. */
__attribute__((unused)) static void track_cleanup(void)
{
	keep_mine();
	tracking = 0;
	for (size_t i = 0; i < ntouched; i++)
		if (track[touched[i]] > TOMB) {
			free((void *)track[touched[i]]);
			track[touched[i]] = TOMB;
		}
	for (int fd = fd_low; fd < fd_low + 16; fd++)
		close(fd);
}

__attribute__((unused)) static void track_end(void)
{
	tracking = 0;
}

/* The input as a file: a memfd, opened by the library as /dev/fd/N. */
static int memfd = -1;
static char mem_path[32];

__attribute__((unused)) static void put_file(const void *p, size_t n)
{
	if (memfd < 0) {
		memfd = memfd_create("cx-fuzz", 0);
		if (memfd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(mem_path, sizeof mem_path, "/dev/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 || (n && pwrite(memfd, p, n, 0) != (ssize_t)n)) {
		perror("memfd write");
		abort();
	}
}

/* The library's messages (every die prints one) go to /dev/null unless
 * CX_FUZZ_VERBOSE is set; ours go to the real standard error. */
static FILE *real_stderr;

__attribute__((unused)) static void quiet_library(void)
{
	real_stderr = stderr;
	const char *v = getenv("CX_FUZZ_VERBOSE");
	if (!v || !*v) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			/* Unbuffered: a buffer that stdio allocated during an
			 * input would be freed by the cleanup after a die (and
			 * glibc, not instrumented, would go on writing to it). */
			setvbuf(null, NULL, _IONBF, 0);
			stderr = null;
		}
	}
}

__attribute__((unused)) static void fail(const char *what)
{
	fprintf(real_stderr ? real_stderr : stderr, "fuzz: %s%s\n", fail_input_kind, what);
	abort();
}

#endif /* CX_FUZZ_HARNESS_H */
