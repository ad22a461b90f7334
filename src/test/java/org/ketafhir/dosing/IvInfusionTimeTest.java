package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.Rate;
import org.ketafhir.dosing.Finding.Severity;

/**
 * IV infusion time: at least 40 min (0.5 mg/kg over 40 min), from effectivePeriod or else from the rate. 40 mg for an
 * 80 kg patient (0.5 mg/kg) in every case. At, just under and just over each threshold, on the default settings.
 */
class IvInfusionTimeTest {

    @Test
    void shouldAcceptAnInfusionOfExactly40Minutes() {
        // START to START + 40 min
        assertThat(Case.iv("40").evaluate().findings()).isEmpty();
    }

    @Test
    void shouldWarnOnAnInfusionOf2Minutes() {
        // 0.5 mg/kg over 2 min: passes every dose rule, but 2 < 40 min; observation end moved to keep 60 min after it
        Case c = over(Duration.ofMinutes(2));

        Finding warning = only(c.evaluate(), "iv-infusion-short");
        assertThat(rules(c.evaluate())).containsExactly("iv-infusion-short");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("2 min (effectivePeriod)");
        assertThat(warning.threshold()).isEqualTo("at least 40 min");
    }

    @Test
    void shouldWarnOnAnInfusionOneSecondUnder40Minutes() {
        // 39 min 59 s = 39.98 min, shown as 40 min to one decimal but under 40; 40 min 1 s is over
        Case under = over(Duration.ofMinutes(40).minusSeconds(1));
        Case overIt = over(Duration.ofMinutes(40).plusSeconds(1));

        assertThat(only(under.evaluate(), "iv-infusion-short").measured()).isEqualTo("40 min (effectivePeriod)");
        assertThat(overIt.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldComputeTheTimeFromAMgPerKgPerHourRateWithoutAnEnd() {
        // 0.5 mg/kg at 0.75 mg/kg/h = 0.667 h = 40 min: at the minimum; at 0.8 mg/kg/h = 0.625 h = 37.5 min: under
        Case at = withoutEnd(new Rate(new BigDecimal("0.75"), "mg/kg/h"));
        Case fast = withoutEnd(new Rate(new BigDecimal("0.8"), "mg/kg/h"));

        assertThat(at.evaluate().findings()).isEmpty();
        assertThat(only(fast.evaluate(), "iv-infusion-short").measured()).isEqualTo("37.5 min (dose at 0.8 mg/kg/h)");
    }

    @Test
    void shouldComputeTheTimeFromAMgPerHourRate() {
        // 40 mg at 60 mg/h = 40 min: at the minimum; at 61 mg/h = 39.3 min: under; at 1 mg/min = 40 min
        assertThat(withoutEnd(new Rate(new BigDecimal("60"), "mg/h")).evaluate().findings()).isEmpty();
        assertThat(only(withoutEnd(new Rate(new BigDecimal("61"), "mg/h")).evaluate(), "iv-infusion-short").measured())
                .isEqualTo("39.3 min (dose at 61 mg/h)");
        assertThat(withoutEnd(new Rate(new BigDecimal("1"), "mg/min")).evaluate().findings()).isEmpty();
    }

    @Test
    void shouldNotGuessATimeFromAMillilitrePerHourRate() {
        // mL/h with a dose in mg and no concentration: no time can be computed, nothing is checked
        assertThat(withoutEnd(new Rate(new BigDecimal("500"), "mL/h")).evaluate().findings()).isEmpty();
    }

    @Test
    void shouldPreferTheRecordedPeriodOverTheRate() {
        // a 40-min period with a rate that would mean 20 min (120 mg/h): the period is what happened
        Case c = Case.iv("40");
        c.rate = new Rate(new BigDecimal("120"), "mg/h");

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldRefuseAShortInfusionAsAnOverridableErrorWhenConfigured() {
        DosingProperties.Iv iv = new DosingProperties.Iv(new BigDecimal("0.75"), new BigDecimal("1.0"), 60, 40,
                Severity.ERROR);
        DosingProperties strict = new DosingProperties(true, 30, iv, DosingCase.DEFAULTS.esketamine(),
                DosingCase.DEFAULTS.bloodPressure(), Map.of(), "UTC", DosingCase.DEFAULTS.readings(), DosingCase.DEFAULTS.im(),
                DosingCase.DEFAULTS.oral());
        Case c = over(Duration.ofMinutes(2));
        Case overridden = over(Duration.ofMinutes(2));
        overridden.overridden = true;

        assertThat(new DosingRules(strict).evaluate(c.facts()).errors()).extracting(Finding::rule)
                .containsExactly("iv-infusion-short");
        assertThat(new DosingRules(strict).evaluate(overridden.facts()).errors()).isEmpty();
    }

    private static Case over(Duration infusion) {
        Case c = Case.iv("40");
        c.doseEnd = START.plus(infusion);
        c.observationEnd = c.doseEnd.plus(Duration.ofMinutes(60));
        return c;
    }

    private static Case withoutEnd(Rate rate) {
        Case c = Case.iv("40");
        c.doseEnd = START;
        c.observationEnd = START.plus(Duration.ofMinutes(100));
        c.rate = rate;
        return c;
    }
}
