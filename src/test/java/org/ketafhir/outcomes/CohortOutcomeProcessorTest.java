package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketafhir.outcomes.CohortOutcome.Counts;
import org.ketafhir.outcomes.CohortOutcome.Rate;
import org.junit.jupiter.api.Test;

/**
 * Cohort figures over the five hand-built patients of {@link Cases}, all treated with the same six-session IV induction
 * (days 0-17). Per patient, with the PHQ-9 rules (response: fall >= 50 %, remission: <= 4):
 * <pre>
 *   patient          baseline latest change  evaluable  response  remission  end of induction (day 17, +-14 d)
 *   responder        20       4      16      yes        yes       yes        day 18: 3  -> response, remission
 *   non-responder    18       14     4       yes        no        no         day 18: 14 -> no, no
 *   baseline-zero    0        5      -5      yes        undefined n/e        day 7: 5   -> undefined, n/e
 *   no-baseline      -        8      -       no         -         -          -
 *   loses-response   20       14     6       yes        no        no         day 15: 8  -> response, no remission
 * </pre>
 * 3 months after day 0 (2026-04-05, day 90): only the responder has a score within 14 days (day 101: 4).
 * n/e: not evaluable for remission: a baseline below 10 (CMS159's index PHQ-9 > 9) is left out of remission rates.
 */
class CohortOutcomeProcessorTest {

    private final PatientOutcomeProcessor patients =
            new PatientOutcomeProcessor(PatientOutcomeProcessorTest.INSTRUMENTS, OutcomeDefaults.rules());
    private final CohortOutcomeProcessor cohorts = new CohortOutcomeProcessor(patients, Set.of(Course.MDD));
    private final OutcomeInstrument phq9 = PatientOutcomeProcessorTest.INSTRUMENTS.byName("phq-9").orElseThrow();

    private static Map<String, List<OutcomeFact>> cohort() {
        Map<String, List<OutcomeFact>> facts = new LinkedHashMap<>();
        List.of(
                Cases.responderRemittingAtSession4()
                        .adverseEvent("s1", Course.DAY_0.plus(Duration.ofMinutes(30)), "http://ketafhir.org/fhir/CodeSystem/ketafhir|dissociation"),
                Cases.nonResponder(),
                Cases.baselineZero(),
                Cases.noBaselineInWindow(),
                Cases.losesResponse()
                        .adverseEvent("s1", Course.DAY_0.plus(Duration.ofMinutes(30)), "http://ketafhir.org/fhir/CodeSystem/ketafhir|dissociation")
                        .adverseEvent("s2", Course.DAY_0.plus(Duration.ofDays(3)), "http://snomed.info/sct|422587007"))
                .forEach(c -> facts.put(c.patient(), c.facts()));
        return facts;
    }

    private static Counts rate(CohortOutcome outcome, String code) {
        return outcome.rates().stream().filter(r -> r.code().equals(code)).map(Rate::overall).findFirst().orElseThrow();
    }

    @Test
    void shouldCountTreatedAndEvaluablePatients() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        assertThat(outcome.treated()).isEqualTo(5);
        assertThat(outcome.evaluable()).isEqualTo(4);
        assertThat(outcome.sessions()).isEqualTo(30);
    }

    @Test
    void shouldComputeRatesAtTheLatestScore() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        // Response: denominator leaves out baseline-zero (undefined) and no-baseline: 3; only the responder: 1/3.
        assertThat(rate(outcome, "response-latest")).isEqualTo(new Counts(5, 3, 1));
        assertThat(rate(outcome, "response-latest").score()).isEqualByComparingTo("0.3333");
        // Remission: 4 evaluable, less baseline-zero (0 < 10, CMS159): 3; only the responder (4 <= 4): 1/3.
        assertThat(rate(outcome, "remission-latest")).isEqualTo(new Counts(5, 3, 1));
        assertThat(rate(outcome, "remission-latest").score()).isEqualByComparingTo("0.3333");
    }

    @Test
    void shouldComputeRatesAtTimePoints() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        // End of induction: responder (3) and loses-response (8) respond; non-responder does not: 2/3.
        assertThat(rate(outcome, "response-end-of-induction")).isEqualTo(new Counts(5, 3, 2));
        // Remission at end of induction: responder only, of responder, non-responder, loses-response (baseline-zero's
        // baseline 0 is below 10): 1/3.
        assertThat(rate(outcome, "remission-end-of-induction")).isEqualTo(new Counts(5, 3, 1));
        // 3 months: only the responder is assessed (day 101: 4, 11 days from day 90).
        assertThat(rate(outcome, "response-3-months")).isEqualTo(new Counts(5, 1, 1));
        assertThat(rate(outcome, "remission-3-months")).isEqualTo(new Counts(5, 1, 1));
        assertThat(rate(outcome, "response-6-months")).isEqualTo(new Counts(5, 0, 0));
        assertThat(rate(outcome, "response-6-months").score()).isNull();
    }

    @Test
    void shouldCountOnlyCompletersAtTheEndOfInduction() {
        // The responder (six sessions, end of induction day 17, day 18 score 3: response) and a non-completer with five
        // sessions (days 0-14), baseline 20 and 8 on day 15 (a response by its latest score: 20 - 8 = 12 >= 10).
        Map<String, List<OutcomeFact>> facts = new LinkedHashMap<>();
        Course responder = Cases.responderRemittingAtSession4();
        Course five = new Course("five");
        int[] days = {0, 3, 7, 10, 14};
        for (int n = 0; n < days.length; n++) {
            five.session("s" + n, Course.DAY_0.plus(Duration.ofDays(days[n])), Course.IV, 35.0, 0.5, "completed", null);
        }
        five.phq9(-1, 20).phq9(15, 8);
        facts.put(responder.patient(), responder.facts());
        facts.put(five.patient(), five.facts());
        CohortOutcome outcome = cohorts.summarise(phq9, facts, CohortFilter.none());
        // End of induction: only the completer is in the denominator (1 of 1); the non-completer is counted apart.
        assertThat(rate(outcome, "response-end-of-induction")).isEqualTo(new Counts(2, 1, 1));
        assertThat(rate(outcome, "remission-end-of-induction")).isEqualTo(new Counts(2, 1, 1));
        assertThat(outcome.inductionNotCompleted()).isEqualTo(1);
        // At the latest score both count: 2 of 2 respond.
        assertThat(rate(outcome, "response-latest")).isEqualTo(new Counts(2, 2, 2));
        // The five hand-built patients all completed the six-session induction.
        assertThat(cohorts.summarise(phq9, cohort(), CohortFilter.none()).inductionNotCompleted()).isZero();
    }

    @Test
    void shouldComputeTheRapidResponseRateAt24Hours() {
        // The first session is day 0 09:00; the 24 h window is (13:00, day 1 09:00] (after the 4 h window).
        Map<String, List<OutcomeFact>> facts = new LinkedHashMap<>();
        for (Course course : List.of(
                // 20 -> 9 at +20 h: 11 >= 10, responds.
                new Course("a").ivInduction(null).phq9(-1, 20).score(Course.PHQ9, Course.DAY_0.plus(Duration.ofHours(20)), 9),
                // 18 -> 12 at exactly +24 h: 6 < 9, does not respond.
                new Course("b").ivInduction(null).phq9(-1, 18).score(Course.PHQ9, Course.DAY_0.plus(Duration.ofHours(24)), 12),
                // +24 h 1 min: just outside the window; not in the denominator.
                new Course("c").ivInduction(null).phq9(-1, 20).score(Course.PHQ9, Course.DAY_0.plus(Duration.ofMinutes(24 * 60 + 1)), 5),
                // baseline 0: response undefined; not in the denominator.
                new Course("d").ivInduction(null).phq9(-1, 0).score(Course.PHQ9, Course.DAY_0.plus(Duration.ofHours(10)), 0),
                // +3 h: in the 4 h window only; not in the 24 h denominator.
                new Course("e").ivInduction(null).phq9(-1, 16).score(Course.PHQ9, Course.DAY_0.plus(Duration.ofHours(3)), 8))) {
            facts.put(course.patient(), course.facts());
        }
        CohortOutcome outcome = cohorts.summarise(phq9, facts, CohortFilter.none());
        // n/N = 1/2 (a of a and b), of 5 treated.
        assertThat(rate(outcome, "response-24-hours")).isEqualTo(new Counts(5, 2, 1));
        assertThat(rate(outcome, "response-24-hours").score()).isEqualByComparingTo("0.5");
        // None of the five hand-built patients of the other tests has a score within 24 h of the first session.
        assertThat(rate(cohorts.summarise(phq9, cohort(), CohortFilter.none()), "response-24-hours")).isEqualTo(new Counts(5, 0, 0));
    }

    @Test
    void shouldComputeChangeStatistics() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        // Changes 16, 4, -5, 6: mean 21 / 4 = 5.25; median (4 + 6) / 2 = 5.0.
        assertThat(outcome.meanChange()).isEqualByComparingTo("5.25");
        assertThat(outcome.medianChange()).isEqualByComparingTo("5.0");
        // Baselines 20, 18, 0, 20: mean 14.5, squared deviations 30.25 + 12.25 + 210.25 + 30.25 = 283,
        // sample SD sqrt(283 / 3) = 9.7125; d = 5.25 / 9.7125 = 0.54.
        assertThat(outcome.effectSize()).isEqualByComparingTo("0.54");
    }

    @Test
    void shouldCountAdverseEvents() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        // 1 + 2 = 3 adverse events over 30 sessions (0.1 per session) and 5 patients (0.6 per patient).
        assertThat(outcome.adverseEvents()).isEqualTo(3);
        assertThat(outcome.sessions()).isEqualTo(30);
    }

    @Test
    void shouldStratifyByPsychotherapy() {
        CohortOutcome outcome = cohorts.summarise(phq9, cohort(), CohortFilter.none());
        Rate response = outcome.rates().stream().filter(r -> r.code().equals("response-latest")).findFirst().orElseThrow();
        // With psychotherapy: responder and loses-response, both evaluable for response, 1 responds.
        assertThat(response.strata().get("psychotherapy").get("true")).isEqualTo(new Counts(2, 2, 1));
        // Without: non-responder (evaluable, no), baseline-zero and no-baseline (not in the denominator).
        assertThat(response.strata().get("psychotherapy").get("false")).isEqualTo(new Counts(3, 1, 0));
        // Condition: only the responder has the MDD Condition.
        assertThat(response.strata().get("condition").get(Course.MDD)).isEqualTo(new Counts(1, 1, 1));
        assertThat(response.strata().get("route").get(Course.IV)).isEqualTo(new Counts(5, 3, 1));
    }

    @Test
    void shouldFilterTheCohort() {
        CohortFilter psychotherapy = new CohortFilter(Set.of(), Set.of(), null, null, true, Set.of(), null);
        assertThat(cohorts.summarise(phq9, cohort(), psychotherapy).treated()).isEqualTo(2);
        CohortFilter noPsychotherapy = new CohortFilter(Set.of(), Set.of(), null, null, false, Set.of(), null);
        assertThat(cohorts.summarise(phq9, cohort(), noPsychotherapy).treated()).isEqualTo(3);
        // Baseline 20 is "severe" (20-27): responder and loses-response; 18 is "moderately severe".
        CohortFilter severe = new CohortFilter(Set.of(), Set.of(), null, null, null,
                Set.of("http://ketafhir.org/fhir/CodeSystem/ketafhir-instrument|phq-9-severe"), null);
        assertThat(cohorts.summarise(phq9, cohort(), severe).treated()).isEqualTo(2);
        CohortFilter mdd = new CohortFilter(Set.of(Course.MDD), Set.of(), null, null, null, Set.of(), null);
        assertThat(cohorts.summarise(phq9, cohort(), mdd).treated()).isEqualTo(1);
        CohortFilter im = new CohortFilter(Set.of(), Set.of(Course.IM), null, null, null, Set.of(), null);
        assertThat(cohorts.summarise(phq9, cohort(), im).treated()).isZero();
        CohortFilter later = new CohortFilter(Set.of(), Set.of(), Course.DAY_0.plus(Duration.ofDays(1)), null, null, Set.of(), null);
        assertThat(cohorts.summarise(phq9, cohort(), later).treated()).isZero();
        CohortFilter members = new CohortFilter(Set.of(), Set.of(), null, null, null, Set.of(), Set.of("responder", "no-baseline"));
        assertThat(cohorts.summarise(phq9, cohort(), members).treated()).isEqualTo(2);
    }
}
