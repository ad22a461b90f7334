package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.Finding.Severity;

/** Esketamine SpO2 and the observation time before discharge. At, just under and just over each threshold, on the default settings. */
class Spo2AndObservationRulesTest {

    @Test
    void shouldCountAnSpo2ReadingFromTheStartButNotOneMinuteBefore() {
        Case atStart = Case.esketamine(56);
        atStart.spo2 = List.of(START);
        Case before = Case.esketamine(56);
        before.spo2 = List.of(START.minusSeconds(60));

        assertThat(atStart.evaluate().findings()).isEmpty();
        assertThat(rules(before.evaluate())).containsExactly("spo2-missing");
    }

    @Test
    void shouldNotCountAnSpo2ReadingAfterDischarge() {
        // observation ends at +130 min
        Case at = Case.esketamine(56);
        at.spo2 = List.of(START.plus(Duration.ofMinutes(130)));
        Case after = Case.esketamine(56);
        after.spo2 = List.of(START.plus(Duration.ofMinutes(131)));

        assertThat(at.evaluate().findings()).isEmpty();
        assertThat(rules(after.evaluate())).containsExactly("spo2-missing");
    }

    @Test
    void shouldWarnWhenEsketamineObservationIsShorterThan120Minutes() {
        // dosing ends at +6 min; discharge at +126 min = 120 min after dosing, at +125 min = 119 min
        Case at = Case.esketamine(56);
        at.observationEnd = START.plus(Duration.ofMinutes(126));
        Case under = Case.esketamine(56);
        under.observationEnd = START.plus(Duration.ofMinutes(125));

        assertThat(at.evaluate().findings()).isEmpty();
        Finding warning = only(under.evaluate(), "observation-time-short");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("119 min after dosing");
        assertThat(warning.threshold()).isEqualTo("at least 120 min");
    }

    @Test
    void shouldWarnWhenIvObservationIsShorterThan60Minutes() {
        // infusion ends at +40 min; discharge at +100 min = 60 min, at +99 min = 59 min
        Case at = Case.iv("40");
        Case under = Case.iv("40");
        under.observationEnd = START.plus(Duration.ofMinutes(99));

        assertThat(at.evaluate().findings()).isEmpty();
        assertThat(only(under.evaluate(), "observation-time-short").measured()).isEqualTo("59 min after dosing");
    }

    @Test
    void shouldWarnWhenACompletedEsketamineSessionHasNoObservationEnd() {
        Case c = Case.esketamine(56);
        c.observationEnd = null;

        assertThat(rules(c.evaluate())).containsExactly("observation-end-missing");
    }
}
