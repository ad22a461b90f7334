package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Extension;
import org.ketafhir.dosing.DosingDefaults;
import org.ketafhir.dosing.ReadingWindows;
import org.ketafhir.outcomes.PatientOutcome.InstrumentOutcome;
import org.ketafhir.scoring.InstrumentCatalog;
import org.ketafhir.ig.GuidePackage;
import org.junit.jupiter.api.Test;

/** The per-patient figures of the domain reference, section 6, on the hand-built patients of {@link Cases}. */
class PatientOutcomeProcessorTest {

    static final OutcomeInstruments INSTRUMENTS = OutcomeInstruments.fromGuide(InstrumentCatalog.fromGuide(GuidePackage.builtIn()), GuidePackage.builtIn());
    private final PatientOutcomeProcessor processor = new PatientOutcomeProcessor(INSTRUMENTS, OutcomeDefaults.rules());

    private PatientOutcome summarise(Course course) {
        return processor.summarise(course.patient(), course.facts(), null, null, null, Set.of());
    }

    private static InstrumentOutcome phq9(PatientOutcome outcome) {
        assertThat(outcome.instruments()).extracting(i -> i.instrument().id()).containsExactly("phq-9");
        return outcome.instruments().get(0);
    }

    @Test
    void shouldReportAResponderWhoRemitsAtSession4() {
        InstrumentOutcome phq9 = phq9(summarise(Cases.responderRemittingAtSession4()));
        // Baseline: the day -2 score (20), within 14 days before the first session. Latest: day 101, 4.
        assertThat(phq9.evaluable()).isTrue();
        assertThat(phq9.baseline().value()).isEqualTo(20);
        assertThat(phq9.latest().value()).isEqualTo(4);
        assertThat(phq9.latest().at()).isEqualTo(Course.scoreDay(101));
        // 20 - 4 = 16 points; 16 / 20 = 80.0 %.
        assertThat(phq9.change().absolute()).isEqualTo(16);
        assertThat(phq9.change().percent()).isEqualByComparingTo("80.0");
        assertThat(phq9.response().met()).isTrue();
        assertThat(phq9.remission().met()).isTrue();
        assertThat(phq9.change().worsening()).isFalse();
        assertThat(phq9.change().meaningful()).as("PHQ-9 declares no meaningful-change threshold").isNull();
        // First score <= 10 (half of 20): day 8 (9), after the sessions of days 0, 3 and 7.
        assertThat(phq9.response().daysToFirst()).isEqualTo(8);
        assertThat(phq9.response().sessionsToFirst()).isEqualTo(3);
        // First score <= 4: day 11 (4), after the sessions of days 0, 3, 7 and 10: session 4.
        assertThat(phq9.remission().daysToFirst()).isEqualTo(11);
        assertThat(phq9.remission().sessionsToFirst()).isEqualTo(4);
        // End of induction: the 6th session, day 17. Weeks 4, 8, 12 after it: days 45, 73, 101, scored 5, 6, 4 (all <= 10).
        assertThat(phq9.response().heldAtWeek()).containsExactly(
                org.assertj.core.api.Assertions.entry(4, true),
                org.assertj.core.api.Assertions.entry(8, true),
                org.assertj.core.api.Assertions.entry(12, true));
        assertThat(phq9.response().lost()).isFalse();
        assertThat(phq9.response().threshold()).isEqualByComparingTo("10");
        assertThat(phq9.remission().threshold()).isEqualTo(4);
        assertThat(phq9.points()).hasSize(9);
    }

    @Test
    void shouldReportANonResponder() {
        InstrumentOutcome phq9 = phq9(summarise(Cases.nonResponder()));
        // 18 -> 14: 4 points, 4 / 18 = 22.2 %; response needs 9.
        assertThat(phq9.change().absolute()).isEqualTo(4);
        assertThat(phq9.change().percent()).isEqualByComparingTo("22.2");
        assertThat(phq9.response().met()).isFalse();
        assertThat(phq9.remission().met()).isFalse();
        assertThat(phq9.change().worsening()).isFalse();
        assertThat(phq9.response().daysToFirst()).isNull();
        assertThat(phq9.response().lost()).as("no response, so nothing to lose").isNull();
        // No score near days 45, 73 or 101 (4, 8, 12 weeks after day 17): held response is unknown, so absent.
        assertThat(phq9.response().heldAtWeek()).isEmpty();
    }

    @Test
    void shouldLeavePercentChangeAndResponseUndefinedForABaselineOfZero() {
        InstrumentOutcome phq9 = phq9(summarise(Cases.baselineZero()));
        assertThat(phq9.evaluable()).isTrue();
        assertThat(phq9.change().absolute()).isEqualTo(-5);
        assertThat(phq9.change().percent()).isNull();
        assertThat(phq9.response().met()).isNull();
        assertThat(phq9.response().threshold()).isNull();
        // A baseline of 0 is below CMS159's index PHQ-9 > 9: not evaluable for remission, so no remission flag
        // (it was reported "not in remission" before). 5 - 0 = 5 >= 5: worsening.
        assertThat(phq9.remission().evaluable()).isFalse();
        assertThat(phq9.remission().met()).isNull();
        assertThat(phq9.change().worsening()).isTrue();
    }

    @Test
    void shouldCountForRemissionOnlyABaselineAbove9AsCms159Does() {
        // PHQ-9 remission denominator (Questionnaire phq-9, instrument-remission-denominator): baseline >= 10.
        assertThat(INSTRUMENTS.byName("phq-9").orElseThrow().remissionBaselineMin()).isEqualTo(10);
        // Just under: baseline 9, then 3 on day 4 and 2 on day 11. 3 <= 4 would be "remission", but 9 < 10: not evaluable,
        // so neither remission nor days / sessions to remission are reported.
        InstrumentOutcome under = phq9(summarise(new Course("nine").ivInduction(null).phq9(-1, 9).phq9(4, 3).phq9(11, 2)));
        assertThat(under.evaluable()).isTrue();
        assertThat(under.remission().evaluable()).isFalse();
        assertThat(under.remission().met()).isNull();
        assertThat(under.remission().daysToFirst()).isNull();
        assertThat(under.remission().sessionsToFirst()).isNull();
        // Response is not affected: 9 - 2 = 7 >= 4.5.
        assertThat(under.response().met()).isTrue();
        // Already in remission at baseline (4), still 4 later: not a remitter, not evaluable.
        InstrumentOutcome already = phq9(summarise(new Course("four").ivInduction(null).phq9(-1, 4).phq9(4, 4)));
        assertThat(already.remission().evaluable()).isFalse();
        assertThat(already.remission().met()).isNull();
        // At the threshold: baseline 10, 4 on day 4 (sessions of days 0 and 3 given): remission on day 4 after 2 sessions.
        InstrumentOutcome at = phq9(summarise(new Course("ten").ivInduction(null).phq9(-1, 10).phq9(4, 4).phq9(11, 6)));
        assertThat(at.remission().evaluable()).isTrue();
        assertThat(at.remission().met()).as("latest 6 > 4").isFalse();
        assertThat(at.remission().daysToFirst()).isEqualTo(4);
        assertThat(at.remission().sessionsToFirst()).isEqualTo(2);
        // Just over: baseline 11, latest 4 on day 11 (sessions of days 0, 3, 7, 10): remission, day 11, 4 sessions.
        InstrumentOutcome over = phq9(summarise(new Course("eleven").ivInduction(null).phq9(-1, 11).phq9(11, 4)));
        assertThat(over.remission().evaluable()).isTrue();
        assertThat(over.remission().met()).isTrue();
        assertThat(over.remission().daysToFirst()).isEqualTo(11);
        assertThat(over.remission().sessionsToFirst()).isEqualTo(4);
    }

    @Test
    void shouldReadEachInstrumentsRemissionDenominatorFromItsQuestionnaire() {
        // The moderate band's lower bound of each instrument (CMS159 by analogy): GAD-7 10-14, MADRS 20-34,
        // QIDS-SR16 11-15, Y-BOCS 16-23. PCL-5 has no remission threshold and so no denominator.
        assertThat(INSTRUMENTS.byName("gad-7").orElseThrow().remissionBaselineMin()).isEqualTo(10);
        assertThat(INSTRUMENTS.byName("madrs").orElseThrow().remissionBaselineMin()).isEqualTo(20);
        assertThat(INSTRUMENTS.byName("qids-sr16").orElseThrow().remissionBaselineMin()).isEqualTo(11);
        assertThat(INSTRUMENTS.byName("y-bocs").orElseThrow().remissionBaselineMin()).isEqualTo(16);
        assertThat(INSTRUMENTS.byName("pcl-5").orElseThrow().remissionBaselineMin()).isNull();
        OutcomeInstrument madrs = INSTRUMENTS.byName("madrs").orElseThrow();
        // MADRS: 19 just under, 20 at, 21 just over.
        assertThat(madrs.remissionEvaluable(19)).isFalse();
        assertThat(madrs.remissionEvaluable(20)).isTrue();
        assertThat(madrs.remissionEvaluable(21)).isTrue();
        assertThat(INSTRUMENTS.byName("pcl-5").orElseThrow().remissionEvaluable(50)).isFalse();
    }

    @Test
    void shouldRefuseAMalformedRemissionDenominator() {
        org.hl7.fhir.r4.model.Questionnaire q = new org.hl7.fhir.r4.model.Questionnaire().setUrl("http://example.org/q");
        q.addExtension().setUrl(RemissionDenominators.EXTENSION)
                .addExtension(new Extension("code", new org.hl7.fhir.r4.model.Coding("http://loinc.org", "44261-6", null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemissionDenominators.read(List.of(q)))
                .isInstanceOf(org.ketafhir.scoring.InstrumentDefinitionException.class).hasMessageContaining("baselineMin");
        org.hl7.fhir.r4.model.Questionnaire unknown = new org.hl7.fhir.r4.model.Questionnaire().setUrl("http://example.org/u");
        unknown.addExtension().setUrl(RemissionDenominators.EXTENSION)
                .addExtension(new Extension("code", new org.hl7.fhir.r4.model.Coding("http://example.org", "no-such-score", null)))
                .addExtension(new Extension("baselineMin", new org.hl7.fhir.r4.model.IntegerType(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OutcomeInstruments(InstrumentCatalog.fromGuide(GuidePackage.builtIn()), List.of(unknown)))
                .isInstanceOf(org.ketafhir.scoring.InstrumentDefinitionException.class).hasMessageContaining("no-such-score");
    }

    @Test
    void shouldNotEvaluateWithoutABaselineInTheWindow() {
        InstrumentOutcome phq9 = phq9(summarise(Cases.noBaselineInWindow()));
        // The day -20 score lies outside the 14 days before the first session.
        assertThat(phq9.evaluable()).isFalse();
        assertThat(phq9.baseline()).isNull();
        assertThat(phq9.latest().value()).isEqualTo(8);
        assertThat(phq9.change().absolute()).isNull();
        assertThat(phq9.response().met()).isNull();
        assertThat(phq9.remission().met()).isNull();
    }

    @Test
    void shouldUseAWiderBaselineWindowWhenConfigured() {
        OutcomeRules wide = new OutcomeRules(21, 6, 28, List.of(4, 8, 12), 2, 14, List.of(3, 6, 12), 1, Course.CADSS,
                DosingDefaults.readingWindows(), List.of(4, 24), 2);
        Course course = Cases.noBaselineInWindow();
        InstrumentOutcome phq9 = new PatientOutcomeProcessor(INSTRUMENTS, wide)
                .summarise(course.patient(), course.facts(), null, null, null, Set.of()).instruments().get(0);
        // Day -20 is within 21 days: baseline 19, latest 8, 11 points = 57.9 % (11 / 19 = 0.5789).
        assertThat(phq9.baseline().value()).isEqualTo(19);
        assertThat(phq9.change().percent()).isEqualByComparingTo("57.9");
        assertThat(phq9.response().met()).isTrue();
    }

    @Test
    void shouldReportLossOfResponseAfterTwoConsecutiveMisses() {
        InstrumentOutcome phq9 = phq9(summarise(Cases.losesResponse()));
        // Responds on day 8 (10 <= 10), holds on day 15 (8), misses on day 22 (12) and day 29 (14).
        assertThat(phq9.response().daysToFirst()).isEqualTo(8);
        assertThat(phq9.response().sessionsToFirst()).isEqualTo(3);
        assertThat(phq9.response().lost()).isTrue();
        assertThat(phq9.response().lostAt()).isEqualTo(Course.scoreDay(29));
        // Latest 14: 6 points, 30.0 %: no longer a responder.
        assertThat(phq9.change().percent()).isEqualByComparingTo("30.0");
        assertThat(phq9.response().met()).isFalse();
        // No score within 14 days of day 45 (4 weeks after day 17): held response unknown.
        assertThat(phq9.response().heldAtWeek()).isEmpty();
    }

    @Test
    void shouldReportExposureAndPsychotherapy() {
        PatientOutcome withTherapy = summarise(Cases.responderRemittingAtSession4());
        PatientOutcome without = summarise(Cases.nonResponder());
        // 35 + 35 + 42 + 42 + 49 + 49 = 252 mg; (0.5 + 0.5 + 0.6 + 0.6 + 0.7 + 0.7) / 6 = 0.6 mg/kg.
        assertThat(withTherapy.exposure().sessions()).hasSize(6);
        assertThat(withTherapy.exposure().sessionsByRoute()).containsExactly(org.assertj.core.api.Assertions.entry(Course.IV, 6));
        assertThat(withTherapy.exposure().cumulativeMg()).isEqualByComparingTo("252");
        assertThat(withTherapy.exposure().meanMgPerKg()).isEqualByComparingTo("0.6");
        // 6 sessions between day 0 and day 17, within 28 days.
        assertThat(withTherapy.exposure().inductionCompleted()).isTrue();
        assertThat(withTherapy.exposure().endOfInduction()).isEqualTo(Course.DAY_0.plus(Duration.ofDays(17)));
        assertThat(withTherapy.psychotherapySessions()).hasSize(2);
        assertThat(without.psychotherapySessions()).isEmpty();
    }

    @Test
    void shouldNotCompleteInductionWhenTheSixthSessionIsTooLate() {
        Course course = new Course("slow");
        for (int n = 0; n < 6; n++) {
            // Sessions on days 0, 6, 12, 18, 24, 30: only five fall before day 28.
            course.session("s" + n, Course.DAY_0.plus(Duration.ofDays(6L * n)), Course.IV, 35.0, 0.5, "completed", null);
        }
        assertThat(summarise(course).exposure().inductionCompleted()).isFalse();
        // A non-completer has no end of induction (it used to be the day 24 session, the last within 28 days).
        assertThat(summarise(course).exposure().endOfInduction()).isNull();
    }

    @Test
    void shouldAnchorDurabilityOnlyOnACompletedInduction() {
        // Five sessions (days 0, 3, 7, 10, 14): one short of 6. Baseline 20; day 15: 8; day 42: 6 (4 weeks after day 14).
        Course five = new Course("five");
        int[] days = {0, 3, 7, 10, 14};
        for (int n = 0; n < days.length; n++) {
            five.session("s" + n, Course.DAY_0.plus(Duration.ofDays(days[n])), Course.IV, 35.0, 0.5, "completed", null);
        }
        five.phq9(-1, 20).phq9(15, 8).phq9(42, 6);
        PatientOutcome outcome = summarise(five);
        assertThat(outcome.exposure().inductionCompleted()).isFalse();
        assertThat(outcome.exposure().endOfInduction()).isNull();
        // No end of induction, so no held response at any week, although day 42 (6 <= 10) would be a response.
        InstrumentOutcome phq9 = phq9(outcome);
        assertThat(phq9.response().heldAtWeek()).isEmpty();
        assertThat(phq9.response().met()).isTrue();

        // At the threshold: a sixth session on day 27 (before day 28, the end of the window): completed, ends day 27.
        five.session("s5", Course.DAY_0.plus(Duration.ofDays(27)), Course.IV, 35.0, 0.5, "completed", null);
        PatientOutcome six = summarise(five);
        assertThat(six.exposure().inductionCompleted()).isTrue();
        assertThat(six.exposure().endOfInduction()).isEqualTo(Course.DAY_0.plus(Duration.ofDays(27)));
        // Week 4 after day 27 is day 55; the nearest score within 14 days is day 42 (13 days away): 6 <= 10, held.
        assertThat(phq9(six).response().heldAtWeek()).containsExactly(org.assertj.core.api.Assertions.entry(4, true));

        // Just over: the sixth session on day 28 at 09:00 is not before day 0 + 28 days: not completed.
        Course late = new Course("late");
        for (int n = 0; n < days.length; n++) {
            late.session("s" + n, Course.DAY_0.plus(Duration.ofDays(days[n])), Course.IV, 35.0, 0.5, "completed", null);
        }
        late.session("s5", Course.DAY_0.plus(Duration.ofDays(28)), Course.IV, 35.0, 0.5, "completed", null);
        assertThat(summarise(late).exposure().inductionCompleted()).isFalse();
        assertThat(summarise(late).exposure().endOfInduction()).isNull();
    }

    @Test
    void shouldFollowSuicidalIdeationFromBaselineToLatest() {
        Course course = Cases.responderRemittingAtSession4()
                .suicidalIdeation(-2, 2).suicidalIdeation(4, 1).suicidalIdeation(18, 0);
        PatientOutcome.SuicidalIdeation si = summarise(course).suicidalIdeation();
        // Item 9 = 2 at baseline (positive, >= 1), 0 at the latest screen: resolved; two positive screens (2 and 1).
        assertThat(si.baselinePositive()).isTrue();
        assertThat(si.latestPositive()).isFalse();
        assertThat(si.resolved()).isTrue();
        assertThat(si.positiveScreens()).isEqualTo(2);
    }

    @Test
    void shouldReportSafety() {
        Instant session1 = Course.DAY_0;
        Instant session2 = Course.DAY_0.plus(Duration.ofDays(3));
        Course course = Cases.responderRemittingAtSession4()
                .bloodPressure("s1", session1.minus(Duration.ofMinutes(10)), 130, 80)
                .bloodPressure("s1", session1.plus(Duration.ofMinutes(40)), 152, 92)
                .bloodPressure("s2", session2.minus(Duration.ofMinutes(10)), 125, 78)
                .bloodPressure("s2", session2.plus(Duration.ofMinutes(40)), 138, 85)
                .score(Course.CADSS, session1.plus(Duration.ofMinutes(45)), 18)
                .score(Course.CADSS, session2.plus(Duration.ofMinutes(45)), 25)
                .sedation(session1.plus(Duration.ofMinutes(20)), 4)
                .sedation(session2.plus(Duration.ofMinutes(20)), 3)
                .adverseEvent("s1", session1.plus(Duration.ofMinutes(30)), "http://ketafhir.org/fhir/CodeSystem/ketafhir|dissociation")
                .session("s7", Course.DAY_0.plus(Duration.ofDays(21)), Course.IV, 35.0, 0.5, "stopped", null);
        PatientOutcome.Safety safety = summarise(course).safety();
        // Rises: 152 - 130 = 22 and 138 - 125 = 13; peaks 152 / 92; CADSS 25; MOAA/S 3.
        assertThat(safety.peakSystolic()).isEqualTo(152.0);
        assertThat(safety.peakDiastolic()).isEqualTo(92.0);
        assertThat(safety.peakSystolicRise()).isEqualTo(22.0);
        assertThat(safety.peakDissociation()).isEqualTo(25);
        assertThat(safety.lowestSedation()).isEqualTo(3);
        assertThat(safety.adverseEvents()).isEqualTo(1);
        assertThat(safety.sessionsStoppedEarly()).isEqualTo(1);
        assertThat(safety.events()).extracting(PatientOutcome.SafetyEvent::kind).containsExactly("adverse-event", "stopped-early");
    }

    @Test
    void shouldCountReadingsWithoutPartOfByTheDosingRulesWindows() {
        // Session s1: 09:00-09:40 (Course sessions last 40 min). The dosing rules' default windows: pre-dose from
        // 60 min before the start (08:00) to the start; post-dose to the later of 09:00 + 60 min and 09:40 + 120 min = 11:40.
        Instant start = Course.DAY_0;
        Course course = Cases.responderRemittingAtSession4()
                .bloodPressureUnlinked(start.minus(Duration.ofMinutes(61)), 200, 120)  // 07:59, just before the window
                .bloodPressureUnlinked(start.minus(Duration.ofMinutes(60)), 128, 80)   // 08:00, at its start: pre-dose
                .bloodPressureUnlinked(start.plus(Duration.ofMinutes(40)), 150, 95)    // 09:40: post-dose
                .bloodPressureUnlinked(start.plus(Duration.ofMinutes(160)), 165, 100)  // 11:40, at its end: post-dose
                .bloodPressureUnlinked(start.plus(Duration.ofMinutes(161)), 210, 125); // 11:41, just after it
        PatientOutcome.Safety safety = summarise(course).safety();
        // Peaks over 128/80, 150/95 and 165/100: 165 / 100; rise 165 - 128 = 37. (With partOf only, there were none.)
        assertThat(safety.peakSystolic()).isEqualTo(165.0);
        assertThat(safety.peakDiastolic()).isEqualTo(100.0);
        assertThat(safety.peakSystolicRise()).isEqualTo(37.0);
    }

    @Test
    void shouldReadTheWindowsFromTheDosingSettings() {
        // A 30-minute pre-dose window and 30 minutes of observation: 08:30-09:00 before, to max(10:00, 10:10) = 10:10 after.
        OutcomeRules narrow = new OutcomeRules(14, 6, 28, List.of(4, 8, 12), 2, 14, List.of(3, 6, 12), 1, Course.CADSS,
                new ReadingWindows(30, 60, 30), List.of(4, 24), 2);
        Instant start = Course.DAY_0;
        Course course = Cases.responderRemittingAtSession4()
                .bloodPressureUnlinked(start.minus(Duration.ofMinutes(31)), 139, 85)   // 08:29: outside
                .bloodPressureUnlinked(start.minus(Duration.ofMinutes(30)), 130, 80)   // 08:30: pre-dose
                .bloodPressureUnlinked(start.plus(Duration.ofMinutes(70)), 150, 90)    // 10:10: post-dose, last minute
                .bloodPressureUnlinked(start.plus(Duration.ofMinutes(71)), 170, 99);   // 10:11: outside
        PatientOutcome.Safety safety = new PatientOutcomeProcessor(INSTRUMENTS, narrow)
                .summarise(course.patient(), course.facts(), null, null, null, Set.of()).safety();
        // Peak 150/90 (the 139 and 170 readings are outside); rise 150 - 130 = 20.
        assertThat(safety.peakSystolic()).isEqualTo(150.0);
        assertThat(safety.peakDiastolic()).isEqualTo(90.0);
        assertThat(safety.peakSystolicRise()).isEqualTo(20.0);
    }

    @Test
    void shouldSummariseOneCourseOfAPatientWithTwo() {
        Instant secondStart = Course.DAY_0.plus(Duration.ofDays(200));
        Course course = new Course("two-courses")
                .plan("first", Course.DAY_0, Course.DAY_0.plus(Duration.ofDays(120)))
                .plan("second", secondStart, null)
                .ivInduction("first")
                .session("t1", secondStart, Course.IM, 50.0, null, "completed", "second")
                .session("t2", secondStart.plus(Duration.ofDays(7)), Course.IM, 50.0, null, "completed", "second")
                .phq9(-1, 20).phq9(18, 8)
                .phq9(195, 16).phq9(207, 6)
                .psychotherapy(202, "second");
        PatientOutcome second = processor.summarise("two-courses", course.facts(), "second", null, null, Set.of());
        // The second course starts on day 200: baseline = the day 195 score (16), latest day 207 (6): 10 points, 62.5 %.
        InstrumentOutcome phq9 = phq9(second);
        assertThat(phq9.baseline().value()).isEqualTo(16);
        assertThat(phq9.latest().value()).isEqualTo(6);
        assertThat(phq9.change().percent()).isEqualByComparingTo("62.5");
        assertThat(second.exposure().sessions()).hasSize(2);
        assertThat(second.exposure().cumulativeMg()).isEqualByComparingTo("100");
        assertThat(second.psychotherapySessions()).hasSize(1);
        assertThat(second.periodStart()).isEqualTo(secondStart);
    }

    @Test
    void shouldReportOnlyTheInstrumentsAskedFor() {
        Course course = Cases.responderRemittingAtSession4().score("http://loinc.org|70274-6", Course.scoreDay(-2), 12);
        assertThat(summarise(course).instruments()).extracting(i -> i.instrument().id()).containsExactlyInAnyOrder("phq-9", "gad-7");
        PatientOutcome onlyGad = processor.summarise(course.patient(), course.facts(), null, null, null, Set.of("http://loinc.org|70274-6"));
        assertThat(onlyGad.instruments()).extracting(i -> i.instrument().id()).containsExactly("gad-7");
    }

    @Test
    void shouldComputeResponseInExactArithmetic() {
        // Y-BOCS needs a 35 % fall: from 20, 7 points (35.0 %) is a response, 6 points (30 %) is not.
        OutcomeInstrument ybocs = INSTRUMENTS.byName("y-bocs").orElseThrow();
        assertThat(ybocs.thresholds().responseDecrease()).isEqualByComparingTo(new BigDecimal("0.35"));
        assertThat(InstrumentCourse.responds(20, 13, ybocs.thresholds())).isTrue();
        assertThat(InstrumentCourse.responds(20, 14, ybocs.thresholds())).isFalse();
    }
}
