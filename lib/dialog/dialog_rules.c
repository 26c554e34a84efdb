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

/* The rules of files (each read once: "-" is standard input, which
 * cannot be read twice), or the built-in ones, parsed into rs. */
static void parse_own(cx_crules *rs, cx_buf *texts, char **files, size_t nfiles)
{
	if (!nfiles) {
		parse_builtin(rs, cx_dialog_default_rules, "(default rules)");
		return;
	}
	for (size_t i = 0; i < nfiles; i++) {
		cx_buf err = CX_BUF_INIT;
		if (cx_crules_parse(rs, texts[i].p ? texts[i].p : "", texts[i].len,
				    cx_path_name(files[i]), &err) < 0)
			cx_die(CX_EXIT_USAGE, "%s", err.p);
		cx_buf_free(&err);
	}
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
	cx_buf *texts = cx_calloc(nfiles ? nfiles : 1, sizeof *texts);
	for (size_t i = 0; i < nfiles; i++)
		cx_input_slurp(files[i], NULL, &texts[i]);
	/* The customer's: every rule of the files goes in first, so that a
	 * name the escalation rules use is refused whatever its category,
	 * then the handover rules go. */
	cx_crules own = CX_CRULES_INIT;
	parse_own(&own, texts, files, nfiles);
	cx_crules_append(customer, &own);
	cx_crules_select(customer, "handover", NULL, 0);
	cx_crules_finish(customer);
	cx_crules own_agent = CX_CRULES_INIT;
	parse_own(&own_agent, texts, files, nfiles);
	cx_crules_select(&own_agent, "handover", NULL, 1);
	cx_crules_append(agent, &own_agent);
	cx_crules_finish(agent);
	for (size_t i = 0; i < nfiles; i++)
		cx_buf_free(&texts[i]);
	free(texts);
}

/* The lines of text[at, end) into v: the part of one file (name), or of
 * the built-in list (name NULL).  Lines are found by the length, not by
 * strchr, so that a NUL cannot end the reading silently. */
static void exclude_lines(char *p, size_t at, size_t end, const char *name, char ***v, size_t *n,
			  size_t *cap)
{
	for (long lineno = 1; at < end; lineno++) {
		char *line = p + at, *nl = memchr(line, '\n', end - at);
		size_t len = nl ? (size_t)(nl - line) : end - at;
		at += len + 1;
		line[len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len || *line == '#')
			continue;
		if (memchr(line, '\0', len))
			cx_die(CX_EXIT_USAGE, "%s:%ld: a NUL byte in the excluded replies", name, lineno);
		size_t bad = cx_utf8_check(line, len);
		if (bad)
			cx_die(CX_EXIT_USAGE,
			       "%s:%ld: not UTF-8 (byte %zu); convert it first, e.g. iconv -f GBK -t UTF-8",
			       name, lineno, bad);
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 32;
			*v = cx_realloc(*v, *cap * sizeof **v);
		}
		(*v)[(*n)++] = line;
	}
}

char **cx_dialog_excludes(int builtin, char **files, size_t nfiles, cx_buf *text, size_t *n)
{
	/* Where each file starts in text; the strings point into it once it
	 * has stopped growing. */
	size_t *start = cx_calloc(nfiles + 1, sizeof *start);
	if (builtin)
		cx_buf_adds(text, cx_dialog_default_excludes);
	for (size_t i = 0; i < nfiles; i++) {
		start[i] = text->len;
		cx_input_slurp(files[i], NULL, text);
		cx_buf_addc(text, '\n');
	}
	start[nfiles] = text->len;
	cx_buf_addc(text, '\0');
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	exclude_lines(text->p, 0, nfiles ? start[0] : start[nfiles], "(default excludes)", &v, n,
		      &cap);
	for (size_t i = 0; i < nfiles; i++)
		exclude_lines(text->p, start[i], start[i + 1], cx_path_name(files[i]), &v, n, &cap);
	free(start);
	return v;
}
