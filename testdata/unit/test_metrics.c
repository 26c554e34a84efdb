/*
 * test_metrics: the pure parts of pain_index (lib/stats/metrics.c): reading
 * --pain-weights over the defaults, and the weighted mean that leaves out
 * the components a group does not have.  The engine itself is tested by
 * the golden cases (testdata/cases/metrics/pain-*).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "stats/metrics.h"
#include "unit.h"

/* Parse spec; on failure *why holds the message. */
static int weights(const char *spec, double *w, cx_buf *why)
{
	cx_buf_reset(why);
	return cx_pain_weights(spec, w, why);
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-12;
}

int main(void)
{
	double w[CX_PAIN_NPARTS];
	cx_buf why = CX_BUF_INIT;

	/* The defaults, with no spec. */
	CHECK_INT(weights(NULL, w, &why), 0);
	CHECK(w[CX_PAIN_VOLUME] == 1 && w[CX_PAIN_DETERIORATION] == 2 && w[CX_PAIN_REPEAT] == 1 &&
	      w[CX_PAIN_SLA] == 1 && w[CX_PAIN_NEGATIVE] == 1);

	/* Pairs replace the defaults one by one, in any order. */
	CHECK_INT(weights("negative=0.5,deterioration=3", w, &why), 0);
	CHECK(w[CX_PAIN_VOLUME] == 1 && w[CX_PAIN_DETERIORATION] == 3 && w[CX_PAIN_REPEAT] == 1 &&
	      w[CX_PAIN_SLA] == 1 && w[CX_PAIN_NEGATIVE] == 0.5);
	CHECK_INT(weights("sla=0,volume=1e6,repeat=-0", w, &why), 0);
	CHECK(w[CX_PAIN_SLA] == 0 && w[CX_PAIN_VOLUME] == 1e6 && w[CX_PAIN_REPEAT] == 0);

	/* Each kind of bad spec, with its message. */
	CHECK_INT(weights("volume=1,pain=2", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: unknown component 'pain' (volume, deterioration, repeat, sla, negative)");
	CHECK_INT(weights("sla=-1", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: the weight of 'sla' is a number from 0 to 1000000, not '-1'");
	CHECK_INT(weights("sla=abc", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: the weight of 'sla' is a number from 0 to 1000000, not 'abc'");
	CHECK_INT(weights("sla=", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: the weight of 'sla' is a number from 0 to 1000000, not ''");
	CHECK_INT(weights("sla=inf", w, &why), -1);
	CHECK_INT(weights("sla=1000000.5", w, &why), -1);
	CHECK_INT(weights("sla= 1", w, &why), -1);
	CHECK_INT(weights("volume=0,deterioration=0,repeat=0,sla=0,negative=0", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: every weight is 0: at least one must be more than 0");
	CHECK_INT(weights("deterioration", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: expected NAME=WEIGHT, such as 'deterioration=3', not 'deterioration'");
	CHECK_INT(weights("", w, &why), -1);
	CHECK_INT(weights("=1", w, &why), -1);
	CHECK_INT(weights("sla=1,", w, &why), -1);
	CHECK_INT(weights("Volume=1", w, &why), -1);
	CHECK_INT(weights("repeat=1,repeat=2", w, &why), -1);
	CHECK_STR(why.p, "--pain-weights: 'repeat' given twice");

	/* The mean: 100 x sum w c / sum w over the defined components. */
	double def[CX_PAIN_NPARTS] = { 1, 2, 1, 1, 1 };
	double c[CX_PAIN_NPARTS] = { 4.0 / 7, 0.5, 0.25, 0.5, 2.0 / 3 };
	CHECK(near(cx_pain_index(c, def), 100.0 * 251 / 504));
	/* A component that is NaN (no denominator) leaves with its weight. */
	double no_sla[CX_PAIN_NPARTS] = { 1.0 / 3, 0, 0, NAN, NAN };
	CHECK(near(cx_pain_index(no_sla, def), 100.0 / 12));
	/* A weight of 0 leaves a component out, even a NaN one. */
	double some[CX_PAIN_NPARTS] = { 0, 1, 0, 0, 1 };
	double c2[CX_PAIN_NPARTS] = { NAN, 0.25, NAN, NAN, 2.0 / 3 };
	CHECK(near(cx_pain_index(c2, some), 100.0 * 11 / 24));
	/* Nothing defined: NaN, which is written as an empty field. */
	double none[CX_PAIN_NPARTS] = { NAN, NAN, NAN, NAN, NAN };
	CHECK(isnan(cx_pain_index(none, def)));
	CHECK(isnan(cx_pain_index(c2, (double[CX_PAIN_NPARTS]){ 1, 0, 1, 1, 0 })));
	/* Bounds: every rate 0 is 0, every rate 1 is 100, whatever weights. */
	double zero[CX_PAIN_NPARTS] = { 0, 0, 0, 0, 0 }, one[CX_PAIN_NPARTS] = { 1, 1, 1, 1, 1 };
	double odd[CX_PAIN_NPARTS] = { 1e6, 0.001, 3, 0, 7 };
	CHECK(cx_pain_index(zero, odd) == 0);
	CHECK(near(cx_pain_index(one, odd), 100));

	cx_buf_free(&why);
	return unit_done("metrics");
}
