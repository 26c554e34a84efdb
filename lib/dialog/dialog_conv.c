/*
 * dialog_conv: the table of conversations.
 *
 * A chained hash table on the id, so that a closed conversation can be
 * freed and, later, forgotten: the dense ids of core/keys.h never go away,
 * and an endless stream must not grow.  Open conversations are also on a
 * list by last activity, so that the idle ones are found at its head in
 * O(1) each; closed ones on a list by expiry (their close time plus
 * --idle, which only grows, as "now" does).
 */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "dialog/dialog_int.h"

static void unlink_conv(conv **head, conv **tail, conv *cv)
{
	if (cv->prev)
		cv->prev->next = cv->next;
	else
		*head = cv->next;
	if (cv->next)
		cv->next->prev = cv->prev;
	else
		*tail = cv->prev;
	cv->prev = cv->next = NULL;
}

static void append(conv **head, conv **tail, conv *cv)
{
	cv->prev = *tail;
	cv->next = NULL;
	if (*tail)
		(*tail)->next = cv;
	else
		*head = cv;
	*tail = cv;
}

conv *dialog_find(engine *e, const char *id, size_t n, uint64_t h)
{
	if (!e->nslots)
		return NULL;
	for (conv *cv = e->slots[h & (e->nslots - 1)]; cv; cv = cv->hnext)
		if (cv->hash == h && cv->idlen == n && !memcmp(cv->id, id, n))
			return cv;
	return NULL;
}

static void grow(engine *e)
{
	size_t n = e->nslots ? 2 * e->nslots : 1024;
	conv **slots = cx_calloc(n, sizeof *slots);
	for (size_t i = 0; i < e->nslots; i++) {
		for (conv *cv = e->slots[i], *next; cv; cv = next) {
			next = cv->hnext;
			cv->hnext = slots[cv->hash & (n - 1)];
			slots[cv->hash & (n - 1)] = cv;
		}
	}
	free(e->slots);
	e->slots = slots;
	e->nslots = n;
}

conv *dialog_open(engine *e, const char *id, size_t n, uint64_t h)
{
	if (e->nconv >= e->nslots / 2)
		grow(e);
	conv *cv = cx_calloc(1, sizeof *cv);
	cv->id = cx_strndup(id, n);
	cv->idlen = n;
	cv->hash = h;
	cv->seq = e->seq++;
	cv->first_reply_s = -1;
	cv->hnext = e->slots[h & (e->nslots - 1)];
	e->slots[h & (e->nslots - 1)] = cv;
	e->nconv++;
	append(&e->open_head, &e->open_tail, cv);
	e->conversations++;
	return cv;
}

void dialog_touch(engine *e, conv *cv)
{
	if (cv != e->open_tail) {
		unlink_conv(&e->open_head, &e->open_tail, cv);
		append(&e->open_head, &e->open_tail, cv);
	}
}

static void free_state(conv *cv)
{
	for (size_t i = 0; i < cv->ncl; i++) {
		cx_shingles_free(&cv->cl[i].sh);
		free(cv->cl[i].text);
	}
	free(cv->cl);
	cv->cl = NULL;
	cv->ncl = cv->capcl = 0;
	free(cv->worst_text);
	cv->worst_text = NULL;
	cx_buf_free(&cv->keep);
	cx_buf_free(&cv->terms);
}

/* Written, then reduced to its id until it expires. */
void dialog_close(engine *e, conv *cv)
{
	dialog_row(e, cv);
	free_state(cv);
	unlink_conv(&e->open_head, &e->open_tail, cv);
	cv->closed = 1;
	cv->expires = e->c->idle && e->have_now ? e->now + e->c->idle : CX_INSTANT_MAX;
	append(&e->closed_head, &e->closed_tail, cv);
}

/* A conversation whose turns have no time (an empty ts) is active as of
 * the first "now" after them: its clock starts then, so that it neither
 * stays open for ever nor keeps the ones behind it open. */
void dialog_close_idle(engine *e)
{
	if (!e->c->idle || !e->have_now)
		return;
	while (e->open_head) {
		conv *h = e->open_head;
		if (!h->idle_known) {
			h->idle_at = e->now;
			h->idle_known = 1;
			dialog_touch(e, h);
			if (e->open_head == h)
				break;
			continue;
		}
		if (h->idle_at >= e->now - e->c->idle)
			break;
		dialog_close(e, h);
	}
}

static int by_seq(const void *a, const void *b)
{
	const conv *x = *(conv *const *)a, *y = *(conv *const *)b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* In order of first appearance, whatever their activity. */
void dialog_close_all(engine *e)
{
	size_t n = 0;
	for (conv *cv = e->open_head; cv; cv = cv->next)
		n++;
	if (!n)
		return;
	conv **v = cx_malloc(n * sizeof *v);
	n = 0;
	for (conv *cv = e->open_head; cv; cv = cv->next)
		v[n++] = cv;
	qsort(v, n, sizeof *v, by_seq);
	for (size_t i = 0; i < n; i++)
		dialog_close(e, v[i]);
	free(v);
}

static void remove_from_table(engine *e, conv *cv)
{
	conv **p = &e->slots[cv->hash & (e->nslots - 1)];
	while (*p != cv)
		p = &(*p)->hnext;
	*p = cv->hnext;
	e->nconv--;
}

void dialog_forget_expired(engine *e)
{
	while (e->closed_head && e->have_now && e->closed_head->expires < e->now) {
		conv *cv = e->closed_head;
		unlink_conv(&e->closed_head, &e->closed_tail, cv);
		remove_from_table(e, cv);
		free(cv->id);
		free(cv);
	}
}

void dialog_free_table(engine *e)
{
	for (size_t i = 0; i < e->nslots; i++) {
		for (conv *cv = e->slots[i], *next; cv; cv = next) {
			next = cv->hnext;
			free_state(cv);
			free(cv->id);
			free(cv);
		}
	}
	free(e->slots);
	e->slots = NULL;
	e->nslots = e->nconv = 0;
}
