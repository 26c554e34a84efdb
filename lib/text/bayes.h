/*
 * bayes: a multinomial naive Bayes text classifier on character n-grams
 * (research/domain.md §3.4), its model file, and k-fold evaluation.
 *
 * Features (cx_bayes_grams).  The text is read code point by code point
 * (UTF-8; a bad byte is U+FFFD) and split into maximal runs of one kind:
 *   CJK   Han (U+3400-4DBF, 4E00-9FFF, F900-FAFF, U+20000-3134F), kana
 *         (U+3040-30FF, 31F0-31FF, FF66-FF9F), hangul (U+1100-11FF,
 *         3130-318F, AC00-D7AF): every character 1-, 2- and 3-gram inside
 *         the run, emitted as the UTF-8 bytes of the text, in the order
 *         "the grams ending at each character, shortest first".
 *   word  ASCII letters and digits (lower-cased), full-width letters and
 *         digits (U+FF10-FF5A, mapped to ASCII, lower-cased), and the
 *         letters of Latin-1/Latin Extended, Greek and Cyrillic
 *         (U+00C0-024F except U+00D7 and U+00F7, U+0370-052F, kept as
 *         they are): each run is one feature, a lower-cased word.
 *   break everything else: whitespace, ASCII and full-width punctuation,
 *         CJK symbols (U+3000-303F), general punctuation, U+FEFF, emoji,
 *         U+FFFD.  A breaker ends the run and is never part of a gram.
 * A switch between CJK and word characters also ends a run, so mixed text
 * ("iPhone屏幕") gets both kinds of feature ("iphone"; 屏, 幕, 屏幕).  CJK
 * grams and words cannot collide (different code points).  Word bigrams
 * are not used: the corpora cx was measured on are Chinese.  No gram is
 * allocated: CJK grams are slices of the text; words are built in one
 * reused scratch buffer.
 *
 * Model.  Multinomial NB with Laplace (add-one) smoothing:
 *   score(y) = log(D_y / D) + sum over the text's grams g that are in
 *              the vocabulary of  log((N_yg + 1) / (N_y + V))
 * with D_y the training documents of class y, D all of them, N_yg the
 * count of gram g in class y, N_y = sum_g N_yg and V the vocabulary size
 * (distinct grams seen in training).  A gram never seen in training is
 * ignored (as scikit-learn does).  The probabilities are the softmax of
 * the scores, computed stably (the maximum is subtracted first).  Ties
 * go to the label first in byte order.  Labels are kept sorted by byte
 * order (memcmp): label index i is the i-th label in that order.
 * Memory: the vocabulary is a cx_keys table, the counts one flat uint32
 * array of V x classes; the logarithms are computed when needed (a table
 * of log(k + 1) for small k), never stored, so a loaded model is exact.
 *
 * Model file (version 1): a cx stream (man/cx.7), so it can be gzip'd
 * and read by any cx tool.  Header and records, in this order:
 *   kind     class   feature    count
 *   format            cx-bayes   1          first record; count = version
 *   vocab                        V          number of distinct features
 *   class    LABEL               D_y        one per class, labels in
 *                                           strictly increasing byte order
 *   feature  LABEL   GRAM       N_yg        one per (gram, class) with
 *                                           N_yg > 0, sorted by gram, then
 *                                           class, strictly increasing
 * Counts are decimal integers without sign or leading zeros: D_y and N_yg
 * at least 1 and at most 4294967295, V the number of distinct GRAMs.
 * The file holds counts only, so saving is exact and load -> save gives
 * the same bytes; the same training documents in any order give the same
 * model bytes.  cx_bayes_load dies (status 3, FILE:LINE) on anything else:
 * a wrong header, an unknown or missing version, a record out of order, a
 * number that is not such a count, an unknown class, an empty gram, a
 * vocab count that does not match, a file with no class.
 *
 * Evaluation report (cx_bayes_eval_run): stratified k-fold cross-
 * validation.  The documents of each class (classes in label order, each
 * in input order) are shuffled with Fisher-Yates driven by splitmix64
 * seeded with `seed` (one generator for the whole run; a draw below n is
 * x % n with the top partial block rejected), then dealt to folds 0, 1,
 * ..., k-1, 0, ... continuing from class to class.  For each fold a model
 * is trained on the other folds (input order) and classifies the fold.
 * The report is one cx stream with the header
 *   kind  class  support  precision  recall  f1  accuracy  predicted  count
 * and the rows
 *   class      LABEL  support  P  R  F1                  one per label
 *   macro             N        P  R  F1                  unweighted means
 *   accuracy          N                  acc       correct
 *   majority   LABEL  N        P  R  F1  acc       D_maj   always the most
 *              frequent label (first in order on a tie): macro P/R/F1 and
 *              accuracy of that baseline
 *   confusion  TRUE   (blank)                 PREDICTED n   every pair, in
 *              label order (true, then predicted), zeros included
 * Ratios have 6 decimals.  A class that is never predicted has no
 * precision (empty field, and so no F1); the macro means count such a
 * value as 0, as scikit-learn's zero_division does.  Fields that do not
 * apply to a row are empty.
 */
#ifndef CX_BAYES_H
#define CX_BAYES_H

#include <stddef.h>

#include "io/output.h"

#define CX_BAYES_VERSION 1

typedef struct cx_bayes cx_bayes;

cx_bayes *cx_bayes_new(void);
/* One training document.  Not to be called after cx_bayes_finish. */
void cx_bayes_add(cx_bayes *m, const char *label, size_t llen, const char *text, size_t tlen);
/* After the last add: sorts the labels, computes the priors. */
void cx_bayes_finish(cx_bayes *m);
/* Writes the model (finished or loaded) as the stream described above. */
void cx_bayes_save(const cx_bayes *m, cx_output *o);
/* Reads a model file (NULL or "-": standard input); dies (status 3,
 * file:line) on a bad file. */
cx_bayes *cx_bayes_load(const char *path);
/* The index of the most probable label; prob (if not NULL) gets the
 * probabilities of all cx_bayes_nlabels() labels.  A model with no label
 * (trained on nothing) returns 0 and writes nothing. */
size_t cx_bayes_classify(const cx_bayes *m, const char *text, size_t n, double *prob);
const char *cx_bayes_label(const cx_bayes *m, size_t i);
size_t cx_bayes_nlabels(const cx_bayes *m);
void cx_bayes_free(cx_bayes *m);

/* The features of a text, in order, as described above: fn(arg, gram,
 * length) once per gram (a gram may repeat). */
void cx_bayes_grams(const char *text, size_t n,
		    void (*fn)(void *arg, const char *gram, size_t len), void *arg);
/* Vocabulary size (distinct features). */
size_t cx_bayes_nfeatures(const cx_bayes *m);

typedef struct cx_bayes_eval cx_bayes_eval;

cx_bayes_eval *cx_bayes_eval_new(void);
void cx_bayes_eval_add(cx_bayes_eval *ev, const char *label, size_t llen, const char *text, size_t tlen);
/* folds >= 2 (else dies, status 2).  Folds left empty (fewer documents
 * than folds) are skipped. */
void cx_bayes_eval_run(cx_bayes_eval *ev, int folds, unsigned long seed, cx_output *o);
void cx_bayes_eval_free(cx_bayes_eval *ev);

#endif
