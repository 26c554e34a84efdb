/*
 * turns: the jddc and twcs profiles of cx-ingest (see turns.h).
 *
 * Both profiles check a record completely before giving it a turn number,
 * so a refused record never leaves a gap; what they hand out then goes
 * through cx-ingest's own checks (ingest.c) like any row.  jddc numbers a
 * line as it reads it.  twcs has three phases: it collects the tweets of
 * all its inputs (refusing bad records as they come), links each to its
 * thread's root (refusing the tweets of reply cycles), then sorts and
 * writes the turns.
 *
 * Memory: the cx_turns owns everything.  The values of the row handed out
 * are in val[], reused for every row.  jddc: the session ids and a counter
 * each (cx_keys).  twcs: per tweet a struct tweet, and its raw record in
 * one arena, addressed by offset because the arena moves as it grows; the
 * text is taken back out of the raw record when it is written, so it is
 * held once.  The ids and the author names are interned (cx_keys).
 */
#include "ingest/turns.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"
#include "core/keys.h"
#include "ingest/ingest.h"
#include "io/input.h"

/* Both profiles write the six common fields and three of their own. */
#define NFIELDS 9
enum { F_CONV, F_TURN, F_TS, F_SPEAKER, F_CUSTOMER, F_TEXT, F_X1, F_X2, F_X3 };

static const char *const jddc_fields[NFIELDS] = {
	"conversation_id", "turn", "ts", "speaker", "customer_id", "text",
	"product", "transferred", "repeat_enquiry",
};
static const char *const twcs_fields[NFIELDS] = {
	"conversation_id", "turn", "ts", "speaker", "customer_id", "text",
	"tweet_id", "author_id", "in_response_to",
};

/* The columns of a JDDC line, by position; named in messages after the
 * fields they become. */
enum { J_SESSION, J_CUSTOMER, J_SPEAKER, J_TRANSFERRED, J_REPEAT, J_PRODUCT, J_TEXT, J_NCOLS };
static const char *const jddc_cols[J_NCOLS] = {
	"conversation_id", "customer_id", "speaker", "transferred", "repeat_enquiry", "product",
	"text",
};

/* The columns of a twcs CSV that are read, found by name in its header
 * (response_tweet_id is not: the links up are enough). */
enum { W_ID, W_AUTHOR, W_INBOUND, W_CREATED, W_TEXT, W_PARENT, W_NCOLS };
static const char *const twcs_cols[W_NCOLS] = {
	"tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id",
};

#define NONE UINT32_MAX

struct input {
	cx_input *in;		/* jddc */
	cx_rows *rows;		/* twcs */
	size_t col[W_NCOLS];	/* twcs: where each column read is */
	size_t tag;
	int encoded;		/* --encoding given */
};

/* A tweet, kept until its thread is written. */
struct tweet {
	uint64_t id, parent;	/* parent: when has_parent */
	cx_instant at;
	size_t raw, raw_len;	/* the record as read, in the arena */
	size_t text, text_len;	/* its text field in the arena, without quotes */
	long line;
	uint32_t input, author;	/* author: an id in authors */
	uint32_t up;		/* the parent's index, NONE if not in the input */
	uint32_t root;		/* the root's index; in a cycle, the cycle's length */
	unsigned char has_parent, inbound, quoted, state;
};

/* A tweet's state while threads are resolved, and after. */
enum { T_NEW, T_ON_PATH, T_OK, T_IN_CYCLE, T_TO_CYCLE };
/* What twcs is doing. */
enum { P_COLLECT, P_REFUSE, P_WRITE, P_DONE };

struct cx_turns {
	cx_from profile;
	int trim;
	struct input *in;
	size_t nin, incap;
	char *names[NFIELDS];

	cx_buf val[NFIELDS];	/* the row handed out */
	cx_slice v[NFIELDS];
	cx_buf why;

	/* jddc */
	cx_keys sessions;
	uint64_t *count;	/* per session: its turns so far */
	size_t countcap;
	uint32_t last;		/* the session of the line before, or NONE */

	/* twcs */
	struct tweet *tw;
	size_t ntw, twcap;
	cx_keys ids;		/* tweet id, 8 bytes, to its index in tw */
	cx_keys authors;
	cx_buf arena;		/* raw records back to back */
	uint32_t *order;	/* the tweets to write, in output order */
	size_t norder;
	size_t pos;		/* next in tw (refusing) or in order (writing) */
	uint32_t root;		/* the thread being written */
	uint32_t customer;	/* its customer's author id, or NONE */
	uint64_t turn;
	int phase;
};

int cx_from_is_turns(cx_from from)
{
	return from == CX_FROM_JDDC || from == CX_FROM_TWCS;
}

cx_turns *cx_turns_new(cx_from profile, int trim)
{
	cx_turns *t = cx_calloc(1, sizeof *t);
	t->profile = profile;
	t->trim = trim;
	const char *const *names = profile == CX_FROM_JDDC ? jddc_fields : twcs_fields;
	for (size_t i = 0; i < NFIELDS; i++)
		t->names[i] = cx_strdup(names[i]);
	cx_keys init = CX_KEYS_INIT;
	t->sessions = t->ids = t->authors = init;
	t->last = NONE;
	return t;
}

char **cx_turns_header(const cx_turns *t, size_t *n)
{
	*n = NFIELDS;
	return (char **)t->names;
}

const char *cx_turns_name(const cx_turns *t, size_t k)
{
	return t->in[k].rows ? cx_rows_name(t->in[k].rows) : cx_input_name(t->in[k].in);
}

static void open_twcs(struct input *in, const char *path, const char *encoding, long skip)
{
	in->rows = cx_rows_open(path, CX_FROM_CSV, encoding, skip, NULL);
	size_t n;
	char **h = cx_rows_header(in->rows, &n);
	for (size_t c = 0; c < W_NCOLS; c++) {
		size_t i = 0;
		while (i < n && strcmp(h[i], twcs_cols[c]))
			i++;
		if (i == n)
			cx_die_at(CX_EXIT_DATA, cx_rows_name(in->rows), 0,
				  "header: no column '%s' (--from twcs reads tweet_id, author_id, "
				  "inbound, created_at, text and in_response_to_tweet_id)",
				  twcs_cols[c]);
		in->col[c] = i;
	}
}

size_t cx_turns_add(cx_turns *t, const char *path, const char *encoding, long skip, size_t tag)
{
	if (t->nin == t->incap) {
		t->incap = t->incap ? t->incap * 2 : 4;
		t->in = cx_realloc(t->in, t->incap * sizeof *t->in);
	}
	struct input *in = &t->in[t->nin];
	memset(in, 0, sizeof *in);
	in->tag = tag;
	in->encoded = encoding != NULL;
	if (t->profile == CX_FROM_TWCS) {
		open_twcs(in, path, encoding, skip);
	} else {
		in->in = cx_input_open(path, encoding);
		const char *p;
		size_t n;
		for (long i = 0; i < skip && cx_input_line(in->in, &p, &n); i++)
			;
	}
	return t->nin++;
}

/* --- values --- */

static cx_slice slice(const char *p, size_t n)
{
	cx_slice s = { p, n };
	return s;
}

static int is_slice(cx_slice v, const char *s, size_t n)
{
	return v.n == n && !memcmp(v.p, s, n);
}

static int is(cx_slice v, const char *s)
{
	return is_slice(v, s, strlen(s));
}

static void set(cx_turns *t, int f, const char *p, size_t n)
{
	cx_buf_reset(&t->val[f]);
	cx_buf_add(&t->val[f], p, n);
}

static void set_num(cx_turns *t, int f, uint64_t x)
{
	char num[24];
	int k = snprintf(num, sizeof num, "%llu", (unsigned long long)x);
	set(t, f, num, (size_t)k);
}

/* Hand out the values in val[] as the row. */
static void give_row(cx_turns *t, cx_row *row)
{
	for (size_t i = 0; i < NFIELDS; i++)
		t->v[i] = slice(t->val[i].p ? t->val[i].p : "", t->val[i].len);
	row->v = t->v;
	row->n = NFIELDS;
	row->error = NULL;
}

static void give_refusal(cx_row *row, const char *why)
{
	row->v = NULL;
	row->n = 0;
	row->error = why;
}

/* The checks of ingest.c, then the trim, so that what is tested is what
 * is written. */
static const char *check(cx_turns *t, const struct input *in, const char *name, cx_slice *v)
{
	const char *why = cx_ingest_check_text(name, *v, in->encoded, &t->why);
	if (!why && t->trim)
		*v = cx_ingest_trim(*v);
	return why;
}

/* "field 'NAME': WANT, found 'VALUE'" */
static const char *bad_value(cx_turns *t, const char *name, const char *want, cx_slice v)
{
	cx_buf_reset(&t->why);
	cx_buf_addf(&t->why, "field '%s': %s, found '%.*s'", name, want, (int)(v.n > 64 ? 64 : v.n),
		    v.p);
	return t->why.p;
}

/* --- jddc --- */

/* Check a JDDC line and, when it is good, make it the next turn of its
 * session in val[]; NULL, or why it is refused. */
static const char *jddc_turn(cx_turns *t, const struct input *in, const char *p, size_t n)
{
	cx_slice c[J_NCOLS];
	size_t nf = 0;
	for (const char *e = p + n;;) {
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		const char *end = tab ? tab : e;
		if (nf < J_NCOLS)
			c[nf] = slice(p, (size_t)(end - p));
		nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (nf != J_NCOLS) {
		cx_buf_reset(&t->why);
		cx_buf_addf(&t->why, "expected %d fields, found %zu", J_NCOLS, nf);
		return t->why.p;
	}
	const char *why;
	for (size_t i = 0; i < J_NCOLS; i++)
		if ((why = check(t, in, jddc_cols[i], &c[i])) != NULL)
			return why;
	if (c[J_SESSION].n == 0)
		return "field 'conversation_id': empty (the session id, column 1)";
	if (!is(c[J_SPEAKER], "0") && !is(c[J_SPEAKER], "1"))
		return bad_value(t, "speaker", "expected 0 (customer) or 1 (agent)", c[J_SPEAKER]);
	for (int k = J_TRANSFERRED; k <= J_REPEAT; k++)
		if (c[k].n && !is(c[k], "0") && !is(c[k], "1"))
			return bad_value(t, jddc_cols[k], "expected 0 or 1", c[k]);

	/* Sessions come in blocks of lines: most lines are of the session of
	 * the line before, which costs a compare, not a hash lookup. */
	size_t len = 0;
	const char *last = t->last == NONE ? NULL : cx_keys_get(&t->sessions, t->last, &len);
	uint32_t s = t->last;
	if (!last || !is_slice(c[J_SESSION], last, len)) {
		int added;
		s = cx_keys_intern(&t->sessions, c[J_SESSION].p, c[J_SESSION].n, &added);
		if (s >= t->countcap) {
			t->countcap = t->countcap ? t->countcap * 2 : 1024;
			t->count = cx_realloc(t->count, t->countcap * sizeof *t->count);
		}
		if (added)
			t->count[s] = 0;
		t->last = s;
	}
	set(t, F_CONV, c[J_SESSION].p, c[J_SESSION].n);
	set_num(t, F_TURN, ++t->count[s]);
	set(t, F_TS, "", 0);
	const char *speaker = is(c[J_SPEAKER], "1") ? "agent" : "customer";
	set(t, F_SPEAKER, speaker, strlen(speaker));
	set(t, F_CUSTOMER, c[J_CUSTOMER].p, c[J_CUSTOMER].n);
	set(t, F_TEXT, c[J_TEXT].p, c[J_TEXT].n);
	/* "nan" is how the export (pandas) wrote a missing product. */
	if (is(c[J_PRODUCT], "nan"))
		c[J_PRODUCT].n = 0;
	set(t, F_X1, c[J_PRODUCT].p, c[J_PRODUCT].n);
	set(t, F_X2, c[J_TRANSFERRED].p, c[J_TRANSFERRED].n);
	set(t, F_X3, c[J_REPEAT].p, c[J_REPEAT].n);
	return NULL;
}

static int jddc_next(cx_turns *t, size_t k, cx_row *row, size_t *tag)
{
	struct input *in = &t->in[k];
	const char *p;
	size_t n;
	do {
		if (!cx_input_line(in->in, &p, &n))
			return CX_TURNS_END;
		if (n && p[n - 1] == '\r')
			n--;
		/* A blank line holds no turn. */
	} while (n == 0);
	row->line = cx_input_lineno(in->in);
	row->raw = slice(p, n);
	*tag = in->tag;
	const char *why = jddc_turn(t, in, p, n);
	if (why)
		give_refusal(row, why);
	else
		give_row(t, row);
	return CX_TURNS_ROW;
}

/* --- twcs: collecting --- */

/* A tweet id: decimal digits, optionally followed by ".0" (as pandas
 * writes the ids of a column with gaps); 0, or -1 if v is none. */
static int tweet_id(cx_slice v, uint64_t *out)
{
	size_t n = v.n;
	if (n > 2 && v.p[n - 2] == '.' && v.p[n - 1] == '0')
		n -= 2;
	if (n == 0)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		unsigned d = (unsigned)(v.p[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*out = x;
	return 0;
}

/*
 * Where field col of a CSV record is in its raw text: *off and *len of its
 * bytes without the enclosing quotes, *quoted when it had them (and ""
 * inside stands for one quote).  libcsv has read the record strictly, so a
 * quoted field runs from its quote to the next lone quote, and any other
 * field to the next comma.
 */
static void csv_span(const char *p, size_t n, size_t col, size_t *off, size_t *len,
		     unsigned char *quoted)
{
	size_t i = 0;
	for (size_t c = 0; i <= n; c++) {
		if (i < n && p[i] == '"') {
			size_t j = i + 1;
			while (j < n && !(p[j] == '"' && !(j + 1 < n && p[j + 1] == '"')))
				j += p[j] == '"' ? 2 : 1;
			/* j is at the closing quote */
			if (c == col) {
				*off = i + 1;
				*len = j - i - 1;
				*quoted = 1;
				return;
			}
			i = j + 1;
		} else {
			size_t start = i;
			while (i < n && p[i] != ',')
				i++;
			if (c == col) {
				*off = start;
				*len = i - start;
				*quoted = 0;
				return;
			}
		}
		i++;
	}
	*off = n;
	*len = 0;
	*quoted = 0;
}

/* Check a twcs record and keep it as a tweet; NULL, or why it is
 * refused (*dup set when its id came before). */
static const char *twcs_keep(cx_turns *t, size_t k, const cx_row *r, int *dup)
{
	const struct input *in = &t->in[k];
	cx_slice f[W_NCOLS];
	const char *why;
	for (size_t c = 0; c < W_NCOLS; c++) {
		f[c] = r->v[in->col[c]];
		if ((why = check(t, in, twcs_cols[c], &f[c])) != NULL)
			return why;
	}
	struct tweet w = { .up = NONE, .line = r->line, .input = (uint32_t)k };
	if (tweet_id(f[W_ID], &w.id) != 0)
		return bad_value(t, "tweet_id", "expected a whole number", f[W_ID]);
	if (is(f[W_INBOUND], "True"))
		w.inbound = 1;
	else if (!is(f[W_INBOUND], "False"))
		return bad_value(t, "inbound", "expected True or False", f[W_INBOUND]);
	if (f[W_CREATED].n == 0)
		return "field 'created_at': empty (a tweet needs its time to take its turn)";
	int rc = cx_time_parse(f[W_CREATED].p, f[W_CREATED].n, &w.at);
	if (rc < 0) {
		cx_buf_reset(&t->why);
		cx_buf_addf(&t->why, "field 'created_at': %s: '%.*s'", cx_time_strerror(rc),
			    (int)(f[W_CREATED].n > 64 ? 64 : f[W_CREATED].n), f[W_CREATED].p);
		return t->why.p;
	}
	w.has_parent = f[W_PARENT].n != 0;
	if (w.has_parent && tweet_id(f[W_PARENT], &w.parent) != 0)
		return bad_value(t, "in_response_to_tweet_id", "expected a whole number or nothing",
				 f[W_PARENT]);
	/* Last, as --dedupe comes after the other checks. */
	long seen = cx_keys_find(&t->ids, (const char *)&w.id, sizeof w.id);
	if (seen >= 0) {
		const struct tweet *first = &t->tw[seen];
		cx_buf_reset(&t->why);
		cx_buf_addf(&t->why, "duplicate tweet_id '%llu' (first at %s:%ld)",
			    (unsigned long long)w.id, cx_turns_name(t, first->input), first->line);
		*dup = 1;
		return t->why.p;
	}
	if (t->ntw >= NONE - 1)
		cx_die(CX_EXIT_IO, "%s: more tweets than --from twcs can hold (%u)",
		       cx_turns_name(t, k), NONE - 1);
	int added;
	w.author = cx_keys_intern(&t->authors, f[W_AUTHOR].p, f[W_AUTHOR].n, &added);
	cx_keys_intern(&t->ids, (const char *)&w.id, sizeof w.id, &added);
	size_t off;
	csv_span(r->raw.p, r->raw.n, in->col[W_TEXT], &off, &w.text_len, &w.quoted);
	w.raw = t->arena.len;
	w.raw_len = r->raw.n;
	w.text = w.raw + off;
	cx_buf_add(&t->arena, r->raw.p, r->raw.n);
	if (t->ntw == t->twcap) {
		t->twcap = t->twcap ? t->twcap * 2 : 1024;
		t->tw = cx_realloc(t->tw, t->twcap * sizeof *t->tw);
	}
	t->tw[t->ntw++] = w;
	return NULL;
}

/* The next refused record of input k, or CX_TURNS_END when every record
 * of it is kept or refused. */
static int twcs_collect(cx_turns *t, size_t k, cx_row *row, size_t *tag)
{
	cx_row r;
	*tag = t->in[k].tag;
	while (cx_rows_next(t->in[k].rows, &r)) {
		int dup = 0;
		const char *why = r.error ? r.error : twcs_keep(t, k, &r, &dup);
		if (!why)
			continue;
		*row = r;
		give_refusal(row, why);
		return dup ? CX_TURNS_DUPLICATE : CX_TURNS_ROW;
	}
	return CX_TURNS_END;
}

/* --- twcs: threads --- */

/*
 * Link each tweet to its parent and to its thread's root.  From each
 * tweet not yet placed, walk up until a root, a placed tweet or a tweet of
 * this walk (a cycle); everything on the walk then gets the same verdict.
 * Each tweet is walked over once, so this is linear.
 */
static void twcs_link(cx_turns *t)
{
	struct tweet *tw = t->tw;
	for (size_t i = 0; i < t->ntw; i++) {
		long j = tw[i].has_parent ? cx_keys_find(&t->ids, (const char *)&tw[i].parent, 8) : -1;
		tw[i].up = j >= 0 ? (uint32_t)j : NONE;
	}
	uint32_t *path = cx_calloc(t->ntw + 1, sizeof *path);
	for (size_t i = 0; i < t->ntw; i++) {
		size_t np = 0;
		uint32_t j = (uint32_t)i;
		while (tw[j].state == T_NEW) {
			tw[j].state = T_ON_PATH;
			path[np++] = j;
			if (tw[j].up == NONE)
				break;
			j = tw[j].up;
		}
		unsigned char state = T_OK;
		uint32_t root = 0;
		if (tw[j].state == T_ON_PATH && tw[j].up == NONE) {
			root = j;
		} else if (tw[j].state == T_ON_PATH) {
			/* The walk came back to j: from j on it went round. */
			size_t at = np;
			while (path[--at] != j)
				;
			for (size_t m = at; m < np; m++) {
				tw[path[m]].state = T_IN_CYCLE;
				tw[path[m]].root = (uint32_t)(np - at);
			}
			np = at;
			state = T_TO_CYCLE;
		} else if (tw[j].state == T_OK) {
			root = tw[j].root;
		} else {
			state = T_TO_CYCLE;
		}
		for (size_t m = 0; m < np; m++) {
			tw[path[m]].state = state;
			tw[path[m]].root = root;
		}
	}
	free(path);
}

/* The next tweet refused for a reply cycle, in input order; 0 when none
 * is left. */
static int twcs_refuse(cx_turns *t, cx_row *row, size_t *tag)
{
	while (t->pos < t->ntw) {
		const struct tweet *w = &t->tw[t->pos++];
		if (w->state == T_OK)
			continue;
		cx_buf_reset(&t->why);
		if (w->state == T_IN_CYCLE && w->root == 1)
			cx_buf_adds(&t->why, "in_response_to_tweet_id: the tweet answers itself "
				    "(no tweet starts the thread)");
		else if (w->state == T_IN_CYCLE)
			cx_buf_addf(&t->why, "in_response_to_tweet_id: a reply cycle of %u tweets "
				    "(no tweet starts the thread)", w->root);
		else
			cx_buf_adds(&t->why, "in_response_to_tweet_id: answers a tweet in a reply cycle "
				    "(no tweet starts the thread)");
		row->line = w->line;
		row->raw = slice(t->arena.p + w->raw, w->raw_len);
		*tag = t->in[w->input].tag;
		give_refusal(row, t->why.p);
		return 1;
	}
	return 0;
}

struct turn_key {
	cx_instant first, at;	/* the thread's earliest tweet; the tweet's time */
	uint64_t root_id, id;
	uint32_t i;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int by_turn(const void *pa, const void *pb)
{
	const struct turn_key *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->root_id != b->root_id)
		return cmp_u64(a->root_id, b->root_id);
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return cmp_u64(a->id, b->id);
}

/* The order of the turns: threads by their earliest tweet (then root id),
 * the tweets of a thread by time (then id). */
static void twcs_order(cx_turns *t)
{
	const struct tweet *tw = t->tw;
	cx_instant *first = cx_calloc(t->ntw + 1, sizeof *first);
	for (size_t i = 0; i < t->ntw; i++)
		if (tw[i].state == T_OK && tw[i].root == i)
			first[i] = tw[i].at;
	for (size_t i = 0; i < t->ntw; i++)
		if (tw[i].state == T_OK && tw[i].at < first[tw[i].root])
			first[tw[i].root] = tw[i].at;
	struct turn_key *key = cx_calloc(t->ntw + 1, sizeof *key);
	size_t n = 0;
	for (size_t i = 0; i < t->ntw; i++)
		if (tw[i].state == T_OK)
			key[n++] = (struct turn_key){ first[tw[i].root], tw[i].at, tw[tw[i].root].id,
						      tw[i].id, (uint32_t)i };
	free(first);
	qsort(key, n, sizeof *key, by_turn);
	t->order = cx_calloc(n + 1, sizeof *t->order);
	for (size_t i = 0; i < n; i++)
		t->order[i] = key[i].i;
	t->norder = n;
	free(key);
}

/* The text of a tweet: its quotes undone and the HTML entities Twitter
 * leaves in decoded, in one pass, so "&amp;lt;" is "&lt;".  It comes from
 * the raw record, which has no CR before its line ends: a line end inside
 * the text is LF whatever the file's line ends are. */
static void put_text(cx_turns *t, const struct tweet *w)
{
	static const struct {
		const char *name;
		size_t len;
		char c;
	} ent[] = {
		{ "&amp;", 5, '&' }, { "&lt;", 4, '<' }, { "&gt;", 4, '>' },
		{ "&quot;", 6, '"' }, { "&#39;", 5, '\'' },
	};
	cx_buf *b = &t->val[F_TEXT];
	cx_buf_reset(b);
	const char *p = t->arena.p + w->text, *e = p + w->text_len;
	while (p < e) {
		const char *q = p;
		while (q < e && *q != '&' && !(w->quoted && *q == '"'))
			q++;
		cx_buf_add(b, p, (size_t)(q - p));
		if (q == e)
			break;
		if (*q == '"') {
			cx_buf_addc(b, '"');
			p = q + 2;
			continue;
		}
		size_t k = 0, nent = sizeof ent / sizeof *ent;
		while (k < nent && !((size_t)(e - q) >= ent[k].len && !memcmp(q, ent[k].name, ent[k].len)))
			k++;
		cx_buf_addc(b, k < nent ? ent[k].c : '&');
		p = q + (k < nent ? ent[k].len : 1);
	}
}

static void set_author(cx_turns *t, int f, uint32_t author)
{
	size_t n = 0;
	const char *p = author == NONE ? "" : cx_keys_get(&t->authors, author, &n);
	set(t, f, p, n);
}

/* The next turn in output order; 0 when all are written. */
static int twcs_write(cx_turns *t, cx_row *row, size_t *tag)
{
	if (t->pos == t->norder)
		return 0;
	const struct tweet *tw = t->tw, *w = &tw[t->order[t->pos]];
	if (t->pos == 0 || w->root != t->root) {
		/* A new thread: its customer is the author of its first
		 * customer tweet, in turn order. */
		t->root = w->root;
		t->turn = 0;
		t->customer = NONE;
		for (size_t q = t->pos; q < t->norder && tw[t->order[q]].root == w->root; q++)
			if (tw[t->order[q]].inbound) {
				t->customer = tw[t->order[q]].author;
				break;
			}
	}
	t->pos++;
	set_num(t, F_CONV, tw[w->root].id);
	set_num(t, F_TURN, ++t->turn);
	char iso[CX_TIME_MAX];
	size_t n = cx_time_format(w->at, iso);
	set(t, F_TS, iso, n);
	const char *speaker = w->inbound ? "customer" : "agent";
	set(t, F_SPEAKER, speaker, strlen(speaker));
	set_author(t, F_CUSTOMER, t->customer);
	put_text(t, w);
	set_num(t, F_X1, w->id);
	set_author(t, F_X2, w->author);
	if (w->has_parent)
		set_num(t, F_X3, w->parent);
	else
		set(t, F_X3, "", 0);
	row->line = w->line;
	row->raw = slice(t->arena.p + w->raw, w->raw_len);
	*tag = t->in[w->input].tag;
	give_row(t, row);
	return 1;
}

static int twcs_next(cx_turns *t, size_t k, cx_row *row, size_t *tag)
{
	switch (t->phase) {
	case P_COLLECT: {
		int got = twcs_collect(t, k, row, tag);
		if (got != CX_TURNS_END || k + 1 < t->nin)
			return got;
		twcs_link(t);
		t->phase = P_REFUSE;
		t->pos = 0;
	}
		/* fall through */
	case P_REFUSE:
		if (twcs_refuse(t, row, tag))
			return CX_TURNS_ROW;
		twcs_order(t);
		t->phase = P_WRITE;
		t->pos = 0;
		/* fall through */
	case P_WRITE:
		if (twcs_write(t, row, tag))
			return CX_TURNS_ROW;
		t->phase = P_DONE;
		/* fall through */
	default:
		return CX_TURNS_END;
	}
}

int cx_turns_next(cx_turns *t, size_t k, cx_row *row, size_t *tag)
{
	return t->profile == CX_FROM_TWCS ? twcs_next(t, k, row, tag) : jddc_next(t, k, row, tag);
}

void cx_turns_free(cx_turns *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->nin; k++) {
		cx_rows_close(t->in[k].rows);
		if (t->in[k].in)
			cx_input_close(t->in[k].in);
	}
	free(t->in);
	for (size_t i = 0; i < NFIELDS; i++) {
		free(t->names[i]);
		cx_buf_free(&t->val[i]);
	}
	cx_buf_free(&t->why);
	cx_keys_free(&t->sessions);
	free(t->count);
	free(t->tw);
	cx_keys_free(&t->ids);
	cx_keys_free(&t->authors);
	cx_buf_free(&t->arena);
	free(t->order);
	free(t);
}
