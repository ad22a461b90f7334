package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * References must point at stored resources, and a referenced resource cannot be deleted from under its
 * referrers (JpaStorageConfig enforces both on write and on delete).
 */
class ReferentialIntegrityIT extends FhirServerTestBase {

    private static final String TEST_SYSTEM = "urn:ketafhir:test";

    @Test
    void createWithAReferenceToAMissingPatientShouldBeRefusedAndStoreNothing() {
        String identifier = unique("obs");
        String missing = unique("missing-patient");

        HttpResponse<String> response = postJson("/Observation",
                json(observation(identifier, new Reference("Patient/" + missing))));

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Patient/" + missing);
        assertThat(observationsWith(identifier).getEntry()).isEmpty();
    }

    @Test
    void updateThatIntroducesAReferenceToAMissingPatientShouldBeRefusedAndKeepTheOldVersion() {
        String identifier = unique("obs");
        IdType patient = createPatient();
        IdType observationId = (IdType) client().create()
                .resource(observation(identifier, new Reference(patient.toUnqualifiedVersionless())))
                .execute().getId();
        String missing = unique("missing-patient");
        Observation changed = observation(identifier, new Reference("Patient/" + missing));
        changed.setId(observationId.toUnqualifiedVersionless());

        HttpResponse<String> response = putJson("/Observation/" + observationId.getIdPart(), json(changed));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(parse(OperationOutcome.class, response.body()).getIssueFirstRep().getDiagnostics())
                .contains("Patient/" + missing);
        Observation stored = client().read().resource(Observation.class).withId(observationId.getIdPart()).execute();
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        assertThat(stored.getSubject().getReference()).isEqualTo(patient.toUnqualifiedVersionless().getValue());
    }

    @Test
    void deletingAReferencedPatientShouldAnswer409AndKeepThePatient() {
        IdType patient = createPatient();
        IdType observation = (IdType) client().create()
                .resource(observation(unique("obs"), new Reference(patient.toUnqualifiedVersionless())))
                .execute().getId();

        HttpResponse<String> response = http("DELETE", "/Patient/" + patient.getIdPart(), null);

        assertThat(response.statusCode()).isEqualTo(409);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .contains(observation.toUnqualifiedVersionless().getValue());
        Patient stillThere = client().read().resource(Patient.class).withId(patient.getIdPart()).execute();
        assertThat(stillThere.getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void patientShouldBeDeletableOnceItsReferrerIsDeleted() {
        IdType patient = createPatient();
        IdType observation = (IdType) client().create()
                .resource(observation(unique("obs"), new Reference(patient.toUnqualifiedVersionless())))
                .execute().getId();
        assertThat(http("DELETE", "/Patient/" + patient.getIdPart(), null).statusCode()).isEqualTo(409);

        HttpResponse<String> observationDeleted = http("DELETE", "/Observation/" + observation.getIdPart(), null);
        HttpResponse<String> patientDeleted = http("DELETE", "/Patient/" + patient.getIdPart(), null);

        // http.html#delete: 200 OK or 204 No Content
        assertThat(observationDeleted.statusCode()).isIn(200, 204);
        assertThat(patientDeleted.statusCode()).isIn(200, 204);
        assertThatThrownBy(() -> client().read().resource(Patient.class).withId(patient.getIdPart()).execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    private IdType createPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(TEST_SYSTEM).setValue(unique("mrn"));
        patient.addName().setFamily("Integrity");
        return (IdType) client().create().resource(patient).execute().getId();
    }

    private static Observation observation(String identifier, Reference subject) {
        Observation observation = new Observation();
        observation.addIdentifier().setSystem(TEST_SYSTEM).setValue(identifier);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("44261-6");
        observation.setSubject(subject);
        return observation;
    }

    private Bundle observationsWith(String identifier) {
        return client().search().byUrl("Observation?identifier=" + TEST_SYSTEM + "|" + identifier)
                .returnBundle(Bundle.class).execute();
    }
}
