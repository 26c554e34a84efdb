#include "text/annotate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "io/input.h"
#include "text/textsrc.h"

enum { O_CATEGORY, O_SUBCATEGORY, O_DEPARTMENT, O_SEVERITY, O_RULE, O_MATCH, O_SPAN, O_PROB,
       O_SENTIMENT, O_EMOTION, O_ANGER, O_N };
static const char *const out_names[O_N] = {
	"category", "subcategory", "department", "severity", "rule", "match", "span", "probability",
	"sentiment", "emotion", "anger",
};

/* Where each output field goes: an input column it replaces, or a new
 * column after the input's. */
typedef struct plan {
	int *colof;		/* per input column: the output field, or -1 */
	int appended[O_N];
	size_t nappend;
	size_t sev_in;		/* the input's severity column, or (size_t)-1 */
} plan;

/* What was decided for one record. */
typedef struct verdict {
	cx_cmatch m;
	cx_slice text;
	const char *mlabel;	/* the model's class, when no rule matched */
	double mprob;
	cx_senti se;
	const char *sev;	/* the highest severity of the rules, or "" */
	int keep_sev;		/* the record's own severity stays */
} verdict;

/* Write the hits' field k, ';'-joined. */
static void out_joined(cx_output *o, const cx_cmatch *m, int k, const char *s)
{
	for (size_t i = 0; i < m->nhits; i++) {
		const cx_crule *r = m->hits[i].rule;
		if (i)
			cx_out_c(o, ';');
		switch (k) {
		case O_CATEGORY: cx_out_field(o, r->category, strlen(r->category)); break;
		case O_SUBCATEGORY: cx_out_field(o, r->subcategory, strlen(r->subcategory)); break;
		case O_DEPARTMENT: cx_out_field(o, r->dept, strlen(r->dept)); break;
		case O_RULE: cx_out_field(o, r->name, strlen(r->name)); break;
		case O_MATCH:
			cx_out_field(o, s + m->hits[i].start, m->hits[i].end - m->hits[i].start);
			break;
		case O_SPAN: {
			size_t a = 0, b;
			for (size_t j = 0; j < m->hits[i].start; j++)
				a += ((unsigned char)s[j] & 0xC0) != 0x80;
			b = a;
			for (size_t j = m->hits[i].start; j < m->hits[i].end; j++)
				b += ((unsigned char)s[j] & 0xC0) != 0x80;
			char tmp[48];
			int n = snprintf(tmp, sizeof tmp, "%zu-%zu", a, b);
			cx_out_raw(o, tmp, (size_t)n);
			break;
		}
		}
	}
}

static int sev_rank(const char *s)
{
	static const char *const v[] = { "low", "medium", "high", "critical" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, v[i]))
			return i;
	return -1;
}

/* Remove duplicate (category, subcategory) hits, keeping the first. */
static void dedupe(cx_cmatch *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nhits; i++) {
		const cx_crule *r = m->hits[i].rule;
		int dup = 0;
		for (size_t j = 0; j < k && !dup; j++)
			dup = !strcmp(m->hits[j].rule->category, r->category) &&
			      !strcmp(m->hits[j].rule->subcategory, r->subcategory);
		if (!dup)
			m->hits[k++] = m->hits[i];
	}
	m->nhits = k;
}

/* A model file may hold any label (lib/text/bayes); train writes only
 * labels that can be categories, but a file made or edited by hand could
 * put an empty category or a ';' in every record it decides. */
static void check_model_classes(const cx_annotate *a)
{
	size_t n = a->model ? cx_bayes_nlabels(a->model) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *l = cx_bayes_label(a->model, i);
		const char *why = cx_category_problem(l, strlen(l));
		cx_buf b = CX_BUF_INIT;
		if (why)
			cx_die(CX_EXIT_DATA, "%s: class '%s' cannot be a category: %s",
			       cx_path_name(a->model_path), cx_shown(&b, l, strlen(l)), why);
	}
}

static void plan_columns(plan *p, const cx_annotate *a, const cx_reader *r)
{
	int want[O_N];
	for (int k = 0; k < O_N; k++)
		want[k] = 1;
	want[O_MATCH] = want[O_SPAN] = a->explain;
	want[O_PROB] = a->model != NULL;
	want[O_SENTIMENT] = want[O_EMOTION] = want[O_ANGER] = a->lexicon != NULL;
	p->colof = cx_malloc((r->nfields ? r->nfields : 1) * sizeof *p->colof);
	for (size_t i = 0; i < r->nfields; i++)
		p->colof[i] = -1;
	p->nappend = 0;
	p->sev_in = (size_t)-1;
	for (int k = 0; k < O_N; k++) {
		if (!want[k])
			continue;
		int i = cx_reader_find(r, out_names[k]);
		if (i >= 0) {
			p->colof[i] = k;
			if (k == O_SEVERITY)
				p->sev_in = (size_t)i;
		} else {
			p->appended[p->nappend++] = k;
		}
	}
}

static void write_header(const plan *p, const cx_reader *r, cx_output *out)
{
	for (size_t i = 0; i < r->nfields; i++) {
		if (i)
			cx_out_c(out, '\t');
		cx_out_field(out, r->names[i], strlen(r->names[i]));
	}
	for (size_t j = 0; j < p->nappend; j++) {
		if (r->nfields || j)
			cx_out_c(out, '\t');
		cx_out_s(out, out_names[p->appended[j]]);
	}
	cx_out_eol(out);
}

/* Rules first, then the model for what they leave, then the lexicon; the
 * highest severity of the rules that apply. */
static void decide(verdict *v, const cx_annotate *a, const plan *p, cx_reader *r, double *probs,
		   cx_buf *sevbuf)
{
	cx_cmatch_run(&v->m, v->text.p, v->text.n, a->multi);
	if (a->multi)
		dedupe(&v->m);
	v->mlabel = NULL;
	v->mprob = 0;
	if (!v->m.nhits && a->model && cx_bayes_nlabels(a->model)) {
		size_t li = cx_bayes_classify(a->model, v->text.p, v->text.n, probs);
		v->mlabel = cx_bayes_label(a->model, li);
		v->mprob = probs[li];
	}
	memset(&v->se, 0, sizeof v->se);
	if (a->lexicon)
		cx_sentiment(a->lexicon, v->text.p, v->text.n, &v->se);
	v->sev = "";
	int best = -1;
	for (size_t i = 0; i < v->m.nhits; i++) {
		int rk = sev_rank(v->m.hits[i].rule->severity);
		if (rk > best) {
			best = rk;
			v->sev = v->m.hits[i].rule->severity;
		}
	}
	v->keep_sev = 0;
	if (p->sev_in != (size_t)-1 && (!a->override || !*v->sev)) {
		cx_buf_reset(sevbuf);
		v->keep_sev = cx_rec_get(r, p->sev_in, sevbuf).n > 0;
	}
}

static void write_field(cx_output *out, int k, const verdict *v, const cx_annotate *a)
{
	char num[64];
	int n;
	switch (k) {
	case O_SEVERITY: cx_out_s(out, v->sev); break;
	case O_CATEGORY:
		if (v->m.nhits) {
			out_joined(out, &v->m, k, v->text.p);
		} else {
			const char *c = v->mlabel ? v->mlabel : (a->unmatched ? a->unmatched : "other");
			cx_out_field(out, c, strlen(c));
		}
		break;
	case O_RULE:
		if (v->m.nhits)
			out_joined(out, &v->m, k, v->text.p);
		else if (v->mlabel)
			cx_out_s(out, "model");
		break;
	case O_PROB:
		if (v->mlabel) {
			n = snprintf(num, sizeof num, "%.4f", v->mprob);
			cx_out_raw(out, num, (size_t)n);
		}
		break;
	case O_SENTIMENT: {
		double s = round(v->se.score * 1000) / 1000;
		if (s == 0)
			s = 0;	/* no -0.000 */
		n = snprintf(num, sizeof num, "%.3f", s);
		cx_out_raw(out, num, (size_t)n);
		break;
	}
	case O_EMOTION: cx_out_s(out, cx_emotion_names[v->se.emotion]); break;
	case O_ANGER: cx_out_c(out, v->se.anger ? '1' : '0'); break;
	default: out_joined(out, &v->m, k, v->text.p); break;
	}
}

static void write_record(const plan *p, const verdict *v, const cx_annotate *a,
			 const cx_reader *r, cx_output *out)
{
	for (size_t c = 0; c < r->nfields + p->nappend; c++) {
		int k;
		if (c)
			cx_out_c(out, '\t');
		if (c < r->nfields) {
			k = p->colof[c];
			if (k < 0 || (k == O_SEVERITY && v->keep_sev)) {
				cx_out_raw(out, r->f[c].p, r->f[c].n);
				continue;
			}
		} else {
			k = p->appended[c - r->nfields];
		}
		write_field(out, k, v, a);
	}
	cx_out_eol(out);
}

void cx_annotate_run(const cx_annotate *a, char **paths, size_t npaths, cx_output *out)
{
	check_model_classes(a);
	cx_reader *r = cx_reader_open(paths, npaths);
	size_t nlabels = a->model ? cx_bayes_nlabels(a->model) : 0;
	/* The probabilities of every label, filled by cx_bayes_classify. */
	double *probs = cx_malloc((nlabels ? nlabels : 1) * sizeof *probs);
	cx_textsrc t;
	cx_textsrc_open(&t, r, a->fields);
	plan p;
	plan_columns(&p, a, r);
	write_header(&p, r, out);

	verdict v;
	cx_cmatch_init(&v.m, a->rules);
	cx_buf sevbuf = CX_BUF_INIT;
	while (cx_reader_next(r)) {
		/* Fields are copied through as read, still escaped: a bad
		 * escape in one is bad input (cx(7)) though no one reads it. */
		cx_reader_check_escapes(r);
		v.text = cx_textsrc_get(&t, r);
		decide(&v, a, &p, r, probs, &sevbuf);
		write_record(&p, &v, a, r, out);
	}
	cx_cmatch_free(&v.m);
	cx_buf_free(&sevbuf);
	free(p.colof);
	cx_textsrc_close(&t);
	cx_reader_close(r);
	free(probs);
}
