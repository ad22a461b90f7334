package org.ketafhir.outcomes;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a cohort for one instrument: what the cohort {@code $outcome-summary} reports as a MeasureReport.
 *
 * @param instrument   the instrument the rates are computed on
 * @param rates        one entry per rate (response / remission, at the latest score and at each time point)
 * @param meanChange   mean of baseline - latest over evaluable patients
 * @param medianChange median of the same
 * @param effectSize   mean change divided by the sample standard deviation of the baseline scores (Cohen's d)
 * @param treated      patients with at least one dosing session matching the filters
 * @param evaluable    of them, patients with a baseline and a later score
 * @param sessions     dosing sessions of the treated patients
 * @param adverseEvents adverse events of the treated patients
 * @param inductionNotCompleted treated patients who did not complete induction (so have no end-of-induction rate)
 */
record CohortOutcome(
        OutcomeInstrument instrument,
        List<Rate> rates,
        BigDecimal meanChange,
        BigDecimal medianChange,
        BigDecimal effectSize,
        int treated,
        int evaluable,
        int sessions,
        int adverseEvents,
        int inductionNotCompleted) {

    /**
     * A rate with its populations, overall and per stratum.
     *
     * @param code       the group code (response-latest, remission-3-months, ...)
     * @param overall    counts over the whole cohort
     * @param strata     stratifier (condition, route, baseline-severity, psychotherapy) to stratum value to counts
     */
    public record Rate(String code, Counts overall, Map<String, Map<String, Counts>> strata) {}

    /** initial population (treated), denominator (evaluable for this rate), numerator (met it). */
    public record Counts(int initialPopulation, int denominator, int numerator) {

        Counts add(boolean evaluable, boolean met) {
            return new Counts(initialPopulation + 1, denominator + (evaluable ? 1 : 0), numerator + (evaluable && met ? 1 : 0));
        }

        /** numerator / denominator, to 4 decimals; null without a denominator. */
        public BigDecimal score() {
            return denominator == 0 ? null
                    : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, java.math.RoundingMode.HALF_UP);
        }
    }
}
