/* test_ruletok: tokens and logical lines of a rules file (lib/core/ruletok.c). */
#include <string.h>

#include "core/ruletok.h"
#include "unit.h"

/* The logical lines of text, as "LINE:tok|tok|..." joined by spaces, or
 * "error: MESSAGE" for the first failure. */
static const char *lines_of(const char *text, size_t n, int flags)
{
	static cx_buf out = CX_BUF_INIT;
	cx_buf err = CX_BUF_INIT;
	cx_rparse ps;
	cx_buf_reset(&out);
	cx_rp_init(&ps, text, n, "t.rules", flags, &err);
	int rc;
	while ((rc = cx_rp_line(&ps)) > 0) {
		cx_buf_addf(&out, "%s%ld:", out.len ? " " : "", ps.line);
		for (size_t i = 0; i < ps.tk.n; i++)
			cx_buf_addf(&out, "%s%s", i ? "|" : "", ps.tk.t[i].s);
	}
	if (rc < 0) {
		cx_buf_reset(&out);
		cx_buf_addf(&out, "error: %s", err.p);
	}
	cx_rp_free(&ps);
	cx_buf_free(&err);
	return out.p ? out.p : "";
}

#define LINES(s) lines_of((s), sizeof(s) - 1, 0)

int main(void)
{
	/* Blank and comment lines are skipped; the line is the first one. */
	CHECK_STR(LINES("a b\n\n# c\n  d\n"), "1:a|b 4:d");
	CHECK_STR(LINES(""), "");
	CHECK_STR(LINES("\n\n"), "");
	/* A backslash at the end joins the next line, with a space. */
	CHECK_STR(LINES("a \\\nb\nc\n"), "1:a|b 3:c");
	CHECK_STR(LINES("a\\\nb\\\nc\nd"), "1:a|b|c 4:d");
	/* A comment line does not continue, whatever it ends in. */
	CHECK_STR(LINES("# off \\\nr a\n"), "2:r|a");
	CHECK_STR(LINES("  # off \\\nr a\n"), "2:r|a");
	CHECK_STR(LINES("r a # note \\\nr b\n"), "1:r|a 2:r|b");
	CHECK_STR(LINES("r a \\\n  b # note \\\nr c\n"), "1:r|a|b 3:r|c");
	/* A '#' in a string or a pattern starts no comment. */
	CHECK_STR(LINES("r \"#\" \\\nb\n"), "1:r|#|b");
	CHECK_STR(LINES("r /#/ \\\nb\n"), "1:r|#|b");
	/* A string may go on over a continued line. */
	CHECK_STR(LINES("r \"a \\\nb\"\n"), "1:r|a  b");
	/* A backslash on the last line joins nothing. */
	CHECK_STR(LINES("a\\"), "1:a");
	/* CRLF. */
	CHECK_STR(LINES("a\r\nb \\\r\nc\r\n"), "1:a 2:b|c");
	/* NUL and invalid UTF-8 name the (logical) line. */
	CHECK_STR(LINES("a\nb\0c\n"), "error: t.rules:2: a NUL byte in the rules");
	CHECK_STR(LINES("a\n\\\n\xff\n"), "error: t.rules:2: invalid UTF-8 at byte 2 of the rule");
	CHECK_STR(LINES("\xe4\xb8\xad \"\xe6\x96\x87\"\n"), "1:\xe4\xb8\xad|\xe6\x96\x87");
	/* The tokenizer's own complaint. */
	CHECK_STR(LINES("a\n\"open\n"), "error: t.rules:2: unterminated string");

	/* next, word, peek and the one error shape; only the first counts. */
	cx_buf err = CX_BUF_INIT;
	cx_rparse ps;
	const char *text = "r1 kind \"s\"\n";
	cx_rp_init(&ps, text, strlen(text), "f", CX_TOK_OPERATORS, &err);
	CHECK_INT(cx_rp_line(&ps), 1);
	CHECK(cx_rp_is_word(cx_rp_peek(&ps), "r1"));
	CHECK_STR(cx_rp_word(&ps, "a name", NULL), "r1");
	ps.rule = "r1";
	CHECK_STR(cx_rp_word(&ps, "a kind", "r1"), "kind");
	CHECK(!cx_rp_is_word(cx_rp_peek(&ps), "s"));
	CHECK(cx_rp_word(&ps, "a word", "kind") == NULL);
	CHECK_STR(err.p, "f:1: rule 'r1': expected a word after 'kind', not '\"s\"'");
	CHECK_INT(cx_rp_fail(&ps, "second %d", 2), -1);
	CHECK_STR(err.p, "f:1: rule 'r1': expected a word after 'kind', not '\"s\"'");
	CHECK(cx_rp_peek(&ps) == NULL);
	ps.failed = 0;
	CHECK(cx_rp_next(&ps, "more", NULL) == NULL);
	CHECK_STR(err.p, "f:1: rule 'r1': expected more at the end of the line");
	ps.failed = 0;
	CHECK(cx_rp_next(&ps, "more", "s") == NULL);
	CHECK_STR(err.p, "f:1: rule 'r1': expected more after 's' at the end of the line");
	CHECK_INT(cx_rp_line(&ps), 0);
	cx_rp_free(&ps);

	/* Tokens as written. */
	text = "w \"s\"i /p/x >=\n";
	cx_rp_init(&ps, text, strlen(text), "f", CX_TOK_OPERATORS, &err);
	CHECK_INT(cx_rp_line(&ps), 1);
	CHECK_STR(cx_rp_shown(&ps, &ps.tk.t[0]), "w");
	CHECK_STR(cx_rp_shown(&ps, &ps.tk.t[1]), "\"s\"");
	cx_rp_free(&ps);
	text = "w \"s\"i /p/x\n";
	cx_rp_init(&ps, text, strlen(text), "f", 0, &err);
	CHECK_INT(cx_rp_line(&ps), 1);
	CHECK_STR(cx_rp_shown(&ps, &ps.tk.t[1]), "\"s\"i");
	CHECK_STR(cx_rp_shown(&ps, &ps.tk.t[2]), "/p/x");
	cx_rp_free(&ps);

	/* A message longer than any fixed buffer is kept whole. */
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cx_rp_init(&ps, "", 0, "f", 0, &err);
	cx_rp_fail(&ps, "%s", big);
	CHECK_INT(err.len, strlen("f:0: ") + sizeof big - 1);
	cx_rp_free(&ps);
	cx_buf_free(&err);

	return unit_done("test_ruletok");
}
