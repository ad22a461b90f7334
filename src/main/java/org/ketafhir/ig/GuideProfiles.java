package org.ketafhir.ig;

import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Which of the guide's profiles a resource must meet: the guide profiles it declares, plus the profile implied
 * for records that are clearly ketamine therapy even when they declare nothing (a MedicationAdministration of a
 * medication in the guide's ketamine/esketamine value set, coded or named by a contained or stored Medication; a
 * QuestionnaireResponse to one of the guide's instruments). Profiles of other guides are left to their owners: a hospital's US Core Patient is stored as
 * any FHIR server would store it.
 */
class GuideProfiles {

    static final String CANONICAL_BASE = "http://ketafhir.org/fhir/";
    static final String DOSING_SESSION = CANONICAL_BASE + "StructureDefinition/dosing-session";
    static final String OUTCOME_RESPONSE = CANONICAL_BASE + "StructureDefinition/outcome-questionnaire-response";
    static final String MEDICATIONS = CANONICAL_BASE + "ValueSet/ketafhir-medications";
    private static final String GUIDE_QUESTIONNAIRES = CANONICAL_BASE + "Questionnaire/";

    private final IValidationSupport validationSupport;
    private final DaoRegistry daos;

    /** @param daos reads a stored Medication a MedicationAdministration refers to (as the server) */
    GuideProfiles(IValidationSupport validationSupport, DaoRegistry daos) {
        this.validationSupport = validationSupport;
        this.daos = daos;
    }

    Set<String> profilesFor(IBaseResource resource) {
        Set<String> profiles = new LinkedHashSet<>();
        resource.getMeta().getProfile().stream()
                .map(IPrimitiveType::getValueAsString)
                .filter(url -> url != null && url.startsWith(CANONICAL_BASE))
                .forEach(profiles::add);
        if (resource instanceof MedicationAdministration administration && isKetamine(administration)) {
            profiles.add(DOSING_SESSION);
        }
        if (resource instanceof QuestionnaireResponse response
                && response.hasQuestionnaire()
                && response.getQuestionnaire().startsWith(GUIDE_QUESTIONNAIRES)) {
            profiles.add(OUTCOME_RESPONSE);
        }
        return profiles;
    }

    /**
     * Coded ketamine or esketamine: medicationCodeableConcept, or the code of the Medication medicationReference names,
     * contained or stored. The profile's value-set binding cannot reach a referenced Medication, so the reference is
     * resolved here and such a session must meet the dosing-session profile like a coded one.
     */
    private boolean isKetamine(MedicationAdministration administration) {
        CodeableConcept medication = administration.hasMedicationCodeableConcept()
                ? administration.getMedicationCodeableConcept()
                : referencedMedication(administration);
        if (medication == null) {
            return false;
        }
        for (Coding coding : medication.getCoding()) {
            if (coding.hasSystem() && coding.hasCode() && inMedicationValueSet(coding)) {
                return true;
            }
        }
        return false;
    }

    private CodeableConcept referencedMedication(MedicationAdministration administration) {
        if (!administration.hasMedicationReference() || !administration.getMedicationReference().hasReference()) {
            return null;
        }
        String reference = administration.getMedicationReference().getReference();
        Medication medication = null;
        if (reference.startsWith("#")) {
            medication = administration.getContained().stream()
                    .filter(Medication.class::isInstance).map(Medication.class::cast)
                    .filter(m -> reference.substring(1).equals(m.getIdElement().getIdPart())
                            || reference.equals(m.getIdElement().getValue()))
                    .findFirst().orElse(null);
        } else {
            IdType id = new IdType(reference);
            if ("Medication".equals(id.getResourceType()) && id.hasIdPart() && !id.hasBaseUrl()) {
                try {
                    medication = daos.getResourceDao(Medication.class)
                            .read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
                } catch (ResourceNotFoundException | ResourceGoneException e) {
                    medication = null;
                }
            }
        }
        return medication != null && medication.hasCode() ? medication.getCode() : null;
    }

    private boolean inMedicationValueSet(Coding coding) {
        IValidationSupport.CodeValidationResult result = validationSupport.validateCode(
                new ValidationSupportContext(validationSupport), new ConceptValidationOptions(),
                coding.getSystem(), coding.getCode(), null, MEDICATIONS);
        return result != null && result.isOk();
    }
}
