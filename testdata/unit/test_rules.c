/* test_rules: the rules grammar of lib/alert/rules.c. */
#include <stdlib.h>
#include <string.h>

#include "alert/rules.h"
#include "unit.h"

static int parse(cx_rules *rs, const char *text, cx_buf *err)
{
	return cx_rules_parse(rs, text, strlen(text), "t.rules", err);
}

/* The error message of a one-file parse, or "" when it parsed. */
static const char *error_of(const char *text)
{
	static cx_buf err = CX_BUF_INIT;
	cx_rules rs = CX_RULES_INIT;
	cx_buf_reset(&err);
	int rc = parse(&rs, text, &err);
	cx_rules_free(&rs);
	return rc == 0 ? "" : err.p;
}

int main(void)
{
	cx_rules rs = CX_RULES_INIT;
	cx_buf err = CX_BUF_INIT;
	const char *text =
		"# comment\n"
		"\n"
		"wow trend complaints_pop_pct>20 for 3 min 30 p < 0.05 severity high group product \\\n"
		"    message \"{product} 上升 {value}% \\\"x\\\"\"\n"
		"crit record severity == critical and amount >= 1e3 severity critical\n"
		"churn window customer_id count > 3 within 7d cooldown 2d on opened_at\n"
		"sla1 sla first_response_at within 2h of created_at ladder 75%:warn,100%:breach\n"
		"media text text ~ /媒体|a\\/b/i\n";
	CHECK_INT(parse(&rs, text, &err), 0);
	CHECK_INT(rs.n, 5);
	if (rs.n == 5) {
		cx_rule *r = &rs.v[0];
		CHECK_STR(r->name, "wow");
		CHECK_INT(r->kind, CX_RULE_TREND);
		CHECK_INT(r->line, 3);
		CHECK_INT(r->ncmp, 1);
		CHECK_STR(r->cmp[0].field, "complaints_pop_pct");
		CHECK_INT(r->cmp[0].op, CX_OP_GT);
		CHECK(r->cmp[0].rhs_is_num && r->cmp[0].num == 20);
		CHECK_INT(r->for_n, 3);
		CHECK(r->has_min && r->min == 30);
		CHECK(r->has_p && r->p_max == 0.05);
		CHECK_INT(r->severity, CX_SEV_HIGH);
		CHECK_INT(r->ngroup, 1);
		CHECK_STR(r->group[0], "product");
		CHECK_STR(r->message, "{product} 上升 {value}% \"x\"");

		r = &rs.v[1];
		CHECK_INT(r->line, 5);
		CHECK_INT(r->ncmp, 2);
		CHECK_STR(r->cmp[0].rhs, "critical");
		CHECK(!r->cmp[0].rhs_is_num);
		CHECK_INT(r->cmp[1].op, CX_OP_GE);
		CHECK(r->cmp[1].num == 1000);
		CHECK_INT(r->severity, CX_SEV_CRITICAL);

		r = &rs.v[2];
		CHECK_STR(r->key, "customer_id");
		CHECK_INT(r->count_gt, 3);
		CHECK_INT(r->within, 7 * 86400);
		CHECK_INT(r->cooldown, 2 * 86400);
		CHECK_STR(r->on, "opened_at");

		r = &rs.v[3];
		CHECK_STR(r->sla_field, "first_response_at");
		CHECK_STR(r->sla_from, "created_at");
		CHECK_INT(r->within, 7200);
		CHECK_INT(r->nladder, 2);
		CHECK(r->ladder[0].pct == 75);
		CHECK_STR(r->ladder[1].label, "breach");

		r = &rs.v[4];
		CHECK_STR(r->cmp[0].rhs, "媒体|a/b");
		CHECK(r->re && r->re[0]);
	}
	/* A second file: duplicates are found across files. */
	CHECK_INT(cx_rules_parse(&rs, "wow record a == b\n", 18, "u.rules", &err), -1);
	CHECK_STR(err.p, "u.rules:1: rule 'wow': duplicate rule name 'wow' (first at t.rules:3)");
	cx_rules_free(&rs);

	/* Defaults. */
	CHECK_INT(parse(&rs, "s sla a within 1h of b\nw window k count >= 4 within 1d", &err), 0);
	CHECK_INT(rs.v[0].nladder, 1);
	CHECK_STR(rs.v[0].ladder[0].label, "breach");
	CHECK_INT(rs.v[0].severity, CX_SEV_MEDIUM);
	CHECK_INT(rs.v[1].count_gt, 3);
	CHECK_INT(rs.v[1].cooldown, -1);
	cx_rules_free(&rs);

	/* Errors, with their line numbers. */
	CHECK_STR(error_of("\n\nx foo a > 1"), "t.rules:3: rule 'x': unknown kind 'foo' (trend, record, window, sla, text)");
	CHECK_STR(error_of("x trend a > 1 bogus"), "t.rules:1: rule 'x': unknown option 'bogus'");
	CHECK_STR(error_of("x trend a > 1 for x"), "t.rules:1: rule 'x': for: bad number 'x'");
	CHECK_STR(error_of("x window k count > 3 within 3q"),
		  "t.rules:1: rule 'x': within: bad duration '3q' (use 45s, 30m, 2h, 7d, 2w)");
	CHECK_STR(error_of("x text t ~ /(/"),
		  "t.rules:1: rule 'x': bad regular expression /(/: missing closing parenthesis at offset 1");
	CHECK_STR(error_of("x record a == \"b"), "t.rules:1: unterminated string");
	CHECK_STR(error_of("x record a > b"), "t.rules:1: rule 'x': '>' compares numbers: bad number 'b'");
	CHECK_STR(error_of("x record a ~ /b/"), "t.rules:1: rule 'x': '~' matches a pattern: only in a text rule");
	CHECK_STR(error_of("x trend a > 1 \\\n  severity huge"),
		  "t.rules:1: rule 'x': unknown severity 'huge' (low, medium, high, critical)");
	CHECK_STR(error_of("x record a == b message \"}\""),
		  "t.rules:1: rule 'x': message: a '}' without '{' at byte 1 (write }} for a brace)");
	CHECK_STR(error_of("x"), "t.rules:1: rule 'x': expected a kind (trend, record, window, sla, text) at the end of the line");
	CHECK_STR(error_of("x sla a within 1h of b ladder 100:x"),
		  "t.rules:1: rule 'x': ladder: bad step '100:x' (PERCENT%:LABEL, such as 150%:escalate_1)");
	CHECK_STR(error_of("x\x01 record a == b"), "t.rules:1: bad rule name 'x\x01' (letters, digits, _ . -)");
	CHECK_STR(error_of("ok record a == b\nx record a == \xff"), "t.rules:2: invalid UTF-8 at byte 15 of the rule");
	CHECK_STR(error_of("# only comments\n\n   \n"), "");
	{
		cx_rules r2 = CX_RULES_INIT;
		CHECK_INT(cx_rules_parse(&r2, "a record b == c\0", 16, "z", &err), -1);
		CHECK_STR(err.p, "z:1: a NUL byte in the rules");
		cx_rules_free(&r2);
	}
	cx_buf_free(&err);
	return unit_done("test_rules");
}
