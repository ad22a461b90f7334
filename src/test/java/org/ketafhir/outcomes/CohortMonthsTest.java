package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Measure;
import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class CohortMonthsTest {

    private static final String GROUPS = "http://ketafhir.org/fhir/CodeSystem/ketafhir-outcome-group";

    @Test
    void shouldBeTheMonthsTheGuidesCohortMeasureNamesAGroupFor() {
        // Measure-outcome-summary-cohort.json: response-3-months, -6-months, -12-months (and their remission twins)
        assertThat(CohortMonths.fromGuide(GuidePackage.builtIn())).containsExactly(3, 6, 12);
    }

    @Test
    void shouldReadEachMonthOnceInOrderAndRefuseAMeasureWithoutMonthlyGroups() {
        Measure measure = new Measure().setUrl("http://example.org/Measure/m");
        for (String code : new String[] {"response-9-months", "remission-9-months", "response-latest",
                "response-2-months", "response-9-months"}) {
            measure.addGroup().setCode(new CodeableConcept(new Coding(GROUPS, code, null)));
        }
        assertThat(CohortMonths.of(measure)).containsExactly(2, 9);

        Measure none = new Measure().setUrl("http://example.org/Measure/none");
        none.addGroup().setCode(new CodeableConcept(new Coding(GROUPS, "response-latest", null)));
        assertThatThrownBy(() -> CohortMonths.of(none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("response-<n>-months");
    }
}
