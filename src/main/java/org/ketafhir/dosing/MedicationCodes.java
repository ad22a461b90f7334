package org.ketafhir.dosing;

import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.ketafhir.dosing.DosingFacts.Medication;
import org.ketafhir.ig.GuideValueSets;

import ca.uhn.fhir.context.FhirContext;

/**
 * Which codes make a MedicationAdministration a dosing session, read from the guide's value sets
 * ketafhir-medications and ketafhir-esketamine (their enumerated concepts), so a code added to the guide is picked up.
 * A session with any esketamine code is esketamine; any other code of ketafhir-medications makes it ketamine.
 */
public final class MedicationCodes {

    private final Set<String> medications;
    private final Set<String> esketamine;

    MedicationCodes(Set<String> medications, Set<String> esketamine) {
        this.medications = Set.copyOf(medications);
        this.esketamine = Set.copyOf(esketamine);
    }

    public static MedicationCodes fromGuide(FhirContext fhirContext) {
        return new MedicationCodes(
                GuideValueSets.enumerated(fhirContext, "ketafhir-medications").keySet(),
                GuideValueSets.enumerated(fhirContext, "ketafhir-esketamine").keySet());
    }

    Optional<Medication> classify(CodeableConcept medication) {
        if (medication == null) {
            return Optional.empty();
        }
        boolean ketamine = false;
        for (Coding coding : medication.getCoding()) {
            String key = coding.getSystem() + "|" + coding.getCode();
            if (esketamine.contains(key)) {
                return Optional.of(Medication.ESKETAMINE);
            }
            ketamine |= medications.contains(key);
        }
        return ketamine ? Optional.of(Medication.KETAMINE) : Optional.empty();
    }

    /** Whether a MedicationAdministration with this medication is a ketamine or esketamine dosing session. */
    public boolean isDosingSession(CodeableConcept medication) {
        return classify(medication).isPresent();
    }

    /** The codes of a session that name esketamine, for searches. */
    Set<String> esketamineCodes() {
        return esketamine;
    }
}
