/* sort: cx-sort's engine: the records in memory, sorted in place of an
 * index, written out or spilled as runs (see sort.h for the whole design,
 * sort_merge.c for the runs).
 *
 * Memory held while reading, all counted against conf->mem:
 *   - an arena of chunks (of mem/16, at least 64 KiB, at most 16 MiB; a
 *     longer record gets a chunk of its own) holding each record's escaped
 *     line with its '\n', then the unescaped values of its keys that had a
 *     backslash;
 *   - per record, its line slice, nkeys cx_sort_val and two uint32_t (the
 *     index and the merge sort's scratch), in arrays of `cap` entries.
 * A spill resets the arena (keeping its ordinary chunks) and the count;
 * before the merge, all of it is freed. */
#include "order/sort.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "order/sort_int.h"

typedef struct chunk {
	char *p;
	size_t size;
} chunk;

typedef struct mem {
	chunk *chunks;
	size_t nchunks, cur, used;	/* bytes used of chunks[cur] */
	size_t chunk_size;
	size_t consumed;	/* arena bytes taken, including chunk tails skipped */
	cx_slice *recs;
	cx_sort_val *vals;
	uint32_t *idx, *tmp;
	size_t n, cap, per_rec;
} mem;

static char *arena_take(mem *m, size_t need)
{
	while (m->cur < m->nchunks && m->chunks[m->cur].size - m->used < need) {
		m->consumed += m->chunks[m->cur].size - m->used;
		m->cur++;
		m->used = 0;
	}
	if (m->cur == m->nchunks) {
		m->chunks = cx_realloc(m->chunks, (m->nchunks + 1) * sizeof *m->chunks);
		size_t size = need > m->chunk_size ? need : m->chunk_size;
		m->chunks[m->nchunks].p = cx_malloc(size);
		m->chunks[m->nchunks].size = size;
		m->nchunks++;
	}
	char *p = m->chunks[m->cur].p + m->used;
	m->used += need;
	m->consumed += need;
	return p;
}

/* After a spill: reuse the ordinary chunks, free the outsized ones. */
static void arena_reset(mem *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nchunks; i++) {
		if (m->chunks[i].size > m->chunk_size)
			free(m->chunks[i].p);
		else
			m->chunks[k++] = m->chunks[i];
	}
	m->nchunks = k;
	m->cur = m->used = m->consumed = 0;
	m->n = 0;
}

static void mem_free(mem *m)
{
	for (size_t i = 0; i < m->nchunks; i++)
		free(m->chunks[i].p);
	free(m->chunks);
	free(m->recs);
	free(m->vals);
	free(m->idx);
	free(m->tmp);
	memset(m, 0, sizeof *m);
}

static void mem_grow(mem *m, size_t cap, size_t nk)
{
	m->recs = cx_realloc(m->recs, cap * sizeof *m->recs);
	m->vals = cx_realloc(m->vals, (cap * nk + 1) * sizeof *m->vals);
	m->idx = cx_realloc(m->idx, cap * sizeof *m->idx);
	m->tmp = cx_realloc(m->tmp, cap * sizeof *m->tmp);
	m->cap = cap;
}

static void sort_held(sort_ctx *x, mem *m)
{
	for (size_t i = 0; i < m->n; i++)
		m->idx[i] = (uint32_t)i;
	cx_sort_index(x->c->keys, x->c->nkeys, m->vals, m->idx, m->tmp, m->n);
}

static void spill_held(sort_ctx *x, mem *m, sort_spill **s)
{
	if (!*s)
		*s = sort_spill_new(x);
	sort_held(x, m);
	for (size_t i = 0; i < m->n; i++) {
		cx_slice r = m->recs[m->idx[i]];
		sort_spill_add(*s, r.p, r.n + 1);
	}
	sort_spill_end_run(*s);
	arena_reset(m);
}

/* Would holding one more record of `need` arena bytes pass the limit?
 * Grows the arrays when it would not. */
static int full(sort_ctx *x, mem *m, size_t need)
{
	size_t cap = m->cap;
	if (m->n == cap)
		cap = cap < 1024 ? 1024 : cap + cap / 2;
	if (m->n > 0 && (m->consumed + need + cap * m->per_rec > x->c->mem || m->n == UINT32_MAX))
		return 1;
	if (cap != m->cap)
		mem_grow(m, cap, x->c->nkeys);
	return 0;
}

/* Copy the reader's record into the arena with its key values. */
static void hold(sort_ctx *x, mem *m, cx_slice line, sort_spill **s)
{
	size_t nk = x->c->nkeys;
	cx_sort_val *vals = x->vals;
	cx_buf_reset(&x->scratch);
	cx_sort_extract(x->c->keys, nk, line.p, line.n, x->fields, x->nfields, vals, &x->scratch);
	size_t extra = x->scratch.len, need = line.n + 1 + extra;
	if (full(x, m, need)) {
		spill_held(x, m, s);
		full(x, m, need);
	}
	char *p = arena_take(m, need);
	memcpy(p, line.p, line.n);
	p[line.n] = '\n';
	if (extra)
		memcpy(p + line.n + 1, x->scratch.p, extra);
	cx_sort_val *dst = m->vals + m->n * nk;
	for (size_t i = 0; i < nk; i++) {
		dst[i] = vals[i];
		if (vals[i].p >= line.p && vals[i].p <= line.p + line.n)
			dst[i].p = p + (vals[i].p - line.p);
		else
			dst[i].p = p + line.n + 1 + (vals[i].p - x->scratch.p);
	}
	m->recs[m->n].p = p;
	m->recs[m->n].n = line.n;
	m->n++;
}

void sort_emit(sort_ctx *x, const char *line, size_t n, const cx_sort_val *vals)
{
	if (x->c->unique) {
		size_t nk = x->c->nkeys;
		if (x->have_prev && cx_sort_cmp(x->c->keys, nk, x->prev_vals, vals) == 0)
			return;
		/* Keep a copy: the record's own memory may not outlive it. */
		cx_buf_reset(&x->prev_line);
		cx_buf_add(&x->prev_line, line, n);
		cx_sort_extract(x->c->keys, nk, x->prev_line.p, n, x->fields, x->nfields,
				x->prev_vals, &x->prev_scratch);
		x->have_prev = 1;
	}
	cx_out_raw(x->out, line, n + 1);
}

int cx_sort_run(cx_sort_conf *c, cx_reader *r, cx_output *out)
{
	sort_ctx x = { .c = c, .out = out };
	for (size_t i = 0; i < c->nkeys; i++) {
		c->keys[i].col = cx_reader_need(r, c->keys[i].field);
		if (c->keys[i].col + 1 > x.nfields)
			x.nfields = c->keys[i].col + 1;
	}
	x.fields = cx_malloc((x.nfields + 1) * sizeof *x.fields);
	x.prev_vals = cx_malloc((c->nkeys + 1) * sizeof *x.prev_vals);
	x.vals = cx_malloc((c->nkeys + 1) * sizeof *x.vals);
	x.tmpdir = c->tmpdir;
	if (!x.tmpdir || !*x.tmpdir)
		x.tmpdir = getenv("TMPDIR");
	if (!x.tmpdir || !*x.tmpdir)
		x.tmpdir = "/tmp";
	x.bufsize = c->mem / (2 * c->fanin);
	x.bufsize = x.bufsize < 4096 ? 4096 : x.bufsize > (1u << 20) ? 1u << 20 : x.bufsize;

	mem m = { .per_rec = sizeof(cx_slice) + c->nkeys * sizeof(cx_sort_val) + 2 * sizeof(uint32_t) };
	m.chunk_size = c->mem / 16;
	m.chunk_size = m.chunk_size < (64u << 10) ? 64u << 10
		     : m.chunk_size > (16u << 20) ? 16u << 20 : m.chunk_size;
	sort_spill *s = NULL;
	/* The key fields are split here, from the line: the reader only
	 * counts the fields (a ragged record is still an error). */
	cx_reader_split(r, 0);
	while (cx_reader_next(r)) {
		cx_reader_check_escapes(r);
		hold(&x, &m, cx_reader_line(r), &s);
	}

	cx_out_header(out, r->names, r->nfields);
	if (!s) {
		sort_held(&x, &m);
		for (size_t i = 0; i < m.n; i++) {
			cx_slice rec = m.recs[m.idx[i]];
			sort_emit(&x, rec.p, rec.n, m.vals + (size_t)m.idx[i] * c->nkeys);
		}
		mem_free(&m);
	} else {
		if (m.n)
			spill_held(&x, &m, &s);
		mem_free(&m);
		sort_merge(&x, s);
	}
	free(x.fields);
	free(x.prev_vals);
	free(x.vals);
	cx_buf_free(&x.scratch);
	cx_buf_free(&x.prev_line);
	cx_buf_free(&x.prev_scratch);
	return CX_EXIT_OK;
}
