/*
 * fuzz_json: libFuzzer target for lib/io/json.c.
 *
 * Besides "no crash, no sanitizer report", it checks what the parser
 * promises: every string (key or value) survives put_string and a second
 * parse unchanged; a nested value is already in the compact form, so
 * parsing it again gives the same text; a number is one by
 * cx_json_is_number(); and cx_json_is_number() agrees with the parser on
 * the raw input.  Objects are static so the reuse path is what is fuzzed.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Ilib \
 *     testdata/fuzz/fuzz_json.c lib/io/json.c lib/core/buf.c lib/core/err.c -o fuzz_json
 *   ./fuzz_json testdata/fuzz/corpus/json
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cx_json_obj obj = CX_JSON_OBJ_INIT;
static cx_json_obj again = CX_JSON_OBJ_INIT;
static cx_buf err = CX_BUF_INIT;
static cx_buf err2 = CX_BUF_INIT;
static cx_buf line = CX_BUF_INIT;

/* Parse {"k":<json>} into again; the one pair's kind and text must match. */
static void reparse_value(const char *json, size_t n, enum cx_json_kind kind,
			  const char *want, size_t want_len)
{
	cx_buf_reset(&line);
	cx_buf_adds(&line, "{\"k\":");
	cx_buf_add(&line, json, n);
	cx_buf_addc(&line, '}');
	if (cx_json_parse_object(&again, line.p, line.len, &err2) != 0 ||
	    again.npairs != 1 || again.pairs[0].kind != kind ||
	    again.pairs[0].val_len != want_len ||
	    memcmp(cx_json_val(&again, 0), want, want_len) != 0)
		abort();
}

static void string_round_trip(const char *s, size_t n)
{
	cx_buf json = CX_BUF_INIT;
	cx_json_put_string(&json, s, n);
	reparse_value(json.p, json.len, CX_JSON_STRING, s, n);

	/* And as a key. */
	cx_buf_reset(&line);
	cx_buf_addc(&line, '{');
	cx_buf_add(&line, json.p, json.len);
	cx_buf_adds(&line, ":0}");
	if (cx_json_parse_object(&again, line.p, line.len, &err2) != 0 ||
	    again.npairs != 1 || again.pairs[0].key_len != n ||
	    memcmp(cx_json_key(&again, 0), s, n) != 0)
		abort();
	cx_buf_free(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	/* The number grammar, two ways. */
	if (cx_json_is_number(s, size))
		reparse_value(s, size, CX_JSON_NUMBER, s, size);

	if (cx_json_parse_object(&obj, s, size, &err) != 0) {
		if (obj.npairs != 0 || err.len < 7 || memcmp(err.p, "col ", 4) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < obj.npairs; i++) {
		const cx_json_pair *p = &obj.pairs[i];
		const char *key = cx_json_key(&obj, i);
		const char *val = cx_json_val(&obj, i);
		if (key[p->key_len] != '\0' || val[p->val_len] != '\0')
			abort();
		if (cx_json_obj_find(&obj, key, p->key_len) != (long)i)
			abort();
		/* Copies: obj's text is not to be used while again parses. */
		char *k = malloc(p->key_len + 1);
		char *v = malloc(p->val_len + 1);
		memcpy(k, key, p->key_len);
		memcpy(v, val, p->val_len);
		string_round_trip(k, p->key_len);
		switch (p->kind) {
		case CX_JSON_STRING:
			string_round_trip(v, p->val_len);
			break;
		case CX_JSON_NUMBER:
			if (!cx_json_is_number(v, p->val_len))
				abort();
			break;
		case CX_JSON_BOOL:
			if (p->val_len != 1 || (v[0] != '0' && v[0] != '1'))
				abort();
			break;
		case CX_JSON_NULL:
			if (p->val_len != 0)
				abort();
			break;
		case CX_JSON_OBJECT:
		case CX_JSON_ARRAY:
			if (v[0] != (p->kind == CX_JSON_OBJECT ? '{' : '['))
				abort();
			reparse_value(v, p->val_len, p->kind, v, p->val_len);
			break;
		}
		free(k);
		free(v);
	}
	return 0;
}
