#include "io/rejects.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

void cx_rejects_open(cx_rejects *rj, const char *path, const char *what)
{
	memset(rj, 0, sizeof *rj);
	rj->what = what;
	if (path) {
		rj->out = cx_output_open(path);
		cx_out_s(rj->out, "file\tline\treason\traw");
		cx_out_eol(rj->out);
	}
}

void cx_rejects_add(cx_rejects *rj, const char *file, long line, const char *reason,
		    const char *raw, size_t rawn)
{
	rj->n++;
	if (!rj->out) {
		if (rj->n <= CX_REJECTS_REPORTED)
			cx_warn_at(file, line, "%s refused: %s", rj->what, reason);
		else if (rj->n == CX_REJECTS_REPORTED + 1)
			cx_warn("more %ss refused; only counting them now (use --rejects FILE)", rj->what);
		return;
	}
	cx_output *o = rj->out;
	cx_out_field(o, file, strlen(file));
	char num[32];
	int k = snprintf(num, sizeof num, "\t%ld\t", line);
	cx_out_raw(o, num, (size_t)k);
	cx_out_field(o, reason, strlen(reason));
	cx_out_c(o, '\t');
	cx_out_raw(o, raw, rawn);
	cx_out_eol(o);
}

void cx_rejects_close(cx_rejects *rj)
{
	if (rj->out)
		cx_output_close(rj->out);
	rj->out = NULL;
}
