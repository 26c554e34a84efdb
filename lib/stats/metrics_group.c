/*
 * metrics_group.c: the groups and what accumulates in them.  A group is
 * made on first sight of its period and values (metrics_group_of); the
 * records of the input, the --per rows and the repeats found at the end
 * add to it, and --totals merges groups into one.  Sums are kept exact,
 * so the order in which any of these arrive never changes a printed
 * figure.
 */
#include "stats/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/num.h"
#include "stats/hll.h"
#include "stats/metrics_int.h"
#include "stats/sketch.h"

/*
 * Exact summation (Shewchuk's algorithm, as Python's math.fsum): the sum is
 * kept as a short list of non-overlapping partial sums whose exact total
 * is the exact sum of everything added, and it is rounded once, when read.
 * So the order in which rows, groups or --partial results arrive never
 * changes a printed sum or mean.
 */
void metrics_sum_add(struct dvec *p, double x)
{
	size_t i = 0;
	for (size_t j = 0; j < p->n; j++) {
		double y = p->v[j];
		if (fabs(x) < fabs(y)) {
			double t = x;
			x = y;
			y = t;
		}
		double hi = x + y, lo = y - (hi - x);
		if (lo != 0.0)
			p->v[i++] = lo;
		x = hi;
	}
	p->n = i;
	dvec_push(p, x);
}

static double sum_value(const struct dvec *p)
{
	size_t n = p->n;
	if (n == 0)
		return 0.0;
	double hi = p->v[--n], lo = 0.0;
	while (n > 0) {
		double x = hi, y = p->v[--n];
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0.0)
			break;
	}
	/* Round half to even across the partials left, as fsum does. */
	if (n > 0 && ((lo < 0 && p->v[n - 1] < 0) || (lo > 0 && p->v[n - 1] > 0))) {
		double y = lo * 2, x = hi + y;
		if (y == x - hi)
			hi = x;
	}
	return hi;
}

double metrics_val_sum(const struct engine *e, size_t gid, int s)
{
	return sum_value(&e->vecs[gid * e->nvecs + e->stats[s].sumvec]);
}

/* ------------------------------------------------------------------ */
/* Groups                                                               */

static void grow_groups(struct engine *e, size_t gid)
{
	if (gid < e->cap)
		return;
	size_t cap = e->cap ? e->cap * 2 : 256;
	while (cap <= gid)
		cap *= 2;
	e->d = cx_realloc(e->d, cap * e->ndoubles * sizeof *e->d);
	e->vecs = cx_realloc(e->vecs, cap * e->nvecs * sizeof *e->vecs);
	e->distinct_n = cx_realloc(e->distinct_n, cap * e->nsets * sizeof *e->distinct_n);
	e->hll = cx_realloc(e->hll, cap * e->nsets * sizeof *e->hll);
	e->sk = cx_realloc(e->sk, cap * e->nsk * sizeof *e->sk);
	e->period = cx_realloc(e->period, cap * sizeof *e->period);
	e->denom = cx_realloc(e->denom, cap * sizeof *e->denom);
	e->has_denom = cx_realloc(e->has_denom, cap);
	e->is_total = cx_realloc(e->is_total, cap);
	e->cap = cap;
}

/* A new group's statistics: zero counts, min +inf, max -inf. */
static void init_group(struct engine *e, size_t gid, int64_t period, int is_total)
{
	grow_groups(e, gid);
	memset(e->d + gid * e->ndoubles, 0, e->ndoubles * sizeof *e->d);
	memset(e->vecs + gid * e->nvecs, 0, e->nvecs * sizeof *e->vecs);
	memset(e->distinct_n + gid * e->nsets, 0, e->nsets * sizeof *e->distinct_n);
	for (size_t i = 0; i < e->nsets; i++)
		e->hll[gid * e->nsets + i] = NULL;
	for (size_t i = 0; i < e->nsk; i++)
		cx_sketch_init(&e->sk[gid * e->nsk + i]);
	for (size_t s = 0; s < e->nstats; s++)
		if (e->stats[s].kind == ST_VAL || e->stats[s].kind == ST_DUR) {
			double *v = gd(e, gid, (int)s);
			v[VAL_MIN] = INFINITY;
			v[VAL_MAX] = -INFINITY;
		}
	e->period[gid] = period;
	e->is_total[gid] = (unsigned char)is_total;
	e->denom[gid] = 0;
	e->has_denom[gid] = 0;
}

/* Key: 8 bytes of period index, then each group value (escaped, so it
 * holds no TAB) followed by a TAB. */
size_t metrics_group_of(struct engine *e, int64_t period, const cx_slice *vals, size_t nvals,
			int is_total)
{
	cx_buf *k = &e->scratch2;
	cx_buf_reset(k);
	cx_buf_add(k, &period, sizeof period);
	cx_buf_addc(k, (char)is_total);
	for (size_t i = 0; i < nvals; i++) {
		cx_buf_add(k, vals[i].p, vals[i].n);
		cx_buf_addc(k, '\t');
	}
	int added;
	uint32_t gid = cx_keys_intern(&e->keys, k->p, k->len, &added);
	if (added)
		init_group(e, gid, period, is_total);
	return gid;
}

static void val_add(struct engine *e, size_t gid, int s, double x)
{
	double *v = gd(e, gid, s);
	v[VAL_COUNT] += 1;
	metrics_sum_add(&e->vecs[gid * e->nvecs + e->stats[s].sumvec], x);
	if (x < v[VAL_MIN])
		v[VAL_MIN] = x;
	if (x > v[VAL_MAX])
		v[VAL_MAX] = x;
	if (e->stats[s].sketch)
		cx_sketch_add(&e->sk[gid * e->nsk + e->stats[s].sk], x, 1);
	else if (e->stats[s].keep)
		dvec_push(gv(e, gid, s), x);
}

/* Past --exact-distinct values a group's set becomes a HyperLogLog: the
 * values it holds are hashed into it, and later ones go there too.  The
 * rule depends only on the number of distinct values, so one pass and a
 * merge of parts switch at the same point and agree. */
cx_hll *metrics_to_hll(struct engine *e, size_t gid, int s)
{
	size_t i = gid * e->nsets + e->stats[s].set;
	if (e->hll[i])
		return e->hll[i];
	cx_hll *h = cx_malloc(sizeof *h);
	cx_hll_init(h);
	cx_keys *set = &e->sets[e->stats[s].set];
	for (size_t id = 0; id < set->n; id++) {
		size_t len;
		const char *k = cx_keys_get(set, (uint32_t)id, &len);
		uint32_t g;
		memcpy(&g, k, sizeof g);
		if (g == gid)
			cx_hll_add_hash(h, cx_hash(k + sizeof g, len - sizeof g));
	}
	e->hll[i] = h;
	return h;
}

void metrics_distinct_add(struct engine *e, size_t gid, int s, const char *p, size_t n)
{
	size_t i = gid * e->nsets + e->stats[s].set;
	if (e->hll[i]) {
		cx_hll_add_hash(e->hll[i], cx_hash(p, n));
		return;
	}
	cx_buf *k = &e->scratch2;
	cx_buf_reset(k);
	uint32_t g = (uint32_t)gid;
	cx_buf_add(k, &g, sizeof g);
	cx_buf_add(k, p, n);
	int added;
	cx_keys_intern(&e->sets[e->stats[s].set], k->p, k->len, &added);
	if (added && ++e->distinct_n[i] > (double)e->conf->exact_distinct)
		metrics_to_hll(e, gid, s);
}

/* Merge group src into group dst (for --totals and --merge). */
void metrics_merge_group(struct engine *e, size_t dst, size_t src)
{
	e->denom[dst] += e->denom[src];
	e->has_denom[dst] |= e->has_denom[src];
	for (size_t si = 0; si < e->nstats; si++) {
		const struct stat *st = &e->stats[si];
		int s = (int)si;
		double *a = gd(e, dst, s), *b = gd(e, src, s);
		switch (st->kind) {
		case ST_N: case ST_OPEN: case ST_MATCH: case ST_REPEAT:
			a[0] += b[0];
			break;
		case ST_FLAG: case ST_SLA: case ST_FCR: case ST_NEG:
			a[0] += b[0];
			a[1] += b[1];
			break;
		case ST_SCORE:
			a[0] += b[0];
			a[1] += b[1];
			a[2] += b[2];
			break;
		case ST_VAL: case ST_DUR:
			a[VAL_COUNT] += b[VAL_COUNT];
			for (size_t i = 0; i < gv_sum(e, src, s)->n; i++)
				metrics_sum_add(gv_sum(e, dst, s), gv_sum(e, src, s)->v[i]);
			if (b[VAL_MIN] < a[VAL_MIN])
				a[VAL_MIN] = b[VAL_MIN];
			if (b[VAL_MAX] > a[VAL_MAX])
				a[VAL_MAX] = b[VAL_MAX];
			break;
		case ST_DISTINCT:
			break;	/* done over the whole set: metrics_merge_distinct() */
		}
		if (st->keep) {
			struct dvec *vs = gv(e, src, s), *vd = gv(e, dst, s);
			for (size_t i = 0; i < vs->n; i++)
				dvec_push(vd, vs->v[i]);
		}
		if (st->sketch)
			cx_sketch_merge(&e->sk[dst * e->nsk + st->sk], &e->sk[src * e->nsk + st->sk]);
	}
}

/* Union the distinct values of every group into the group map[gid] (if
 * map[gid] != (size_t)-1). */
void metrics_merge_distinct(struct engine *e, const size_t *map)
{
	for (size_t si = 0; si < e->nstats; si++) {
		if (e->stats[si].kind != ST_DISTINCT)
			continue;
		cx_keys *set = &e->sets[e->stats[si].set];
		size_t n = set->n;
		for (size_t id = 0; id < n; id++) {
			size_t len;
			const char *k = cx_keys_get(set, (uint32_t)id, &len);
			uint32_t g;
			memcpy(&g, k, sizeof g);
			if (map[g] == (size_t)-1)
				continue;
			/* metrics_distinct_add() may move the set's arena: copy first. */
			cx_buf_reset(&e->scratch);
			cx_buf_add(&e->scratch, k + sizeof g, len - sizeof g);
			metrics_distinct_add(e, map[g], (int)si, e->scratch.p, e->scratch.len);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reading records                                                      */

static cx_slice value(struct engine *e, size_t field)
{
	return cx_rec_get(e->r, field, &e->scratch);
}

/* Parse a time field of the current record; 0 if empty. */
static int time_value(struct engine *e, size_t field, cx_instant *t)
{
	cx_slice v = value(e, field);
	if (v.n == 0)
		return 0;
	int rc = cx_time_parse(v.p, v.n, t);
	if (rc < 0)
		cx_rec_bad_field(e->r, field, cx_time_strerror(rc));
	return 1;
}

/* Parse a number field of the current record; 0 if empty. */
static int number_value(struct engine *e, size_t field, double *x)
{
	cx_slice v = value(e, field);
	if (v.n == 0)
		return 0;
	int rc = cx_num_parse(v.p, v.n, x);
	if (rc < 0)
		cx_rec_bad_field(e->r, field, cx_num_strerror(rc));
	return 1;
}

static int flag_value(struct engine *e, size_t field)
{
	cx_slice v = value(e, field);
	int f = cx_flag_parse(v.p, v.n);
	if (f == -2)
		cx_rec_bad_field(e->r, field, "not a 0/1 flag");
	return f;
}

void metrics_add_event(struct engine *e, const char *cust, size_t n, cx_instant t, size_t gid,
		       double w)
{
	if (e->nev == e->evcap) {
		e->evcap = e->evcap ? e->evcap * 2 : 1024;
		e->ev_cust = cx_realloc(e->ev_cust, e->evcap * sizeof *e->ev_cust);
		e->ev_gid = cx_realloc(e->ev_gid, e->evcap * sizeof *e->ev_gid);
		e->ev_time = cx_realloc(e->ev_time, e->evcap * sizeof *e->ev_time);
		e->ev_w = cx_realloc(e->ev_w, e->evcap * sizeof *e->ev_w);
	}
	e->ev_cust[e->nev] = cx_keys_intern(&e->customers, cust, n, NULL);
	e->ev_gid[e->nev] = (uint32_t)gid;
	e->ev_time[e->nev] = t;
	e->ev_w[e->nev] = w;
	e->nev++;
}

/* One complaint against its SLA target: met or missed if answered, its
 * deadline kept if not. */
static void update_sla(struct engine *e, struct stat *st, size_t gid, int s, double w,
		       cx_instant created)
{
	double *d = gd(e, gid, s);
	cx_instant done;
	long long target = st->target;
	if (target < 0) {
		/* --sla FILE: this complaint's target, by its value of
		 * the file's key field; none, no SLA. */
		cx_slice k = e->r->f[st->field[2]];
		long id = cx_keys_find(&e->sla_keys, k.p, k.n);
		target = id < 0 ? -1 : e->sla_target[(size_t)id * 2 + (size_t)st->sla_resolve];
		if (target < 0) {
			e->no_sla += w;
			return;
		}
	}
	if (time_value(e, st->field[0], &done)) {
		if (done < created) {
			/* As for durations: a data error, left
			 * out and counted. */
			if (!st->negative++) {
				st->neg_file = e->r->file;
				st->neg_line = e->r->line;
			}
		} else if (done - created <= target) {
			d[0] += w;
		} else {
			d[1] += w;
		}
	} else {
		/* Unanswered: its deadline and weight, judged
		 * against --now at the end. */
		dvec_push(gv(e, gid, s), (double)(created + target));
		dvec_push(gv(e, gid, s), w);
	}
}

static void update(struct engine *e, size_t gid, double w, cx_instant created, int64_t period)
{
	for (size_t si = 0; si < e->nstats; si++) {
		struct stat *st = &e->stats[si];
		int s = (int)si;
		double *d = gd(e, gid, s);
		switch (st->kind) {
		case ST_N:
			d[0] += w;
			break;
		case ST_FLAG: {
			int any = 0, known = 0;
			for (size_t i = 0; i < st->nfield; i++) {
				int f = flag_value(e, st->field[i]);
				any |= f == 1;
				known |= f >= 0;
			}
			d[0] += any ? w : 0;
			d[1] += known ? w : 0;
			break;
		}
		case ST_VAL: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			val_add(e, gid, s, x);
			break;
		}
		case ST_DUR: {
			cx_instant to;
			if (!time_value(e, st->field[0], &to))
				break;
			if (to < created) {
				/* Resolved before created: a data error that
				 * would make averages lie; counted, reported at
				 * the end, left out. */
				if (!st->negative++) {
					st->neg_file = e->r->file;
					st->neg_line = e->r->line;
				}
				break;
			}
			val_add(e, gid, s, (double)(to - created));
			break;
		}
		case ST_DISTINCT: {
			cx_slice v = value(e, st->field[0]);
			if (v.n)
				metrics_distinct_add(e, gid, s, v.p, v.n);
			break;
		}
		case ST_OPEN: {
			cx_instant res;
			int resolved = time_value(e, st->field[0], &res);
			if (e->conf->all_time) {
				d[0] += resolved ? 0 : w;
				break;
			}
			cx_period next = { e->conf->unit, period + 1 };
			d[0] += !resolved || res >= cx_period_start(next) ? w : 0;
			break;
		}
		case ST_SLA:
			update_sla(e, st, gid, s, w, created);
			break;
		case ST_REPEAT: {
			cx_slice v = value(e, st->field[0]);
			if (v.n)
				metrics_add_event(e, v.p, v.n, created, gid, w);
			break;
		}
		case ST_SCORE: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			d[0] += 1;
			d[1] += x >= st->hi_at;
			d[2] += x <= st->lo_at;
			break;
		}
		case ST_NEG: {
			double x;
			if (!number_value(e, st->field[0], &x))
				break;
			d[0] += x < 0 ? w : 0;
			d[1] += w;
			break;
		}
		case ST_MATCH: {
			cx_slice v = value(e, st->field[0]);
			if (v.n == strlen(st->match) && !memcmp(v.p, st->match, v.n))
				d[0] += w;
			break;
		}
		case ST_FCR: {
			cx_instant res;
			if (!time_value(e, st->field[0], &res))
				break;
			d[1] += w;
			if (flag_value(e, st->field[1]) != 1 && flag_value(e, st->field[2]) != 1)
				d[0] += w;
			break;
		}
		}
	}
}

static void reject(struct engine *e, const char *why)
{
	if (!e->rej.out)
		cx_die_at(CX_EXIT_DATA, e->r->file, e->r->line, "%s (use --rejects FILE to set such rows aside)",
			  why);
	cx_slice line = cx_reader_line(e->r);
	cx_reject x = { .file = e->r->file, .line = e->r->line, .reason = why, .raw = line.p,
			.rawn = line.n };
	cx_rejects_add(&e->rej, &x);
}

static void resolve_fields(struct engine *e)
{
	cx_reader *r = e->r;
	e->time_field = cx_reader_need(r, e->time_name);
	e->group = cx_calloc(e->ngroup + 1, sizeof *e->group);
	for (size_t i = 0; i < e->ngroup; i++)
		e->group[i] = cx_reader_need(r, e->group_names[i]);
	e->count_field = e->conf->count_field ? (long)cx_reader_need(r, e->conf->count_field) : -1;
	for (size_t s = 0; s < e->nstats; s++)
		for (size_t i = 0; i < e->stats[s].nfield; i++)
			e->stats[s].field[i] = cx_reader_need(r, e->stats[s].fname[i]);
}

/* The period of t.  Consecutive rows mostly fall in the same period, so
 * the last one's bounds are kept: [lo, hi) is exactly the instants whose
 * period is index (cxtime guarantees periods tile time in order). */
static int64_t period_of(struct engine *e, cx_instant t)
{
	if (e->conf->all_time)
		return 0;
	if (e->pc_valid && t >= e->pc_lo && t < e->pc_hi)
		return e->pc_index;
	cx_period p = cx_period_of(t, e->conf->unit), next = { p.unit, p.index + 1 };
	e->pc_lo = cx_period_start(p);
	e->pc_hi = cx_period_start(next);
	e->pc_index = p.index;
	e->pc_valid = 1;
	return p.index;
}

void metrics_read_records(struct engine *e)
{
	resolve_fields(e);
	/* Split records only as far as the last field a metric reads. */
	size_t last = e->time_field;
	for (size_t i = 0; i < e->ngroup; i++)
		last = e->group[i] > last ? e->group[i] : last;
	if (e->count_field >= 0 && (size_t)e->count_field > last)
		last = (size_t)e->count_field;
	for (size_t s = 0; s < e->nstats; s++)
		for (size_t i = 0; i < e->stats[s].nfield; i++)
			last = e->stats[s].field[i] > last ? e->stats[s].field[i] : last;
	cx_reader_split(e->r, last + 1);
	cx_slice *gvals = cx_calloc(e->ngroup + 1, sizeof *gvals);
	cx_buf why = CX_BUF_INIT;
	while (cx_reader_next(e->r)) {
		cx_slice tv = value(e, e->time_field);
		cx_instant t;
		int rc = tv.n ? cx_time_parse(tv.p, tv.n, &t) : CX_TIME_EEMPTY;
		if (rc < 0) {
			cx_buf_reset(&why);
			cx_buf_addf(&why, "field '%s': %s", e->time_name,
				    rc == CX_TIME_EEMPTY ? "missing time" : cx_time_strerror(rc));
			if (rc != CX_TIME_EEMPTY) {
				cx_slice raw = e->r->f[e->time_field];
				cx_buf_adds(&why, ": '");
				cx_shown(&why, raw.p, raw.n);
				cx_buf_addc(&why, '\'');
			}
			reject(e, why.p);
			continue;
		}
		double w = 1;
		if (e->count_field >= 0) {
			cx_slice v = value(e, (size_t)e->count_field);
			if (cx_num_parse(v.p, v.n, &w) < 0 || w < 0 || w != floor(w))
				cx_rec_bad_field(e->r, (size_t)e->count_field, "not a whole count");
			/* Past 2^53 doubles skip whole numbers: counts would be
			 * wrong without a word. */
			if (w > 9007199254740992.0)
				cx_rec_bad_field(e->r, (size_t)e->count_field, "count too large (more than 2^53)");
		}
		if (!e->have_latest || t > e->latest) {
			e->latest = t;
			e->have_latest = 1;
		}
		int64_t period = period_of(e, t);
		for (size_t i = 0; i < e->ngroup; i++) {
			gvals[i] = e->r->f[e->group[i]];
			/* Group values are written out as they came: check them. */
			if (memchr(gvals[i].p, '\\', gvals[i].n))
				value(e, e->group[i]);
		}
		size_t gid = metrics_group_of(e, period, gvals, e->ngroup, 0);
		update(e, gid, w, t, period);
	}
	free(gvals);
	cx_buf_free(&why);
}

/* ------------------------------------------------------------------ */
/* Repeats                                                              */

static const struct engine *ev_engine;

/* By customer, then time, then input order: the order is total, so the
 * result does not depend on qsort's. */
static int cmp_events(const void *pa, const void *pb)
{
	const struct engine *e = ev_engine;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (e->ev_cust[a] != e->ev_cust[b])
		return e->ev_cust[a] < e->ev_cust[b] ? -1 : 1;
	if (e->ev_time[a] != e->ev_time[b])
		return e->ev_time[a] < e->ev_time[b] ? -1 : 1;
	return (a > b) - (a < b);
}

/* A complaint is a repeat when the customer's previous complaint (in
 * time) is at most --repeat-window before it: 0 <= t - t_prev <= window. */
void metrics_compute_repeats(struct engine *e)
{
	if (e->repeat_stat < 0 || e->nev == 0)
		return;
	size_t *order = cx_malloc(e->nev * sizeof *order);
	for (size_t i = 0; i < e->nev; i++)
		order[i] = i;
	ev_engine = e;
	qsort(order, e->nev, sizeof *order, cmp_events);
	for (size_t k = 1; k < e->nev; k++) {
		size_t i = order[k], prev = order[k - 1];
		if (e->ev_cust[i] == e->ev_cust[prev] &&
		    e->ev_time[i] - e->ev_time[prev] <= e->conf->repeat_window)
			gd(e, e->ev_gid[i], e->repeat_stat)[0] += e->ev_w[i];
	}
	free(order);
}

/* ------------------------------------------------------------------ */
/* --per: the denominators                                              */

void metrics_read_denominators(struct engine *e)
{
	const cx_metrics_conf *c = e->conf;
	char *paths[] = { (char *)c->per };
	cx_reader *r = cx_reader_open(paths, 1);
	size_t pf = cx_reader_need(r, "period");
	size_t vf = cx_reader_need(r, c->per_field ? c->per_field : "orders");
	size_t *gf = cx_calloc(e->ngroup + 1, sizeof *gf);
	for (size_t i = 0; i < e->ngroup; i++)
		gf[i] = cx_reader_need(r, e->group_names[i]);
	cx_slice *vals = cx_calloc(e->ngroup + 1, sizeof *vals);
	cx_buf scratch = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		/* A period as cx-metrics writes it (2024-03), or any time
		 * (daily figures summed into months). */
		cx_slice pv = cx_rec_get(r, pf, &scratch);
		int64_t period = 0;
		if (c->all_time) {
			/* one period: every row counts */
		} else {
			cx_period p;
			cx_instant t;
			if (cx_period_parse(pv.p, pv.n, c->unit, &p) == 0)
				period = p.index;
			else if (cx_time_parse(pv.p, pv.n, &t) == 0)
				period = cx_period_of(t, c->unit).index;
			else {
				cx_buf w = CX_BUF_INIT;
				cx_buf_addf(&w, "not a %s period or a time", cx_unit_names[c->unit]);
				cx_rec_bad_field(r, pf, w.p);
			}
		}
		cx_slice v = cx_rec_get(r, vf, &scratch);
		double x;
		int rc = cx_num_parse(v.p, v.n, &x);
		if (rc < 0 || x < 0)
			cx_rec_bad_field(r, vf, rc < 0 ? cx_num_strerror(rc) : "negative");
		for (size_t i = 0; i < e->ngroup; i++)
			vals[i] = r->f[gf[i]];
		size_t gid = metrics_group_of(e, period, vals, e->ngroup, 0);
		e->denom[gid] += x;
		e->has_denom[gid] = 1;
	}
	/* Complaints without a denominator have no rate: say how many. */
	double orphans = 0;
	for (size_t g = 0; g < e->keys.n; g++)
		if (!e->has_denom[g])
			orphans += n_of(e, g, 0);
	if (orphans > 0)
		cx_warn("%.0f complaint%s in groups that %s has no row for: their complaint_rate is empty",
			orphans, orphans == 1 ? "" : "s", r->first_file);
	cx_buf_free(&scratch);
	free(vals);
	free(gf);
	cx_reader_close(r);
}

