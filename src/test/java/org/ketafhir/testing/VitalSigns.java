package org.ketafhir.testing;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/** Vital-sign Observations for the end-to-end tests that record sessions (dosing rules, report pages). */
public final class VitalSigns {

    private VitalSigns() {}

    /** A final vital-signs Observation of the LOINC code, for the patient (a reference such as Patient/1), at a time. */
    public static Observation vital(String patient, String loinc, Instant at) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/observation-category").setCode("vital-signs");
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        observation.setSubject(new Reference(patient));
        observation.setEffective(new DateTimeType(Date.from(at)));
        return observation;
    }
}
