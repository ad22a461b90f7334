package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;

/** Esketamine: whole 28 mg devices, at most 84 mg, the first dose, two sessions a week in weeks 1-4. At, just under and just over each threshold, on the default settings. */
class EsketamineRulesTest {

    @Test
    void shouldAccept56MgAsTheFirstDoseUnder65() {
        assertThat(Case.esketamine(56).evaluate().findings()).isEmpty();
    }

    @Test
    void shouldRefuse84MgAsTheFirstDoseWithoutAcuteSuicidalIdeation() {
        // US label, treatment-resistant depression: the first dose is 56 mg
        Finding error = only(Case.esketamine(84).evaluate(), "esketamine-first-dose");

        assertThat(error.measured()).isEqualTo("84 mg as the first dose");
        assertThat(error.threshold()).isEqualTo("56 mg");
        assertThat(error.overridable()).isTrue();
    }

    @Test
    void shouldAccept84MgAsTheFirstDoseWithAcuteSuicidalIdeation() {
        // US label, MDD with acute suicidal ideation or behaviour: 84 mg twice weekly from the first dose; 56 mg (a
        // reduction the label allows) still passes; 28 mg does not
        Case c84 = Case.esketamine(84);
        c84.acuteSuicidalIdeation = true;
        Case c56 = Case.esketamine(56);
        c56.acuteSuicidalIdeation = true;
        Case c28 = Case.esketamine(28);
        c28.acuteSuicidalIdeation = true;

        assertThat(c84.evaluate().findings()).isEmpty();
        assertThat(c56.evaluate().findings()).isEmpty();
        assertThat(only(c28.evaluate(), "esketamine-first-dose").threshold())
                .isEqualTo("56 mg or 84 mg with acute suicidal ideation recorded");
    }

    @Test
    void shouldLetAnOverriddenFirstDoseThroughAsAWarning() {
        // 84 mg first dose for treatment-resistant depression with an override reason: stored, flagged as overridden
        Case c = Case.esketamine(84);
        c.overridden = true;

        DosingRules.Evaluation evaluation = c.evaluate();

        assertThat(evaluation.errors()).isEmpty();
        assertThat(only(evaluation, "esketamine-first-dose").overridden()).isTrue();
    }

    @Test
    void shouldNotApplyAnAgeRuleByDefault() {
        // US label: no first-dose change with age; 56 mg at 64, 65 and 66 passes, 28 mg at 65 is refused
        for (int age : new int[] {64, 65, 66}) {
            Case c = Case.esketamine(56);
            c.age = age;
            assertThat(c.evaluate().findings()).as("56 mg at %d", age).isEmpty();
        }
        Case c28 = Case.esketamine(28);
        c28.age = 65;
        assertThat(only(c28.evaluate(), "esketamine-first-dose").threshold()).isEqualTo("56 mg");
    }

    /** EU SmPC practice: 28 mg first dose from age 65 (older-adult-rule on). */
    private static final DosingProperties EU_OLDER_ADULTS = new DosingProperties(true, 30,
            DosingCase.DEFAULTS.iv(), new DosingProperties.Esketamine(28, 84, 56, 28, 65, 4, 2, 120, true, 84, 24, 8, 1, 56),
            DosingCase.DEFAULTS.bloodPressure(), java.util.Map.of(), "UTC", DosingCase.DEFAULTS.readings(),
            DosingCase.DEFAULTS.im(), DosingCase.DEFAULTS.oral());

    @Test
    void shouldExpect28MgAsTheFirstDoseFrom65WithTheOlderAdultRule() {
        Case at64 = Case.esketamine(28);
        at64.age = 64;
        Case at65 = Case.esketamine(28);
        at65.age = 65;
        Case at65With56 = Case.esketamine(56);
        at65With56.age = 65;

        assertThat(rules(at64.evaluate(EU_OLDER_ADULTS))).containsExactly("esketamine-first-dose");
        assertThat(at65.evaluate(EU_OLDER_ADULTS).findings()).isEmpty();
        assertThat(only(at65With56.evaluate(EU_OLDER_ADULTS), "esketamine-first-dose").threshold())
                .isEqualTo("28 mg at age 65 (65 or over)");
    }

    @Test
    void shouldAcceptEitherFirstDoseWhenTheAgeIsUnknownWithTheOlderAdultRule() {
        Case c28 = Case.esketamine(28);
        c28.age = null;
        Case c84 = Case.esketamine(84);
        c84.age = null;

        assertThat(c28.evaluate(EU_OLDER_ADULTS).findings()).isEmpty();
        assertThat(rules(c84.evaluate(EU_OLDER_ADULTS))).containsExactly("esketamine-first-dose");
        assertThat(only(c84.evaluate(EU_OLDER_ADULTS), "esketamine-first-dose").threshold())
                .isEqualTo("56 mg or 28 mg age unknown (no or partial birth date)");
    }

    @Test
    void shouldRefuseADoseThatIsNotWholeDevices() {
        // 70 mg = 2.5 devices of 28 mg; 56 mg = 2 and 84 mg = 3 devices are fine
        Case c = Case.esketamine(70);
        c.otherEsketamineStarts(START.minus(Duration.ofDays(3)));

        Finding error = only(c.evaluate(), "esketamine-dose-whole-devices");
        assertThat(error.measured()).isEqualTo("70 mg");
        assertThat(error.threshold()).isEqualTo("a multiple of 28 mg");
        assertThat(rules(c.evaluate())).containsExactly("esketamine-dose-whole-devices");
    }

    @Test
    void shouldAccept84MgButRefuse112MgAfterTheFirstDose() {
        // 84 = 3 x 28 (at the maximum); 112 = 4 x 28, a whole number of devices but above 84
        Case at = Case.esketamine(84);
        at.otherEsketamineStarts(START.minus(Duration.ofDays(3)));
        Case over = Case.esketamine(112);
        over.otherEsketamineStarts(START.minus(Duration.ofDays(3)));

        assertThat(at.evaluate().findings()).isEmpty();
        Finding error = only(over.evaluate(), "esketamine-dose-max");
        assertThat(rules(over.evaluate())).containsExactly("esketamine-dose-max");
        assertThat(error.measured()).isEqualTo("112 mg");
        assertThat(error.threshold()).isEqualTo("at most 84 mg");
    }

    @Test
    void shouldRefuse85MgAsBothAboveTheMaximumAndNotWholeDevices() {
        // 85 mg: 1 mg over 84 mg, and 85 / 28 = 3.04 devices
        Case c = Case.esketamine(85);
        c.otherEsketamineStarts(START.minus(Duration.ofDays(3)));

        assertThat(rules(c.evaluate())).containsExactly("esketamine-dose-whole-devices", "esketamine-dose-max");
    }

    @Test
    void shouldAcceptTwoSessionsInAnInductionWeekAndRefuseAThird() {
        // course starts at day 0; this session at day 6 23:59 is in course week 1 with day 0 and day 3
        Case third = Case.esketamine(56);
        Instant courseStart = START.minus(Duration.ofDays(7)).plusSeconds(60);
        third.otherEsketamineStarts(courseStart, courseStart.plus(Duration.ofDays(3)));
        Case second = Case.esketamine(56);
        second.otherEsketamineStarts(courseStart);

        Finding error = only(third.evaluate(), "esketamine-induction-frequency");
        assertThat(error.measured()).isEqualTo("3 sessions in course week 1");
        assertThat(error.threshold()).isEqualTo("at most 2 sessions a week in weeks 1-4");
        assertThat(error.overridable()).isTrue();
        assertThat(second.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldStartANewCourseWeekAtExactlySevenDays() {
        // day 0 and day 3 in week 1; this session at day 7 opens week 2
        Case c = Case.esketamine(56);
        Instant courseStart = START.minus(Duration.ofDays(7));
        c.otherEsketamineStarts(courseStart, courseStart.plus(Duration.ofDays(3)));

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldCheckTheFourthWeekButNotTheFifth() {
        // week 4 covers days 21-27, week 5 days 28-34
        Case week4 = Case.esketamine(56);
        Instant course4 = START.minus(Duration.ofDays(27));
        week4.otherEsketamineStarts(course4, course4.plus(Duration.ofDays(21)), course4.plus(Duration.ofDays(23)));
        Case week5 = Case.esketamine(56);
        Instant course5 = START.minus(Duration.ofDays(32));
        week5.otherEsketamineStarts(course5, course5.plus(Duration.ofDays(28)), course5.plus(Duration.ofDays(30)));

        assertThat(only(week4.evaluate(), "esketamine-induction-frequency").measured())
                .isEqualTo("3 sessions in course week 4");
        // week 5 is no longer an induction week, but the label doses weekly in weeks 5-8: 3 sessions there are a
        // warning of the continuation rule (EsketamineScheduleTest), not the induction error
        assertThat(rules(week5.evaluate())).containsExactly("esketamine-continuation-frequency");
    }
}
