/*
 * keys: interning byte strings as dense numbers.
 *
 * The group table of every aggregating tool, and the seen-set of
 * cx-ingest --dedupe.  cx_keys_intern() maps a key (any bytes) to a small
 * id: 0 for the first distinct key, 1 for the next, and so on, so that a
 * caller keeps its per-group state in plain arrays indexed by id.  Lookup
 * is an open-addressing hash table; the keys themselves are copied into an
 * arena owned by the table, so the caller's key may be a borrowed slice of
 * a record.  Memory grows with the number of distinct keys, never with the
 * number of lookups.
 */
#ifndef CX_KEYS_H
#define CX_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct cx_keys {
	uint32_t *slots;	/* id + 1, or 0 for empty; size is a power of 2 */
	size_t nslots;
	uint64_t *hashes;	/* per id */
	size_t *off;		/* per id: start of the key in arena */
	size_t n, cap;		/* ids in use, allocated */
	cx_buf arena;		/* keys back to back, each NUL-terminated */
} cx_keys;

#define CX_KEYS_INIT { NULL, 0, NULL, NULL, 0, 0, CX_BUF_INIT }

/* The id of key p[0..n); *added is set to 1 if it was new. */
uint32_t cx_keys_intern(cx_keys *t, const char *p, size_t n, int *added);
/* The id of key, or -1 if it was never interned. */
long cx_keys_find(const cx_keys *t, const char *p, size_t n);
/* The key of an id, NUL-terminated; valid until the next intern. */
const char *cx_keys_get(const cx_keys *t, uint32_t id, size_t *n);
void cx_keys_free(cx_keys *t);

uint64_t cx_hash(const void *p, size_t n);

#endif
