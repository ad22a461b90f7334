package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.DEFAULTS;
import static org.ketafhir.dosing.DosingCase.bp;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.BloodPressure;
import org.ketafhir.dosing.Finding.Severity;

/** Pre-dose blood pressure (window, 140/90 warning, 180/110 pause) and the esketamine post-dose reading. At, just under and just over each threshold, on the default settings. */
class BloodPressureRulesTest {

    @Test
    void shouldCountAReadingExactly60MinutesBeforeTheStartButNotAt61() {
        Case at60 = Case.iv("40");
        at60.bloodPressures = List.of(bp(120, 80, -60));
        Case at61 = Case.iv("40");
        at61.bloodPressures = List.of(bp(120, 80, -61));

        assertThat(at60.evaluate().findings()).isEmpty();
        Finding missing = only(at61.evaluate(), "bp-pre-missing");
        assertThat(missing.severity()).isEqualTo(Severity.ERROR);
        assertThat(missing.threshold()).isEqualTo("a reading at most 60 min before the session start");
    }

    @Test
    void shouldNotCountAReadingAfterTheStartAsPreDose() {
        Case c = Case.iv("40");
        c.bloodPressures = List.of(bp(120, 80, 1));

        assertThat(rules(c.evaluate())).containsExactly("bp-pre-missing");
    }

    @Test
    void shouldWarnAbove140Over90Only() {
        Case at = Case.iv("40");
        at.bloodPressures = List.of(bp(140, 90, -10));
        Case systolic = Case.iv("40");
        systolic.bloodPressures = List.of(bp(141, 90, -10));
        Case diastolic = Case.iv("40");
        diastolic.bloodPressures = List.of(bp(140, 91, -10));

        assertThat(at.evaluate().findings()).isEmpty();
        Finding warning = only(systolic.evaluate(), "bp-pre-elevated");
        assertThat(warning.measured()).isEqualTo("141/90 mmHg");
        assertThat(warning.threshold()).isEqualTo("above 140/90 mmHg");
        assertThat(rules(diastolic.evaluate())).containsExactly("bp-pre-elevated");
    }

    @Test
    void shouldAskEveryRouteForABloodPressureUnlessConfiguredOtherwise() {
        // 40 mg intramuscular without any reading: bp-pre-missing by default (all-routes: true); with
        // all-routes: false only IV ketamine and esketamine are asked
        Case c = Case.iv("40");
        c.route = DosingFacts.Route.INTRAMUSCULAR;
        c.bloodPressures = List.of();
        DosingProperties ivAndEsketamineOnly = new DosingProperties(true, 30, DEFAULTS.iv(), DEFAULTS.esketamine(),
                new DosingProperties.BloodPressure(60, 140, 90, 180, 110, 30, 60, false), Map.of(), "UTC",
                DEFAULTS.readings(), DEFAULTS.im(), DEFAULTS.oral());

        assertThat(rules(c.evaluate())).containsExactly("bp-pre-missing");
        assertThat(new DosingRules(ivAndEsketamineOnly).evaluate(c.facts()).findings()).isEmpty();
    }

    @Test
    void shouldUseTheLatestPreDoseReading() {
        // 150/95 at -50 min, re-measured 130/80 at -10 min: the later one counts
        Case c = Case.iv("40");
        c.bloodPressures = List.of(bp(150, 95, -50), bp(130, 80, -10));

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldPauseAt180Over110UnlessOverridden() {
        Case under = Case.iv("40");
        under.bloodPressures = List.of(bp(179, 109, -10));
        Case systolic = Case.iv("40");
        systolic.bloodPressures = List.of(bp(180, 100, -10));
        Case diastolic = Case.iv("40");
        diastolic.bloodPressures = List.of(bp(150, 110, -10));

        assertThat(rules(under.evaluate())).containsExactly("bp-pre-elevated");
        Finding pause = only(systolic.evaluate(), "bp-pre-pause");
        assertThat(pause.severity()).isEqualTo(Severity.ERROR);
        assertThat(pause.threshold()).isEqualTo("at or above 180/110 mmHg");
        assertThat(rules(diastolic.evaluate())).containsExactly("bp-pre-pause");

        systolic.overridden = true;
        assertThat(systolic.evaluate().errors()).isEmpty();
    }

    @Test
    void shouldCountAnEsketaminePostDoseReadingFrom30To60MinutesAfterTheStart() {
        for (int minute : new int[] {30, 60}) {
            Case c = Case.esketamine(56);
            c.bloodPressures = List.of(bp(120, 80, -10), bp(130, 85, minute));
            assertThat(c.evaluate().findings()).as("reading at +%d min", minute).isEmpty();
        }
        for (int minute : new int[] {29, 61}) {
            Case c = Case.esketamine(56);
            c.bloodPressures = List.of(bp(120, 80, -10), bp(130, 85, minute));
            assertThat(rules(c.evaluate())).as("reading at +%d min", minute).containsExactly("bp-post-missing");
        }
    }

    @Test
    void shouldWarnOnAnElevatedPostDoseReading() {
        Case c = Case.esketamine(56);
        c.bloodPressures = List.of(bp(120, 80, -10), bp(141, 85, 40));

        assertThat(only(c.evaluate(), "bp-post-elevated").measured()).isEqualTo("141/85 mmHg");
    }

    @Test
    void shouldNotAskForPostDoseReadingsBeforeTheSessionIsCompleted() {
        Case c = Case.esketamine(56);
        c.completed = false;
        c.observationEnd = null;
        c.bloodPressures = List.of(bp(120, 80, -10));
        c.spo2 = List.of();

        assertThat(c.evaluate().findings()).isEmpty();
    }
}
