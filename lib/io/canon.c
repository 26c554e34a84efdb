#include "io/canon.h"

#include <stdlib.h>
#include <string.h>

#include "core/opt.h"
#include "io/stream.h"

const char *const cx_canon_names[] = {
	"id", "created_at", "customer_id", "channel", "source", "product", "region",
	"category", "severity", "status", "escalated", "first_response_at", "resolved_at",
	"reopened", "csat", "nps", "agent", "department", "text",
	"conversation_id", "turn", "ts", "speaker", NULL,
};

#define NCANON (sizeof cx_canon_names / sizeof cx_canon_names[0] - 1)

/* Names given by --use; they point into argv or the split list, which
 * live as long as the program. */
static const char *actual[NCANON];

void cx_canon_use(const char *spec)
{
	size_t n;
	char **pairs = cx_split_list(spec, &n);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(pairs[i], '=');
		if (!eq || eq == pairs[i] || !eq[1])
			cx_usage_error("--use: expected 'canonical=field', found '%s'", pairs[i]);
		*eq = '\0';
		size_t k = 0;
		while (k < NCANON && strcmp(cx_canon_names[k], pairs[i]))
			k++;
		if (k == NCANON)
			cx_usage_error("--use: '%s' is not a canonical field name (see man 7 cx)",
				       pairs[i]);
		actual[k] = eq + 1;
	}
	/* The strings stay referenced by actual[]; only the array goes. */
	free(pairs);
}

const char *cx_canon(const char *canonical)
{
	for (size_t k = 0; k < NCANON; k++)
		if (!strcmp(cx_canon_names[k], canonical))
			return actual[k] ? actual[k] : canonical;
	return canonical;
}
