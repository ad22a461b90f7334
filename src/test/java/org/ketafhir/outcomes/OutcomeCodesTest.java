package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ketafhir.ig.GuidePackage;

class OutcomeCodesTest {

    private final OutcomeCodes codes = OutcomeCodes.fromGuide(GuidePackage.builtIn(), "http://loinc.org|44260-8");

    /** The cohort page's "by condition" rows show these names; a code without one showed as system|code. */
    @Test
    void everyConditionInScopeShouldHaveADisplayInTheGuide() {
        assertThat(codes.conditions()).isNotEmpty().allSatisfy(token ->
                assertThat(codes.describe(token)).as(token).isNotEqualTo(token).isNotBlank());
        assertThat(codes.describe("http://snomed.info/sct|191627008"))
                .isEqualTo("Bipolar affective disorder, current episode depression");
    }
}
