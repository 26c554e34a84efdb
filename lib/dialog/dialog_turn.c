/*
 * dialog_turn: what one turn does to its conversation.
 *
 * An agent reply joins the first cluster whose first reply it is at least
 * --similar to (Jaccard of character bigrams, text/neardup.h), or starts a
 * cluster; replies shorter than --min-chars, or similar to an excluded
 * greeting or closing, are not compared at all.  A customer turn is
 * dissatisfied when a dissatisfied or escalation rule matches, when the
 * lexicon finds anger, or, with --negative, when its score is at or below
 * it.  The score alone is not the default: on real chats (JDDC) the
 * lexicon's most negative customer turns are worry and politeness (急,
 * 麻烦您了, 怕), not complaints about the service.  The run of
 * dissatisfied turns
 * counts customer turns only, so the agent's answers in between do not
 * break it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "dialog/dialog_int.h"

void dialog_turn_init(engine *e)
{
	const cx_dialog_conf *c = e->c;
	e->excl = cx_calloc(c->nexcludes ? c->nexcludes : 1, sizeof *e->excl);
	for (size_t i = 0; i < c->nexcludes; i++)
		cx_shingles_of(&e->excl[e->nexcl++], c->excludes[i], strlen(c->excludes[i]));
	cx_cmatch_init(&e->cmatch, c->customer_rules);
	cx_cmatch_init(&e->amatch, c->agent_rules);
}

void dialog_turn_free(engine *e)
{
	for (size_t i = 0; i < e->nexcl; i++)
		cx_shingles_free(&e->excl[i]);
	free(e->excl);
	cx_shingles_free(&e->sh);
	cx_cmatch_free(&e->cmatch);
	cx_cmatch_free(&e->amatch);
}

static int excluded(const engine *e, const cx_shingles *sh)
{
	for (size_t i = 0; i < e->nexcl; i++)
		if (cx_similar(sh, &e->excl[i], e->c->similar))
			return 1;
	return 0;
}

/* The cluster the reply joins, a new one, or NULL (not compared). */
static cluster *cluster_of(engine *e, conv *cv, cx_slice text)
{
	cx_shingles_of(&e->sh, text.p, text.n);
	if (e->sh.units < (size_t)e->c->min_chars || excluded(e, &e->sh))
		return NULL;
	for (size_t i = 0; i < cv->ncl; i++)
		if (cx_similar(&e->sh, &cv->cl[i].sh, e->c->similar))
			return &cv->cl[i];
	if (cv->ncl == CX_DIALOG_MAX_CLUSTERS)
		return NULL;
	if (cv->ncl == cv->capcl) {
		cv->capcl = cv->capcl ? 2 * cv->capcl : 8;
		cv->cl = cx_realloc(cv->cl, cv->capcl * sizeof *cv->cl);
	}
	cluster *k = &cv->cl[cv->ncl++];
	memset(k, 0, sizeof *k);
	cx_shingles_copy(&k->sh, &e->sh);
	k->text = cx_strndup(text.p, text.n);
	k->textlen = text.n;
	if (cv->best == cv->ncl - 1)
		cv->best = cv->ncl;	/* "none" moves with the end */
	return k;
}

static void count_reply(engine *e, conv *cv, cx_slice seg)
{
	cluster *k = cluster_of(e, cv, seg);
	if (!k)
		return;
	size_t ki = (size_t)(k - cv->cl);
	k->count++;
	if (cv->best >= cv->ncl || k->count > cv->cl[cv->best].count)
		cv->best = ki;
	if (e->alerts && e->c->alert_repeat && !cv->alerted_repeat &&
	    k->count >= (unsigned long)e->c->alert_repeat) {
		cv->alerted_repeat = 1;
		cx_buf *m = &e->msg;
		cx_buf_reset(m);
		cx_buf_add(m, cv->id, cv->idlen);	/* whole, a NUL in it too */
		cx_buf_addf(m, ": agent repeated the same reply %lu times: ", k->count);
		cx_buf_add(m, k->text, k->textlen);
		cx_buf_addc(m, '\0');
		dialog_alert(e, cv, "agent_repeat", "medium", "agent_repeat_max", k->count,
			     e->c->alert_repeat, m->p, m->len - 1);
	}
}

static int is_ascii_punct(uint32_t c)
{
	return c < 0x80 && c > ' ' && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
					(c >= 'A' && c <= 'Z'));
}

/* Whether the space at s[i] joins two messages: it has a non-ASCII
 * character on one side, ASCII punctuation such as the brackets of
 * "[商品快照]" looked through.  Chinese does not put spaces between
 * words, English does; prev is the last character before s[i] that is
 * not ASCII punctuation. */
static int joins_messages(const char *s, size_t n, size_t i, uint32_t prev)
{
	if (prev >= 0x80)
		return 1;
	uint32_t next = 0;
	for (size_t j = i + 1; j < n; j += cx_utf8_decode(s + j, n - j, &next)) {
		cx_utf8_decode(s + j, n - j, &next);
		if (!is_ascii_punct(next))
			break;
	}
	return next >= 0x80;
}

/* An agent turn is the messages it holds, each a reply: chat exports such
 * as JDDC's merge one side's consecutive messages into one turn, joined
 * by a space (or a newline), and an agent who pastes a script again and
 * again pastes it as one message among others.  The punctuation inside a
 * message does not split it: a script whose commas and stops vary is
 * still the script, and the similarity sees through them. */
void dialog_agent_turn(engine *e, conv *cv, cx_slice text)
{
	cv->agent_turns++;
	if (cv->first_reply_s < 0 && cv->have_customer_ts && cv->have_ts)
		cv->first_reply_s = (long long)(cv->last_ts - cv->first_customer_ts);
	if (!cv->handover && e->c->agent_rules->n && cx_cmatch_run(&e->amatch, text.p, text.n, 0))
		cv->handover = 1;
	size_t start = 0;
	uint32_t prev = 0;
	for (size_t i = 0; i < text.n;) {
		uint32_t c;
		size_t len = cx_utf8_decode(text.p + i, text.n - i, &c);
		if (c == '\n' || (c == ' ' && joins_messages(text.p, text.n, i, prev))) {
			if (i > start)
				count_reply(e, cv, (cx_slice){ text.p + start, i - start });
			start = i + len;
		} else if (!is_ascii_punct(c)) {
			prev = c;
		}
		i += len;
	}
	if (text.n > start)
		count_reply(e, cv, (cx_slice){ text.p + start, text.n - start });
}

/* Whether the ';'-joined list holds the term p[0..n). */
static int has_term(const cx_buf *terms, const char *p, size_t n)
{
	if (!terms->len)
		return 0;	/* terms->p may be NULL */
	const char *s = terms->p, *end = terms->p + terms->len;
	for (;;) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *stop = semi ? semi : end;
		if ((size_t)(stop - s) == n && !memcmp(s, p, n))
			return 1;
		if (!semi)
			return 0;
		s = semi + 1;
	}
}

/* Adds the escalation terms matched, as written, once per conversation;
 * returns whether a rule says the customer is dissatisfied (an escalation
 * threat does too). */
static int rules_say_dissatisfied(engine *e, conv *cv, cx_slice text)
{
	if (!e->c->customer_rules->n || !cx_cmatch_run(&e->cmatch, text.p, text.n, 1))
		return 0;
	for (size_t i = 0; i < e->cmatch.nhits; i++) {
		const cx_chit *h = &e->cmatch.hits[i];
		if (strcmp(h->rule->category, "escalation"))
			continue;
		const char *p = text.p + h->start;
		size_t n = h->end - h->start;
		/* ';' joins the terms: a term holding one is left out. */
		if (!n || memchr(p, ';', n) || has_term(&cv->terms, p, n))
			continue;
		if (cv->terms.len)
			cx_buf_addc(&cv->terms, ';');
		cx_buf_add(&cv->terms, p, n);
	}
	return 1;
}

void dialog_customer_turn(engine *e, conv *cv, cx_slice text)
{
	cv->customer_turns++;
	if (cv->have_ts && !cv->have_customer_ts) {
		cv->first_customer_ts = cv->last_ts;
		cv->have_customer_ts = 1;
	}
	cx_senti se = { 0 };
	if (e->c->lexicon)
		cx_sentiment(e->c->lexicon, text.p, text.n, &se);
	int by_rules = rules_say_dissatisfied(e, cv, text);
	int by_lexicon = e->c->lexicon && (se.anger || (e->c->use_score && se.score <= e->c->negative));
	if (!by_rules && !by_lexicon) {
		cv->run = 0;
		return;
	}
	cv->negative_turns++;
	if (++cv->run > cv->max_run)
		cv->max_run = cv->run;
	if (!cv->worst_text || se.score < cv->worst) {
		free(cv->worst_text);
		cv->worst_text = cx_strndup(text.p, text.n);
		cv->worst_len = text.n;
		cv->worst = se.score;
	}
	if (e->alerts && e->c->alert_negative && !cv->alerted_negative &&
	    cv->run >= (unsigned long)e->c->alert_negative) {
		cv->alerted_negative = 1;
		cx_buf *m = &e->msg;
		cx_buf_reset(m);
		cx_buf_add(m, cv->id, cv->idlen);
		cx_buf_addf(m, ": customer dissatisfied %lu turns in a row: hand over to a supervisor",
			    cv->run);
		cx_buf_addc(m, '\0');
		dialog_alert(e, cv, "customer_negative", "high", "customer_negative_run", cv->run,
			     e->c->alert_negative, m->p, m->len - 1);
	}
}
