/*
 * sentiment: a lexicon score per text, with negation, intensifiers and
 * emotions (man/cx-classify.1, SENTIMENT).
 *
 * A lexicon maps words to one of: a polarity weight (+1 good, -2 very
 * bad, 0 a frozen phrase that only hides its parts, such as 不错 or
 * 不好意思), a negator (不, never, n't) or an intensifier (非常 x2,
 * 有点 x0.5); a weighted word may carry an emotion (anger, anxiety,
 * disappointment, joy).  Chinese is matched longest-entry-first at each
 * character, English word by word (ASCII letters, lowercased).
 *
 * Scoring: the text is cut into clauses at ，。！？；、,.!?;: and newlines.
 * Each character of Chinese and each English word is one unit.  A
 * weighted word w is multiplied by every intensifier and flipped by every
 * negator that ends at most CX_SENTI_WINDOW units before w starts, in the
 * same clause, after the previous weighted word.  The record's sum x is
 * squashed into [-1, 1] as x / sqrt(x*x + 4).  An emotion collects |w| of
 * its words that were not negated; the emotion is the largest one (ties:
 * anger, anxiety, disappointment, joy), and the anger flag is 1 when the
 * anger total is at least 1.
 *
 * Memory: a cx_lexicon owns its words.  Scoring allocates nothing.
 */
#ifndef CX_SENTIMENT_H
#define CX_SENTIMENT_H

#include <stddef.h>

#include "core/buf.h"

#define CX_SENTI_WINDOW 3

enum cx_lex_format { CX_LEX_CX, CX_LEX_HOWNET, CX_LEX_NTUSD };

enum { CX_EMO_NONE, CX_EMO_ANGER, CX_EMO_ANXIETY, CX_EMO_DISAPPOINTMENT, CX_EMO_JOY, CX_EMO_N };
/* "", "anger", ... indexed by emotion. */
extern const char *const cx_emotion_names[CX_EMO_N];

typedef struct cx_lexicon cx_lexicon;

cx_lexicon *cx_lex_new(void);
void cx_lex_free(cx_lexicon *lx);
size_t cx_lex_size(const cx_lexicon *lx);

/*
 * Parse text as a lexicon called name in a format, adding to (and
 * overriding entries of) lx.  polarity is for the one-list formats
 * (hownet, ntusd): +1, -1, or 0 to infer it from the name (pos, positive,
 * 正面 / neg, negative, 负面; for hownet also 程度 or degree: intensifiers
 * by section, 否定 or negat: negators).  Returns 0, or -1 with
 * "name:LINE: message" in err.
 */
int cx_lex_parse(cx_lexicon *lx, const char *text, size_t n, const char *name,
		 enum cx_lex_format fmt, int polarity, cx_buf *err);
/* Read and parse a file; dies with status 2 (bad lexicon) or 4 (I/O). */
void cx_lex_load(cx_lexicon *lx, const char *path, enum cx_lex_format fmt);
/* "cx", "hownet", "ntusd" -> format; -1 for anything else. */
int cx_lex_format_parse(const char *s);

typedef struct cx_senti {
	double raw;		/* the sum before squashing */
	double score;		/* in [-1, 1] */
	int emotion;		/* CX_EMO_* */
	int anger;		/* 0 or 1 */
	double emo[CX_EMO_N];
} cx_senti;

/* Score valid UTF-8 text s[0..n). */
void cx_sentiment(const cx_lexicon *lx, const char *s, size_t n, cx_senti *out);

#endif
