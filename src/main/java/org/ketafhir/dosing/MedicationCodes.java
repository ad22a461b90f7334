package org.ketafhir.dosing;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.ketafhir.dosing.DosingFacts.Medication;
import org.ketafhir.ig.GuidePackage;
import org.ketafhir.ig.GuideValueSets;


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

    public static MedicationCodes fromGuide(GuidePackage guide) {
        return new MedicationCodes(
                GuideValueSets.enumerated(guide, "ketafhir-medications").keySet(),
                GuideValueSets.enumerated(guide, "ketafhir-esketamine").keySet());
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

    /**
     * Whether the administration is a dosing session: its medicationCodeableConcept, or the code of the Medication its
     * medicationReference names when that Medication is contained ({@code #id}). A stored Medication needs
     * {@link #medication(MedicationAdministration, Function)} with a lookup.
     */
    public boolean isDosingSession(MedicationAdministration administration) {
        return classify(medication(administration, reference -> Optional.empty()).orElse(null)).isPresent();
    }

    /**
     * The code naming the drug of an administration: medicationCodeableConcept; else the code of the Medication that
     * medicationReference names, contained ({@code #id}) or, through {@code stored}, a stored {@code Medication/id}.
     *
     * @param stored the code of a stored Medication by its reference, empty when there is none
     */
    public static Optional<CodeableConcept> medication(MedicationAdministration administration,
            Function<String, Optional<CodeableConcept>> stored) {
        if (administration.hasMedicationCodeableConcept()) {
            return Optional.of(administration.getMedicationCodeableConcept());
        }
        if (!administration.hasMedicationReference() || !administration.getMedicationReference().hasReference()) {
            return Optional.empty();
        }
        String reference = administration.getMedicationReference().getReference();
        if (reference.startsWith("#")) {
            return administration.getContained().stream()
                    .filter(org.hl7.fhir.r4.model.Medication.class::isInstance)
                    .map(org.hl7.fhir.r4.model.Medication.class::cast)
                    .filter(m -> reference.substring(1).equals(m.getIdElement().getIdPart())
                            || reference.equals(m.getIdElement().getValue()))
                    .findFirst()
                    .filter(org.hl7.fhir.r4.model.Medication::hasCode)
                    .map(org.hl7.fhir.r4.model.Medication::getCode);
        }
        return stored.apply(reference);
    }

    /** The codes of a session that name esketamine, for searches. */
    Set<String> esketamineCodes() {
        return esketamine;
    }
}
