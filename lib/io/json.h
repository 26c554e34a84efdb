/*
 * json: read one JSON Lines record, write JSON strings.
 *
 * cx-ingest --from jsonl hands each line to cx_json_parse_object(), which
 * turns a flat JSON object into an ordered list of (key, value) pairs in the
 * cx stream's terms:
 *   - strings are unescaped to UTF-8 (surrogate pairs combined); a string
 *     must be valid UTF-8 with no raw control characters, and a lone
 *     surrogate escape is an error.  "\u0000" is accepted and yields a NUL
 *     byte in the value;
 *   - numbers are validated against the JSON grammar and kept as written
 *     ("-0", "1e400" stay as they are);
 *   - true and false become "1" and "0": the stream's booleans are 0/1;
 *   - null becomes the empty value: the stream's missing value (the kind
 *     field still tells it from "");
 *   - a nested object or array is kept as its JSON text with the whitespace
 *     between tokens removed; everything inside it (strings with their
 *     escapes as written, numbers, true/false/null) is the source byte for
 *     byte.  It is checked against the grammar only: duplicate keys inside
 *     it are kept;
 *   - space, tab, CR and LF are allowed around every token, so a trailing
 *     "\r" from a CRLF file (or a stray "\n") is fine;
 *   - a duplicate key in the record, anything but whitespace after the
 *     closing brace, a top-level value that is not an object, and nesting
 *     deeper than CX_JSON_MAX_DEPTH levels (counting the record's own
 *     braces) are errors.
 * A line that is empty or holds only whitespace is reported as the error
 * "col 1: empty line"; whether to skip it is the caller's decision.
 * The line need not be NUL-terminated and nothing past n is read.
 *
 * Every error message is "col N: ..." with N the 1-based byte column of the
 * offending byte (n + 1 when the line ended too early), and says what was
 * expected.  The parser sees one line only, so the caller adds file and line
 * number (cx_die_at).
 *
 * Memory: a cx_json_obj owns its text buffer, its pair array and its key
 * index.  They are reused by the next parse, so once a reader has seen its
 * largest record, parsing allocates nothing.  Offsets, not pointers, locate
 * keys and values because the text buffer moves when it grows.  Each key and
 * each value in text is followed by a NUL byte (not counted in its length),
 * so cx_json_key()/cx_json_val() are C strings as long as the data holds no
 * NUL.  All of it is valid until the next parse or cx_json_obj_free().
 */
#ifndef CX_JSON_H
#define CX_JSON_H

#include <stddef.h>

#include "core/buf.h"

/* The record's braces count as one level: {"a":[[1]]} is three deep. */
#define CX_JSON_MAX_DEPTH 256

enum cx_json_kind {
	CX_JSON_STRING,
	CX_JSON_NUMBER,
	CX_JSON_BOOL,		/* value "1" or "0" */
	CX_JSON_NULL,		/* value "" */
	CX_JSON_OBJECT,		/* value is compact JSON text */
	CX_JSON_ARRAY,		/* value is compact JSON text */
};

typedef struct cx_json_pair {
	size_t key_off, key_len;	/* into cx_json_obj.text */
	size_t val_off, val_len;
	enum cx_json_kind kind;
} cx_json_pair;

struct cx_json_slot;

typedef struct cx_json_obj {
	cx_buf text;		/* unescaped keys and values, back to back */
	cx_json_pair *pairs;	/* in the order of the line */
	size_t npairs, cap;
	/* Private: hash index of the keys, for duplicates and lookups.  A slot
	 * belongs to the current record only if it carries the current gen,
	 * so a new record needs no clearing. */
	struct cx_json_slot *slots;
	size_t nslots;
	unsigned long gen;
} cx_json_obj;

#define CX_JSON_OBJ_INIT { CX_BUF_INIT, NULL, 0, 0, NULL, 0, 0 }

/*
 * Parse line[0..n) as one JSON object.  Returns 0, or -1 with obj->npairs
 * set to 0 and err (if not NULL) reset to the message.
 */
int cx_json_parse_object(cx_json_obj *obj, const char *line, size_t n,
			 cx_buf *err);
void cx_json_obj_free(cx_json_obj *obj);

/* Index of the pair with this key in the last parsed record, or -1. */
long cx_json_obj_find(const cx_json_obj *obj, const char *key, size_t n);

static inline const char *cx_json_key(const cx_json_obj *obj, size_t i)
{
	return obj->text.p + obj->pairs[i].key_off;
}

static inline const char *cx_json_val(const cx_json_obj *obj, size_t i)
{
	return obj->text.p + obj->pairs[i].val_off;
}

/*
 * Append s[0..n) to out as a JSON string with its quotes.  '"', '\\' and
 * the control characters are escaped (\n \r \t \b \f by name, the others as
 * \u00xx); every other byte, DEL and non-ASCII included, is copied as is, so
 * the output is valid JSON exactly when s is valid UTF-8.
 */
void cx_json_put_string(cx_buf *out, const char *s, size_t n);

/*
 * 1 if s[0..n) is a number by the JSON grammar, else 0.  Grammar only: no
 * range check, so "1e400" is a number although no double holds it, while
 * "nan", "inf", "+1", ".5", "1.", "01" and "" are not.
 */
int cx_json_is_number(const char *s, size_t n);

#endif
