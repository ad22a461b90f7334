package org.ketafhir.ig;

import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Which of the guide's profiles a resource must meet: the guide profiles it declares, plus the profile implied
 * for records that are clearly ketamine therapy even when they declare nothing (a MedicationAdministration of a
 * medication in the guide's ketamine/esketamine value set; a QuestionnaireResponse to one of the guide's
 * instruments). Profiles of other guides are left to their owners: a hospital's US Core Patient is stored as
 * any FHIR server would store it.
 */
class GuideProfiles {

    static final String CANONICAL_BASE = "http://ketafhir.org/fhir/";
    static final String DOSING_SESSION = CANONICAL_BASE + "StructureDefinition/dosing-session";
    static final String OUTCOME_RESPONSE = CANONICAL_BASE + "StructureDefinition/outcome-questionnaire-response";
    static final String MEDICATIONS = CANONICAL_BASE + "ValueSet/ketafhir-medications";
    private static final String GUIDE_QUESTIONNAIRES = CANONICAL_BASE + "Questionnaire/";

    private final IValidationSupport validationSupport;

    GuideProfiles(IValidationSupport validationSupport) {
        this.validationSupport = validationSupport;
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

    private boolean isKetamine(MedicationAdministration administration) {
        if (!administration.hasMedicationCodeableConcept()) {
            return false;
        }
        for (Coding coding : administration.getMedicationCodeableConcept().getCoding()) {
            if (coding.hasSystem() && coding.hasCode() && inMedicationValueSet(coding)) {
                return true;
            }
        }
        return false;
    }

    private boolean inMedicationValueSet(Coding coding) {
        IValidationSupport.CodeValidationResult result = validationSupport.validateCode(
                new ValidationSupportContext(validationSupport), new ConceptValidationOptions(),
                coding.getSystem(), coding.getCode(), null, MEDICATIONS);
        return result != null && result.isOk();
    }
}
