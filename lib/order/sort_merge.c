/* sort_merge: cx-sort's runs on disk and their k-way merge.
 *
 * Runs are merged with a binary heap of the runs' current records, at
 * most conf->fanin runs at a time: while there are more runs than that,
 * each group of fanin consecutive runs is merged into one run of a new
 * spill (a pass), and the old spill is closed.  Ties go to the earlier
 * run, and runs hold consecutive stretches of the input in order, so the
 * merge is as stable as the in-memory sort.  Each run being merged has a
 * read buffer of sort_ctx.bufsize bytes (grown for a longer record), its
 * record's key values and an unescape scratch; all are freed after the
 * group. */
#include "order/sort_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"

sort_spill *sort_spill_new(const sort_ctx *x)
{
	sort_spill *s = cx_calloc(1, sizeof *s);
	cx_buf t = CX_BUF_INIT;
	cx_buf_addf(&t, "%s/cx-sort.XXXXXX", x->tmpdir);
	s->fd = cx_tmp_make(t.p);
	if (s->fd < 0)
		cx_die(CX_EXIT_IO, "cannot create a temporary file in '%s': %s", x->tmpdir,
		       s->fd == -2 ? "too many temporary files" : strerror(errno));
	s->path = t.p;
	int wfd = dup(s->fd);
	if (wfd < 0)
		cx_die(CX_EXIT_IO, "%s: %s", s->path, strerror(errno));
	s->w = cx_output_fdopen(wfd, s->path);
	s->cap = 16;
	s->bounds = cx_malloc(s->cap * sizeof *s->bounds);
	s->bounds[0] = 0;
	return s;
}

void sort_spill_add(sort_spill *s, const char *p, size_t n)
{
	cx_out_raw(s->w, p, n);
	s->size += (off_t)n;
}

void sort_spill_end_run(sort_spill *s)
{
	if (s->nruns + 2 > s->cap) {
		s->cap *= 2;
		s->bounds = cx_realloc(s->bounds, s->cap * sizeof *s->bounds);
	}
	s->bounds[++s->nruns] = s->size;
}

/* Done writing: flush, and take the name away (the descriptor stays). */
static void spill_seal(sort_spill *s)
{
	if (s->w) {
		cx_output_close(s->w);
		s->w = NULL;
	}
	if (s->path) {
		unlink(s->path);
		cx_tmp_forget(s->path);
		free(s->path);
		s->path = NULL;
	}
}

void sort_spill_free(sort_spill *s)
{
	spill_seal(s);
	close(s->fd);
	free(s->bounds);
	free(s);
}

/* One run being merged. */
typedef struct src {
	off_t pos, end;		/* what is left to read of the run */
	cx_buf buf;		/* bytes read, from start */
	size_t start;
	const char *line;	/* current record, its '\n' at line[n] */
	size_t n;
	cx_sort_val *vals;
	cx_buf scratch;
} src;

/* Read the run's next record; 0 at its end. */
static int src_next(sort_ctx *x, int fd, src *s)
{
	for (;;) {
		const char *p = s->buf.p ? s->buf.p + s->start : NULL;
		size_t have = s->buf.len - s->start;
		const char *nl = have ? memchr(p, '\n', have) : NULL;
		if (nl) {
			s->line = p;
			s->n = (size_t)(nl - p);
			s->start += s->n + 1;
			if (cx_sort_extract(x->c->keys, x->c->nkeys, s->line, s->n, x->fields,
					    x->nfields, s->vals, &s->scratch) < 0)
				cx_die(CX_EXIT_IO, "a temporary file of cx-sort changed under it");
			return 1;
		}
		if (s->pos == s->end) {
			if (have)
				cx_die(CX_EXIT_IO, "a temporary file of cx-sort changed under it");
			return 0;
		}
		/* Keep the partial record, at the front; room for more. */
		if (have && s->start)
			memmove(s->buf.p, p, have);
		s->buf.len = have;
		s->start = 0;
		if (s->buf.cap < have + 1 + x->bufsize / 2)
			cx_buf_grow(&s->buf, x->bufsize);
		size_t room = s->buf.cap - have - 1;
		if ((off_t)room > s->end - s->pos)
			room = (size_t)(s->end - s->pos);
		ssize_t got = pread(fd, s->buf.p + have, room, s->pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			cx_die(CX_EXIT_IO, "read error on a temporary file of cx-sort: %s",
			       got < 0 ? strerror(errno) : "file shorter than written");
		s->buf.len += (size_t)got;
		s->pos += got;
	}
}

/* Is heap entry a before b: keys, then the earlier run. */
static int before(const sort_ctx *x, const src *v, size_t a, size_t b)
{
	int c = cx_sort_cmp(x->c->keys, x->c->nkeys, v[a].vals, v[b].vals);
	return c < 0 || (c == 0 && a < b);
}

static void sift_down(const sort_ctx *x, const src *v, size_t *heap, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && before(x, v, heap[l], heap[m]))
			m = l;
		if (l + 1 < n && before(x, v, heap[l + 1], heap[m]))
			m = l + 1;
		if (m == i)
			return;
		size_t t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

/* Merge runs [lo, hi) of s into the run being written to dst, or into the
 * final output when dst is NULL. */
static void merge_group(sort_ctx *x, sort_spill *s, size_t lo, size_t hi, sort_spill *dst)
{
	size_t k = hi - lo, nk = x->c->nkeys;
	src *v = cx_calloc(k, sizeof *v);
	size_t *heap = cx_malloc(k * sizeof *heap), n = 0;
	cx_sort_val *vals = cx_malloc((k * nk + 1) * sizeof *vals);
	for (size_t i = 0; i < k; i++) {
		v[i].pos = s->bounds[lo + i];
		v[i].end = s->bounds[lo + i + 1];
		v[i].vals = vals + i * nk;
		if (src_next(x, s->fd, &v[i]))
			heap[n++] = i;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(x, v, heap, n, i);
	while (n) {
		src *top = &v[heap[0]];
		if (dst)
			sort_spill_add(dst, top->line, top->n + 1);
		else
			sort_emit(x, top->line, top->n, top->vals);
		if (!src_next(x, s->fd, top))
			heap[0] = heap[--n];
		sift_down(x, v, heap, n, 0);
	}
	if (dst)
		sort_spill_end_run(dst);
	for (size_t i = 0; i < k; i++) {
		cx_buf_free(&v[i].buf);
		cx_buf_free(&v[i].scratch);
	}
	free(vals);
	free(heap);
	free(v);
}

void sort_merge(sort_ctx *x, sort_spill *s)
{
	size_t fanin = x->c->fanin;
	spill_seal(s);
	while (s->nruns > fanin) {
		sort_spill *next = sort_spill_new(x);
		for (size_t lo = 0; lo < s->nruns; lo += fanin)
			merge_group(x, s, lo, lo + fanin < s->nruns ? lo + fanin : s->nruns, next);
		sort_spill_free(s);
		s = next;
		spill_seal(s);
	}
	merge_group(x, s, 0, s->nruns, NULL);
	sort_spill_free(s);
}
