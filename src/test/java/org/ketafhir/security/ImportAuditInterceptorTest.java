package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The audit of a resource a $import stores: found by the patient and by the resource, like a REST write's. */
class ImportAuditInterceptorTest {

    private final List<AuditEvent> recorded = new ArrayList<>();
    private final ImportAuditInterceptor interceptor = new ImportAuditInterceptor(recorded::add, FhirContext.forR4Cached());

    @Test
    void shouldNameTheResourceItsPatientAndTheImport() {
        Observation observation = new Observation();
        observation.setId("o1");
        observation.setSubject(new Reference("Patient/p1"));

        AuditEvent event = interceptor.event(observation, "create", AuditEventAction.C);

        assertThat(event.getAction()).isEqualTo(AuditEventAction.C);
        assertThat(event.getSubtype()).extracting(c -> c.getCode()).containsExactly("create", "$import");
        assertThat(AuditValues.of(event)).contains(
                new AuditValues.Value(AuditValues.Kind.PATIENT, "Patient/p1"),
                new AuditValues.Value(AuditValues.Kind.ENTITY, "Observation/o1"),
                new AuditValues.Value(AuditValues.Kind.SUBTYPE, "create"),
                new AuditValues.Value(AuditValues.Kind.ACTION, "C"));
    }

    @Test
    void aPatientShouldBeItsOwnPatientAndAServerWriteShouldNotBeAuditedHere() {
        Patient patient = new Patient();
        patient.setId("p2");
        assertThat(AuditValues.of(interceptor.event(patient, "update", AuditEventAction.U)))
                .contains(new AuditValues.Value(AuditValues.Kind.PATIENT, "Patient/p2"));

        // the server's own derived writes carry no import header: not audited as import writes
        interceptor.created(patient, new SystemRequestDetails());
        assertThat(recorded).isEmpty();
    }
}
