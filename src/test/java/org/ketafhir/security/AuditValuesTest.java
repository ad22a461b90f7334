package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.security.AuditValues.Kind;
import org.ketafhir.security.AuditValues.Value;

class AuditValuesTest {

    @Test
    void shouldIndexAPatientReadAsBalpRecordsIt() {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem("http://dicom.nema.org/resources/ontology/DCM").setCode("110112");
        event.addSubtype().setSystem("http://hl7.org/fhir/restful-interaction").setCode("read");
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setWho(new Reference().setIdentifier(new Identifier().setSystem("https://issuer").setValue("dr-a")));
        event.addEntity().setWhat(new Reference("http://localhost:8080/fhir/Patient/123"))
                .getRole().setSystem("http://terminology.hl7.org/CodeSystem/object-role").setCode("1");
        event.addEntity().setWhat(new Reference("http://localhost:8080/fhir/Observation/9/_history/2"))
                .getRole().setSystem("http://terminology.hl7.org/CodeSystem/object-role").setCode("4");

        List<Value> values = AuditValues.of(event);

        assertThat(values).contains(
                new Value(Kind.TYPE, "110112"), new Value(Kind.TYPE, "http://dicom.nema.org/resources/ontology/DCM|110112"),
                new Value(Kind.SUBTYPE, "read"), new Value(Kind.ACTION, "R"), new Value(Kind.OUTCOME, "0"),
                new Value(Kind.AGENT, "dr-a"), new Value(Kind.AGENT, "https://issuer|dr-a"),
                new Value(Kind.PATIENT, "Patient/123"), new Value(Kind.PATIENT, "http://localhost:8080/fhir/Patient/123"),
                new Value(Kind.ENTITY, "Patient/123"), new Value(Kind.ENTITY, "Observation/9"));
        // the Observation is an entity, not a patient
        assertThat(values).doesNotContain(new Value(Kind.PATIENT, "Observation/9"));
    }

    @Test
    void shouldReduceReferencesToTypeAndIdOnlyWhenTheyNameAResource() {
        assertThat(AuditValues.relative("https://x.example/base/fhir/Patient/a-1/_history/3")).isEqualTo("Patient/a-1");
        assertThat(AuditValues.relative("Patient/42")).isEqualTo("Patient/42");
        assertThat(AuditValues.relative("urn:uuid:1234")).isNull();
        assertThat(AuditValues.relative("http://x.example/fhir/Observation?code=1")).isNull();
    }
}
