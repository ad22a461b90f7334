package org.ketafhir.dosing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ketafhir.dosing.DosingFacts.Vital;
import org.ketafhir.ig.GuidePackage;


/** The reading codes come from the guide: SpO2 is pulse oximetry 59408-5 or arterial 2708-6 (ketafhir-oxygen-saturation). */
class ReadingCodesTest {

    @Test
    void shouldReadBothSpo2CodesFromTheGuide() {
        ReadingCodes codes = ReadingCodes.fromGuide(GuidePackage.builtIn());

        assertThat(codes.of(Vital.SPO2)).containsExactlyInAnyOrder("http://loinc.org|59408-5", "http://loinc.org|2708-6");
        assertThat(codes.of(Vital.RESPIRATORY_RATE)).containsExactly("http://loinc.org|9279-1");
        assertThat(codes.of(Vital.SEDATION_MOAAS)).containsExactly("http://ketafhir.org/fhir/CodeSystem/ketafhir|moaas");
    }
}
