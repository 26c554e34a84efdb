#include "io/rejects.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

void cx_rejects_open(cx_rejects *rj, const char *path, const char *what, int with_source,
		     int raw_escaped)
{
	memset(rj, 0, sizeof *rj);
	rj->what = what;
	rj->with_source = with_source;
	rj->raw_escaped = raw_escaped;
	if (path) {
		rj->out = cx_output_open(path);
		cx_out_s(rj->out, with_source ? "file\tline\tsource\treason\traw" : "file\tline\treason\traw");
		cx_out_eol(rj->out);
	}
}

void cx_rejects_record(cx_rejects *rj, const cx_reject *x)
{
	cx_output *o = rj->out;
	if (!o)
		return;
	cx_out_field(o, x->file, strlen(x->file));
	char num[32];
	int k = snprintf(num, sizeof num, "\t%ld\t", x->line);
	cx_out_raw(o, num, (size_t)k);
	if (rj->with_source) {
		const char *s = x->source ? x->source : "";
		cx_out_field(o, s, strlen(s));
		cx_out_c(o, '\t');
	}
	cx_out_field(o, x->reason, strlen(x->reason));
	cx_out_c(o, '\t');
	if (rj->raw_escaped)
		cx_out_raw(o, x->raw, x->rawn);
	else
		cx_out_field(o, x->raw, x->rawn);
	cx_out_eol(o);
}

void cx_rejects_add(cx_rejects *rj, const cx_reject *x)
{
	rj->n++;
	if (rj->out) {
		cx_rejects_record(rj, x);
	} else if (rj->n <= CX_REJECTS_REPORTED) {
		cx_warn_at(x->file, x->line, "%s refused: %s", rj->what, x->reason);
	} else if (rj->n == CX_REJECTS_REPORTED + 1) {
		cx_warn("more %ss refused; only counting them now (use --rejects FILE)", rj->what);
	}
}

void cx_rejects_close(cx_rejects *rj)
{
	if (rj->out)
		cx_output_close(rj->out);
	rj->out = NULL;
}
