/*
 * dialog_rules: the rules and the excluded replies of a run.
 *
 * The escalation terms are cx-classify's (its escalation/external rules)
 * unless --escalation-rules names a file in that grammar, so that a site
 * keeps one list of the outside bodies its customers threaten with; the
 * dissatisfied and handover rules are cx-dialog's own.
 */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "dialog/dialog.h"
#include "io/input.h"

static void parse_builtin(cx_crules *rs, const char *text, const char *name)
{
	cx_buf err = CX_BUF_INIT;
	if (cx_crules_parse(rs, text, strlen(text), name, &err) < 0)
		cx_die(CX_EXIT_USAGE, "%s", err.p);	/* a bug: the unit test parses it */
	cx_buf_free(&err);
}

void cx_dialog_rules(cx_crules *customer, cx_crules *agent, char **files, size_t nfiles,
		     const char *escalation_file)
{
	if (escalation_file) {
		cx_crules_load(customer, escalation_file);
		cx_crules_select(customer, "escalation", NULL, 1);
	} else {
		parse_builtin(customer, cx_classify_default_rules, "(cx-classify default rules)");
		cx_crules_select(customer, "escalation", "external", 1);
	}
	for (int is_agent = 0; is_agent < 2; is_agent++) {
		cx_crules own = CX_CRULES_INIT;
		if (nfiles)
			for (size_t i = 0; i < nfiles; i++)
				cx_crules_load(&own, files[i]);
		else
			parse_builtin(&own, cx_dialog_default_rules, "(default rules)");
		cx_crules_select(&own, "handover", NULL, is_agent);
		cx_crules_append(is_agent ? agent : customer, &own);
		cx_crules_finish(is_agent ? agent : customer);
	}
}

char **cx_dialog_excludes(int builtin, char **files, size_t nfiles, cx_buf *text, size_t *n)
{
	if (builtin)
		cx_buf_adds(text, cx_dialog_default_excludes);
	for (size_t i = 0; i < nfiles; i++) {
		cx_input_slurp(files[i], NULL, text);
		cx_buf_addc(text, '\n');
	}
	cx_buf_addc(text, '\0');
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	for (char *line = text->p, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len || *line == '#')
			continue;
		if (cx_utf8_check(line, len))
			cx_die(CX_EXIT_USAGE, "--exclude: a line is not UTF-8");
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			v = cx_realloc(v, cap * sizeof *v);
		}
		v[(*n)++] = line;
	}
	return v;
}
