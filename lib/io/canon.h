/*
 * canon: the canonical complaint field names (man 7 cx) and the user's
 * renaming of them.
 *
 * Programs ask for a field by its canonical name (cx_canon("csat")); by
 * default that is the name itself, and --use csat=satisfaction makes it
 * another.  The table of canonical names lives here once, so every
 * program agrees on it and a typo in --use is caught.
 */
#ifndef CX_CANON_H
#define CX_CANON_H

/* The canonical names, ending with NULL. */
extern const char *const cx_canon_names[];

/* Add "canonical=actual,..." pairs; dies (status 2) on an unknown
 * canonical name or a malformed pair. */
void cx_canon_use(const char *spec);

/* The field name to use for a canonical name. */
const char *cx_canon(const char *canonical);

#endif
