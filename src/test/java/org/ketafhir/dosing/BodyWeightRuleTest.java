package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.START;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.Weight;
import org.ketafhir.dosing.Finding.Severity;

/** Which body weight counts for mg/kg. At, just under and just over each threshold, on the default settings. */
class BodyWeightRuleTest {

    @Test
    void shouldRefuseAnIvSessionWithoutAnyWeightAndNotLetAnOverrideThrough() {
        Case c = Case.iv("40");
        c.weight = null;
        c.overridden = true;

        DosingRules.Evaluation evaluation = c.evaluate();

        Finding missing = only(evaluation, "weight-missing");
        assertThat(missing.severity()).isEqualTo(Severity.ERROR);
        assertThat(missing.message()).contains("body weight").contains("29463-7");
        assertThat(missing.threshold()).contains("30 days");
        assertThat(evaluation.mgPerKg()).isEmpty();
    }

    @Test
    void shouldUseAWeightRecordedExactly30DaysBeforeTheStart() {
        Case c = Case.iv("40");
        c.weight = new Weight(new BigDecimal("80"), START.minus(Duration.ofDays(30)), "Observation/w");

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldRefuseAWeightOneMinuteOlderThan30DaysUnlessOverridden() {
        Case c = Case.iv("40");
        c.weight = new Weight(new BigDecimal("80"), START.minus(Duration.ofDays(30)).minusSeconds(60), "Observation/w");

        Finding outdated = only(c.evaluate(), "weight-outdated");
        assertThat(outdated.severity()).isEqualTo(Severity.ERROR);
        assertThat(outdated.measured()).contains("80 kg").contains("30 days");

        c.overridden = true;
        DosingRules.Evaluation overridden = c.evaluate();
        assertThat(overridden.errors()).isEmpty();
        // the confirmed weight is still used: 40 mg / 80 kg = 0.5 mg/kg
        assertThat(overridden.mgPerKg()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
    }

    @Test
    void shouldIgnoreAWeightRecordedAfterTheStart() {
        Case c = Case.iv("40");
        c.weight = new Weight(new BigDecimal("80"), START.plusSeconds(60), "Observation/w");

        assertThat(rules(c.evaluate())).containsExactly("weight-missing");
    }

    @Test
    void shouldNotNeedAWeightForEsketamine() {
        DosingRules.Evaluation evaluation = Case.esketamine(56).evaluate();

        assertThat(evaluation.findings()).isEmpty();
        assertThat(evaluation.mgPerKg()).isEmpty();
    }
}
