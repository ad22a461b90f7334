package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.Weight;
import org.ketafhir.dosing.Finding.Severity;

/** IV ketamine: mg/kg, the warning above 0.75 mg/kg and the ceiling at 1.0 mg/kg. At, just under and just over each threshold, on the default settings. */
class IvDoseRuleTest {

    @Test
    void shouldComputeMgPerKgFromTheDoseAndTheWeight() {
        // 40 mg / 80 kg = 0.5 mg/kg
        DosingRules.Evaluation evaluation = Case.iv("40").evaluate();

        assertThat(evaluation.mgPerKg()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(evaluation.weightUsed()).map(Weight::reference).hasValue("Observation/w");
        assertThat(evaluation.findings()).isEmpty();
    }

    @Test
    void shouldNotWarnAtExactly075MgPerKg() {
        // 60 mg / 80 kg = 0.75 mg/kg: the warning is for doses above 0.75
        assertThat(Case.iv("60").evaluate().findings()).isEmpty();
    }

    @Test
    void shouldWarnJustAbove075MgPerKg() {
        // 61 mg / 80 kg = 0.7625 mg/kg > 0.75
        DosingRules.Evaluation evaluation = Case.iv("61").evaluate();

        Finding warning = only(evaluation, "iv-dose-high");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("0.763 mg/kg");
        assertThat(warning.threshold()).isEqualTo("above 0.75 mg/kg");
        assertThat(evaluation.errors()).isEmpty();
    }

    @Test
    void shouldOnlyWarnJustUnder1MgPerKg() {
        // 79 mg / 80 kg = 0.9875 mg/kg: above 0.75, under 1.0
        assertThat(rules(Case.iv("79").evaluate())).containsExactly("iv-dose-high");
    }

    @Test
    void shouldRefuseAtExactly1MgPerKg() {
        // 80 mg / 80 kg = 1.0 mg/kg, the error is "at or above 1.0"
        DosingRules.Evaluation evaluation = Case.iv("80").evaluate();

        Finding error = only(evaluation, "iv-dose-ceiling");
        assertThat(error.severity()).isEqualTo(Severity.ERROR);
        assertThat(error.measured()).isEqualTo("1 mg/kg");
        assertThat(error.threshold()).isEqualTo("at or above 1 mg/kg");
        assertThat(error.overridable()).isTrue();
        assertThat(rules(evaluation)).containsExactly("iv-dose-ceiling");
    }

    @Test
    void shouldRefuseJustAbove1MgPerKg() {
        // 81 mg / 80 kg = 1.0125 mg/kg
        assertThat(only(Case.iv("81").evaluate(), "iv-dose-ceiling").measured()).isEqualTo("1.013 mg/kg");
    }

    @Test
    void shouldLetAnOverriddenCeilingThroughAsAWarning() {
        Case c = Case.iv("80");
        c.overridden = true;

        DosingRules.Evaluation evaluation = c.evaluate();

        assertThat(evaluation.errors()).isEmpty();
        Finding overridden = only(evaluation, "iv-dose-ceiling");
        assertThat(overridden.severity()).isEqualTo(Severity.WARNING);
        assertThat(overridden.overridden()).isTrue();
    }

    @Test
    void shouldNotApplyTheIvCeilingToOtherRoutes() {
        // 80 mg / 80 kg = 1.0 mg/kg intramuscular: no IV rule, mg/kg still stored; 1.0 is not above the IM
        // warning level of 1.0 mg/kg (RouteDoseRuleTest)
        Case c = Case.iv("80");
        c.route = DosingFacts.Route.INTRAMUSCULAR;

        DosingRules.Evaluation evaluation = c.evaluate();

        assertThat(evaluation.findings()).isEmpty();
        assertThat(evaluation.mgPerKg()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1"));
    }
}
