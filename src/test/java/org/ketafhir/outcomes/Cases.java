package org.ketafhir.outcomes;

/**
 * The hand-built patients of the outcome tests. Each figure the tests expect is worked out in the test from the
 * scores given here and the PHQ-9 rules of the guide: response = a fall of at least 50 % from baseline
 * (20 - v >= 10, i.e. v <= 10 for a baseline of 20), remission = a score of 4 or less, worsening = a rise of 5 or more.
 */
final class Cases {

    private Cases() {}

    /** Baseline 20 two days before the first session; responds at session 3, remits at session 4, holds response. */
    static Course responderRemittingAtSession4() {
        return new Course("responder").ivInduction(null).condition(Course.MDD)
                .phq9(-2, 20).phq9(1, 16).phq9(4, 12).phq9(8, 9).phq9(11, 4).phq9(18, 3)
                .phq9(45, 5).phq9(73, 6).phq9(101, 4)
                .psychotherapy(1, null).psychotherapy(8, null);
    }

    /** Baseline 18 the day before; never falls by half. */
    static Course nonResponder() {
        return new Course("non-responder").ivInduction(null)
                .phq9(-1, 18).phq9(4, 16).phq9(11, 15).phq9(18, 14);
    }

    /** Baseline 0: percent change and response are undefined; a rise to 5 is worsening. */
    static Course baselineZero() {
        return new Course("baseline-zero").ivInduction(null).phq9(-1, 0).phq9(7, 5);
    }

    /** The only earlier score is 20 days before the first session, outside the 14-day window. */
    static Course noBaselineInWindow() {
        return new Course("no-baseline").ivInduction(null).phq9(-20, 19).phq9(7, 8);
    }

    /** Responds on day 8, then misses the response criterion on days 22 and 29: loss of response on day 29. */
    static Course losesResponse() {
        return new Course("loses-response").ivInduction(null)
                .phq9(-1, 20).phq9(4, 14).phq9(8, 10).phq9(15, 8).phq9(22, 12).phq9(29, 14)
                .psychotherapy(2, null);
    }
}
