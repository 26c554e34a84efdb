/*
 * annotate: cx-classify's pass over the stream — every record goes out
 * with the classification of its text added.
 *
 * The rules decide category, subcategory, department, severity and rule
 * (with --explain, match and span too); what no rule matches is decided by
 * the naive Bayes model if there is one (rule "model", a probability), else
 * gets the unmatched category.  The lexicon adds sentiment, emotion and
 * anger.  Each output field replaces an input field of the same name or is
 * appended after the input's, in the order of cx-classify(1).  A severity
 * the record already has is kept unless override is set.
 *
 * Ownership: the caller owns the rules, lexicon and model and keeps them
 * until cx_annotate_run() returns; the run owns nothing after it.
 */
#ifndef CX_ANNOTATE_H
#define CX_ANNOTATE_H

#include "io/output.h"
#include "io/stream.h"
#include "text/bayes.h"
#include "text/classify.h"
#include "text/sentiment.h"

typedef struct cx_annotate {
	const cx_crules *rules;		/* finished (cx_crules_finish) */
	const cx_lexicon *lexicon;	/* NULL: no sentiment, emotion, anger */
	const cx_bayes *model;		/* NULL: no probability */
	const char *model_path;		/* for messages about the model */
	const char *fields;		/* text fields; NULL: the canonical text */
	const char *unmatched;		/* category of the unmatched; NULL: other */
	int multi;			/* every matching category, not the first */
	int explain;			/* add match and span */
	int override;			/* a rule's severity replaces the record's */
} cx_annotate;

/* Reads the records of paths (none: standard input) to their end, writes
 * header and records to out.  Dies (status 3) on a model class that cannot
 * be a category, before any input is read, and on text that is not UTF-8. */
void cx_annotate_run(const cx_annotate *a, char **paths, size_t npaths, cx_output *out);

#endif
