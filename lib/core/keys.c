#include "core/keys.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* FNV-1a over 8-byte words with a final mix: simple, and good enough for
 * group keys, which are short and not chosen by an attacker to collide
 * (a complaint export is untrusted, but a slow group-by is its worst). */
uint64_t cx_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static void rehash(cx_keys *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64;
	uint32_t *slots = cx_calloc(ns, sizeof *slots);
	for (size_t id = 0; id < t->n; id++) {
		size_t i = (size_t)t->hashes[id] & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
}

static int same(const cx_keys *t, uint32_t id, const char *p, size_t n)
{
	size_t start = t->off[id];
	size_t len = (id + 1 < t->n ? t->off[id + 1] : t->arena.len) - start - 1;
	return len == n && !memcmp(t->arena.p + start, p, n);
}

long cx_keys_find(const cx_keys *t, const char *p, size_t n)
{
	if (!t->nslots)
		return -1;
	uint64_t h = cx_hash(p, n);
	for (size_t i = (size_t)h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		uint32_t s = t->slots[i];
		if (!s)
			return -1;
		if (t->hashes[s - 1] == h && same(t, s - 1, p, n))
			return (long)(s - 1);
	}
}

uint32_t cx_keys_intern(cx_keys *t, const char *p, size_t n, int *added)
{
	if ((t->n + 1) * 4 > t->nslots * 3)
		rehash(t);
	uint64_t h = cx_hash(p, n);
	size_t i = (size_t)h & (t->nslots - 1);
	for (;; i = (i + 1) & (t->nslots - 1)) {
		uint32_t s = t->slots[i];
		if (!s)
			break;
		if (t->hashes[s - 1] == h && same(t, s - 1, p, n)) {
			if (added)
				*added = 0;
			return s - 1;
		}
	}
	if (t->n == UINT32_MAX - 1)
		cx_die(CX_EXIT_IO, "more than %u distinct keys", UINT32_MAX - 1);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->hashes = cx_realloc(t->hashes, t->cap * sizeof *t->hashes);
		t->off = cx_realloc(t->off, t->cap * sizeof *t->off);
	}
	uint32_t id = (uint32_t)t->n++;
	t->hashes[id] = h;
	t->off[id] = t->arena.len;
	cx_buf_add(&t->arena, p, n);
	cx_buf_addc(&t->arena, '\0');
	t->slots[i] = id + 1;
	if (added)
		*added = 1;
	return id;
}

const char *cx_keys_get(const cx_keys *t, uint32_t id, size_t *n)
{
	size_t start = t->off[id];
	if (n)
		*n = (id + 1 < t->n ? t->off[id + 1] : t->arena.len) - start - 1;
	return t->arena.p + start;
}

void cx_keys_free(cx_keys *t)
{
	free(t->slots);
	free(t->hashes);
	free(t->off);
	cx_buf_free(&t->arena);
	memset(t, 0, sizeof *t);
}
