package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.Reading;
import org.ketafhir.dosing.DosingFacts.Vital;
import org.ketafhir.dosing.Finding.Severity;

/**
 * Values of the readings taken during a session: SpO2 below 93 %, respiratory rate below 10 /min, MOAA/S at or below
 * 2 are warnings (respiratory depression and sedation are REMS risks). At, just under and just over each threshold,
 * on the default settings.
 */
class ReadingsRulesTest {

    @Test
    void shouldWarnOnAnSpo2Of92PercentButNotOn93() {
        // 93 % is not below 93; 92.9 % is
        Case at = Case.esketamine(56);
        at.readings.add(reading(Vital.SPO2, "93", 40));
        Case under = Case.esketamine(56);
        under.readings.add(reading(Vital.SPO2, "92.9", 40));

        assertThat(at.evaluate().findings()).isEmpty();
        Finding warning = only(under.evaluate(), "spo2-low");
        assertThat(rules(under.evaluate())).containsExactly("spo2-low");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("92.9 % at 40 min after the start");
        assertThat(warning.threshold()).isEqualTo("below 93 %");
    }

    @Test
    void shouldReportTheLowestSpo2OfTheSession() {
        // 97 % at +10, 90 % at +25, 95 % at +60: the lowest is 90 %
        Case c = Case.esketamine(56);
        c.readings.add(reading(Vital.SPO2, "97", 10));
        c.readings.add(reading(Vital.SPO2, "90", 25));
        c.readings.add(reading(Vital.SPO2, "95", 60));

        assertThat(only(c.evaluate(), "spo2-low").measured()).isEqualTo("90 % at 25 min after the start");
    }

    @Test
    void shouldCheckAnIvSessionAndOnlyReadingsFromTheStartToTheEndOfObservation() {
        // IV: start to +100 min (observation end). 85 % one minute before the start and one minute after the end do
        // not count; at +100 min it does
        Case outside = Case.iv("40");
        outside.readings.add(reading(Vital.SPO2, "85", -1));
        outside.readings.add(reading(Vital.SPO2, "85", 101));
        Case atEnd = Case.iv("40");
        atEnd.readings.add(reading(Vital.SPO2, "85", 100));

        assertThat(outside.evaluate().findings()).isEmpty();
        assertThat(rules(atEnd.evaluate())).containsExactly("spo2-low");
    }

    @Test
    void shouldWarnOnARespiratoryRateOf9ButNotOn10() {
        // 10 /min is not below 10; 9 /min is
        Case at = Case.iv("40");
        at.readings.add(reading(Vital.RESPIRATORY_RATE, "10", 20));
        Case under = Case.iv("40");
        under.readings.add(reading(Vital.RESPIRATORY_RATE, "9", 20));

        assertThat(at.evaluate().findings()).isEmpty();
        Finding warning = only(under.evaluate(), "respiratory-rate-low");
        assertThat(warning.measured()).isEqualTo("9 /min at 20 min after the start");
        assertThat(warning.threshold()).isEqualTo("below 10 /min");
    }

    @Test
    void shouldWarnOnAMoaasOf2ButNotOn3() {
        // MOAA/S 2 is at the limit (at or below 2); 3 is above; 1 is under
        Case over = Case.esketamine(56);
        over.readings.add(reading(Vital.SEDATION_MOAAS, "3", 30));
        Case at = Case.esketamine(56);
        at.readings.add(reading(Vital.SEDATION_MOAAS, "2", 30));
        Case under = Case.esketamine(56);
        under.readings.add(reading(Vital.SEDATION_MOAAS, "1", 30));

        assertThat(over.evaluate().findings()).isEmpty();
        Finding warning = only(at.evaluate(), "sedation-deep");
        assertThat(warning.measured()).isEqualTo("MOAA/S 2 at 30 min after the start");
        assertThat(warning.threshold()).isEqualTo("MOAA/S at or below 2");
        assertThat(rules(under.evaluate())).containsExactly("sedation-deep");
    }

    private static Reading reading(Vital vital, String value, int minutesFromStart) {
        return new Reading(vital, new BigDecimal(value), START.plus(Duration.ofMinutes(minutesFromStart)));
    }
}
