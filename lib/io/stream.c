#include "io/stream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/err.h"

size_t cx_unescape(cx_buf *dst, const char *src, size_t n)
{
	const char *p = src, *e = src + n;
	while (p < e) {
		const char *bs = memchr(p, '\\', (size_t)(e - p));
		if (!bs) {
			cx_buf_add(dst, p, (size_t)(e - p));
			break;
		}
		cx_buf_add(dst, p, (size_t)(bs - p));
		if (bs + 1 == e)
			return (size_t)(bs - src) + 1;
		switch (bs[1]) {
		case 't': cx_buf_addc(dst, '\t'); break;
		case 'n': cx_buf_addc(dst, '\n'); break;
		case 'r': cx_buf_addc(dst, '\r'); break;
		case '\\': cx_buf_addc(dst, '\\'); break;
		default: return (size_t)(bs - src) + 1;
		}
		p = bs + 2;
	}
	return 0;
}

void cx_bad_escape(const char *file, long line, const char *field)
{
	cx_die_at(CX_EXIT_DATA, file, line,
		  "field '%s': invalid escape (a backslash must be followed by t, n, r or a backslash)",
		  field);
}

const char *cx_shown(cx_buf *b, const char *p, size_t n)
{
	size_t k = n;
	if (k > 64) {
		k = 64;
		while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80)
			k--;
	}
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0)
			cx_buf_adds(b, "\\0");
		else if (c < 0x20 || c == 0x7f)
			cx_buf_addf(b, "\\x%02x", c);
		else
			cx_buf_addc(b, p[i]);
	}
	if (k < n)
		cx_buf_adds(b, "...");
	return b->p ? b->p : "";
}

void cx_rec_bad_field(const cx_reader *r, size_t i, const char *what)
{
	cx_buf b = CX_BUF_INIT;
	cx_die_at(CX_EXIT_DATA, r->file, r->line, "field '%s': %s: '%s'", r->names[i], what,
		  cx_shown(&b, r->f[i].p, r->f[i].n));
}

/* Tabs in p[0..n).  Past the fields a program asks for, the record is
 * only counted, and counting is the inner loop of a pass-through: 16
 * bytes at a time where SSE2 is there (every x86-64), 8 elsewhere. */
static size_t count_tabs(const char *p, size_t n)
{
	size_t c = 0, i = 0;
#ifdef __SSE2__
	/* Each 0xFF of the comparison subtracted from a byte counter adds
	 * one; the counters are summed (psadbw) before they can overflow.
	 * No popcount: x86-64 without -mpopcnt would call a library one. */
	const __m128i tab = _mm_set1_epi8('\t'), zero = _mm_setzero_si128();
	while (i + 16 <= n) {
		__m128i acc = zero;
		size_t stop = n - i >= 255 * 16 ? i + 255 * 16 : i + ((n - i) & ~(size_t)15);
		for (; i < stop; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, tab));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
#else
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		w ^= 0x0909090909090909ull;	/* tab bytes become 0 */
		w = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
		c += (size_t)__builtin_popcountll(w);
	}
#endif
	for (; i < n; i++)
		c += p[i] == '\t';
	return c;
}

/* Split line into r->f: the first `cap` fields are stored, the rest only
 * counted.  Returns the number of fields.  Fields are short (a product
 * name, a flag), so finding tabs 16 bytes at a time beats a memchr call
 * per field. */
static size_t split(cx_reader *r, const char *p, size_t n, size_t cap)
{
	size_t k = 0, start = 0, i = 0;
	if (cap == 0)
		return count_tabs(p, n) + 1;
#ifdef __SSE2__
	const __m128i tab = _mm_set1_epi8('\t');
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
		while (mask) {
			size_t t = i + (size_t)__builtin_ctz(mask);
			mask &= mask - 1;
			r->f[k].p = p + start;
			r->f[k].n = t - start;
			start = t + 1;
			if (++k == cap) {
				size_t more = 0;
				for (; mask; mask &= mask - 1)
					more++;
				return k + more + count_tabs(p + i + 16, n - i - 16) + 1;
			}
		}
	}
#endif
	for (; i < n; i++) {
		if (p[i] != '\t')
			continue;
		r->f[k].p = p + start;
		r->f[k].n = i - start;
		start = i + 1;
		if (++k == cap)
			return k + count_tabs(p + i + 1, n - i - 1) + 1;
	}
	r->f[k].p = p + start;
	r->f[k].n = n - start;
	return k + 1;
}

static int read_line(cx_reader *r, const char **p, size_t *n)
{
	if (!cx_input_line(r->in, p, n))
		return 0;
	r->line = cx_input_lineno(r->in);
	if (*n && (*p)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

const char *cx_names_list(char *const *names, size_t n, cx_buf *b)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			cx_buf_adds(b, ", ");
		cx_buf_adds(b, names[i]);
	}
	return b->p ? b->p : "";
}

static const char *list_names(const cx_reader *r, cx_buf *b)
{
	return cx_names_list(r->names, r->nfields, b);
}

/* Read the header of the current input.  For the first input it becomes
 * the stream's header; later ones must match it. */
static void read_header(cx_reader *r)
{
	const char *p;
	size_t n;
	if (!read_line(r, &p, &n))
		cx_die_at(CX_EXIT_DATA, r->file, 0, "empty input: expected a header line");
	if (!r->names) {
		size_t k = split(r, p, n, 0);
		r->f = cx_calloc(k, sizeof *r->f);
		split(r, p, n, k);
		r->nfields = k;
		r->names = cx_calloc(k, sizeof *r->names);
		cx_buf b = CX_BUF_INIT;
		for (size_t i = 0; i < k; i++) {
			cx_buf_reset(&b);
			size_t bad = cx_unescape(&b, r->f[i].p, r->f[i].n);
			if (bad)
				cx_bad_escape(r->file, r->line, "(header)");
			if (b.len == 0)
				cx_die_at(CX_EXIT_DATA, r->file, r->line,
					  "header: field %zu has an empty name", i + 1);
			if (memchr(b.p, '\0', b.len))
				cx_die_at(CX_EXIT_DATA, r->file, r->line,
					  "header: the name of field %zu holds a NUL byte", i + 1);
			r->names[i] = cx_strndup(b.p, b.len);
			for (size_t j = 0; j < i; j++)
				if (!strcmp(r->names[j], r->names[i]))
					cx_die_at(CX_EXIT_DATA, r->file, r->line,
						  "header: duplicate field name '%s' (fields %zu and %zu)",
						  r->names[i], j + 1, i + 1);
		}
		cx_buf_free(&b);
		return;
	}
	size_t k = split(r, p, n, r->nfields);
	int same = k == r->nfields;
	for (size_t i = 0; same && i < k; i++) {
		cx_buf b = CX_BUF_INIT;
		cx_unescape(&b, r->f[i].p, r->f[i].n);
		same = b.len == strlen(r->names[i]) && !memcmp(b.p, r->names[i], b.len);
		cx_buf_free(&b);
	}
	if (!same)
		cx_die_at(CX_EXIT_DATA, r->file, r->line,
			  "header differs from the header of '%s'; inputs must have the same fields",
			  r->first_file);
}

static void open_input(cx_reader *r, const char *path)
{
	r->in = cx_input_open(path, NULL);
	r->file = cx_input_name(r->in);
	r->line = 0;
	read_header(r);
}

cx_reader *cx_reader_open(char **paths, size_t npaths)
{
	cx_reader *r = cx_calloc(1, sizeof *r);
	static char *stdin_only[] = { "-" };
	if (npaths == 0) {
		paths = stdin_only;
		npaths = 1;
	}
	r->paths = paths;
	r->npaths = npaths;
	r->next_path = 1;
	open_input(r, paths[0]);
	r->first_file = r->file;
	r->nsplit = r->nfields;
	return r;
}

void cx_reader_close(cx_reader *r)
{
	if (!r)
		return;
	cx_input_close(r->in);
	for (size_t i = 0; i < r->nfields; i++)
		free(r->names[i]);
	free(r->names);
	free(r->f);
	free(r);
}

int cx_reader_next(cx_reader *r)
{
	const char *p;
	size_t n;
	while (!read_line(r, &p, &n)) {
		if (r->next_path >= r->npaths)
			return 0;
		cx_input_close(r->in);
		open_input(r, r->paths[r->next_path++]);
	}
	r->rec.p = p;
	r->rec.n = n;
	size_t k = split(r, p, n, r->nsplit);
	if (k != r->nfields)
		cx_die_at(CX_EXIT_DATA, r->file, r->line, "expected %zu fields, found %zu", r->nfields,
			  k);
	r->records++;
	return 1;
}

cx_slice cx_reader_line(const cx_reader *r)
{
	return r->rec;
}

void cx_reader_split(cx_reader *r, size_t n)
{
	r->nsplit = n < r->nfields ? n : r->nfields;
}

void cx_reader_check_escapes(const cx_reader *r)
{
	const char *p = r->rec.p, *e = p + r->rec.n;
	while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		if (p + 1 == e || (p[1] != 't' && p[1] != 'n' && p[1] != 'r' && p[1] != '\\'))
			cx_bad_escape(r->file, r->line,
				      r->names[count_tabs(r->rec.p, (size_t)(p - r->rec.p))]);
		p += 2;
	}
}

int cx_reader_find(const cx_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcmp(r->names[i], name))
			return (int)i;
	return -1;
}

size_t cx_reader_need(const cx_reader *r, const char *name)
{
	int i = cx_reader_find(r, name);
	if (i < 0) {
		cx_buf b = CX_BUF_INIT;
		cx_die(CX_EXIT_USAGE, "no field '%s' in the header of %s; fields are: %s", name,
		       r->first_file, list_names(r, &b));
	}
	return (size_t)i;
}

char **cx_split_list(const char *list, size_t *n)
{
	size_t cap = 4, k = 0;
	char **v = cx_malloc(cap * sizeof *v);
	cx_buf b = CX_BUF_INIT;
	for (const char *p = list;; p++) {
		if (*p == '\\' && p[1] == ',') {
			cx_buf_addc(&b, ',');
			p++;
			continue;
		}
		if (*p == ',' || *p == '\0') {
			if (k == cap)
				v = cx_realloc(v, (cap *= 2) * sizeof *v);
			v[k++] = cx_strndup(b.p ? b.p : "", b.len);
			cx_buf_reset(&b);
			if (!*p)
				break;
			continue;
		}
		cx_buf_addc(&b, *p);
	}
	cx_buf_free(&b);
	*n = k;
	return v;
}

void cx_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

size_t *cx_reader_need_list(const cx_reader *r, const char *list, size_t *n)
{
	char **names = cx_split_list(list, n);
	size_t *idx = cx_malloc(*n * sizeof *idx);
	for (size_t i = 0; i < *n; i++) {
		idx[i] = cx_reader_need(r, names[i]);
		/* A field twice would make a header the next program refuses. */
		for (size_t j = 0; j < i; j++)
			if (idx[j] == idx[i])
				cx_die(CX_EXIT_USAGE, "field '%s' is listed twice", names[i]);
	}
	cx_free_list(names, *n);
	return idx;
}

cx_slice cx_rec_get(cx_reader *r, size_t i, cx_buf *scratch)
{
	cx_slice s = r->f[i];
	if (!memchr(s.p, '\\', s.n))
		return s;
	cx_buf_reset(scratch);
	if (cx_unescape(scratch, s.p, s.n))
		cx_bad_escape(r->file, r->line, r->names[i]);
	s.p = scratch->p;
	s.n = scratch->len;
	return s;
}
