package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketafhir.dosing.DosingCase.only;
import static org.ketafhir.dosing.DosingCase.rules;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingCase.Case;
import org.ketafhir.dosing.DosingFacts.Route;
import org.ketafhir.dosing.Finding.Severity;

/**
 * Intramuscular (warning above 1.0 mg/kg, error at or above 2.0) and oral / sublingual ketamine (warning above 3.0,
 * error at or above 7.0), for an 80 kg patient. At, just under and just over each threshold, on the default settings.
 */
class RouteDoseRuleTest {

    @Test
    void shouldWarnOnAnImDoseAbove1MgPerKg() {
        // 80 mg / 80 kg = 1.0 mg/kg (at the warning level, not above); 81 mg / 80 kg = 1.0125 mg/kg (above)
        assertThat(im("80").evaluate().findings()).isEmpty();
        Finding warning = only(im("81").evaluate(), "im-dose-high");
        assertThat(warning.severity()).isEqualTo(Severity.WARNING);
        assertThat(warning.measured()).isEqualTo("1.013 mg/kg intramuscular");
        assertThat(warning.threshold()).isEqualTo("above 1 mg/kg");
    }

    @Test
    void shouldRefuseAnImDoseAt2MgPerKgUnlessOverridden() {
        // 159 mg / 80 kg = 1.9875 mg/kg (under the ceiling: a warning); 160 mg / 80 kg = 2.0 mg/kg (at it: refused)
        assertThat(rules(im("159").evaluate())).containsExactly("im-dose-high");
        Finding error = only(im("160").evaluate(), "im-dose-ceiling");
        assertThat(error.severity()).isEqualTo(Severity.ERROR);
        assertThat(error.overridable()).isTrue();
        assertThat(error.measured()).isEqualTo("2 mg/kg intramuscular");
        assertThat(error.threshold()).isEqualTo("at or above 2 mg/kg");
        Case overridden = im("160");
        overridden.overridden = true;
        assertThat(overridden.evaluate().errors()).isEmpty();
    }

    @Test
    void shouldWarnOnAnOralDoseAbove3MgPerKg() {
        // 240 mg / 80 kg = 3.0 mg/kg (not above); 241 mg / 80 kg = 3.0125 mg/kg (above)
        assertThat(by(Route.ORAL, "240").evaluate().findings()).isEmpty();
        assertThat(only(by(Route.ORAL, "241").evaluate(), "oral-dose-high").measured()).isEqualTo("3.013 mg/kg oral");
    }

    @Test
    void shouldRefuseASublingualDoseAt7MgPerKg() {
        // 559 mg / 80 kg = 6.9875 mg/kg (a warning); 560 mg / 80 kg = 7.0 mg/kg (at the ceiling)
        assertThat(rules(by(Route.SUBLINGUAL, "559").evaluate())).containsExactly("oral-dose-high");
        Finding error = only(by(Route.SUBLINGUAL, "560").evaluate(), "oral-dose-ceiling");
        assertThat(error.measured()).isEqualTo("7 mg/kg sublingual");
        assertThat(error.threshold()).isEqualTo("at or above 7 mg/kg");
    }

    @Test
    void shouldNotCheckMgPerKgWithoutABodyWeight() {
        // 300 mg oral, a usual fixed dose, and no weight on file: no mg/kg, no dose rule, no weight rule
        Case c = by(Route.ORAL, "300");
        c.weight = null;

        assertThat(c.evaluate().findings()).isEmpty();
    }

    @Test
    void shouldAskAnOralSessionForAPreDoseBloodPressure() {
        // every route by default: 240 mg oral (3.0 mg/kg, no dose finding) with no reading
        Case c = by(Route.ORAL, "240");
        c.bloodPressures.clear();

        assertThat(rules(c.evaluate())).containsExactly("bp-pre-missing");
    }

    private static Case im(String mg) {
        return by(Route.INTRAMUSCULAR, mg);
    }

    private static Case by(Route route, String mg) {
        Case c = Case.iv(mg);
        c.route = route;
        return c;
    }
}
