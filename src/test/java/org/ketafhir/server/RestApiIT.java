package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/** The instance-level REST interactions of FHIR R4 http.html, through HAPI's generic client and raw HTTP. */
class RestApiIT extends FhirServerTestBase {

    private Patient newPatient(String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("mrn"));
        patient.addName().setFamily(family).addGiven("Alex");
        patient.setGender(AdministrativeGender.FEMALE);
        return patient;
    }

    private IdType create(Patient patient) {
        return (IdType) client().create().resource(patient).execute().getId();
    }

    @Test
    void shouldCreateReadVreadUpdateAndDelete() {
        IdType id = create(newPatient("Create"));
        assertThat(id.getVersionIdPart()).isEqualTo("1");

        Patient read = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Create");

        read.getNameFirstRep().setFamily("Updated");
        MethodOutcome updated = client().update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Patient version1 = client().read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute();
        assertThat(version1.getNameFirstRep().getFamily()).isEqualTo("Create");

        client().delete().resourceById(id.toUnqualifiedVersionless()).execute();
        assertThatThrownBy(() -> client().read().resource(Patient.class).withId(id.getIdPart()).execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    @Test
    void shouldKeepInstanceTypeAndSystemHistory() {
        IdType id = create(newPatient("History"));
        Patient patient = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        patient.setActive(true);
        client().update().resource(patient).execute();

        Bundle instance = client().history().onInstance(id.toUnqualifiedVersionless())
                .returnBundle(Bundle.class).execute();
        assertThat(instance.getEntry()).hasSize(2);

        Bundle type = client().history().onType(Patient.class).returnBundle(Bundle.class).execute();
        assertThat(type.getEntry()).isNotEmpty();
        // deletions appear in history as entries without a resource
        assertThat(type.getEntry()).allSatisfy(e -> {
            if (e.hasResource()) {
                assertThat(e.getResource()).isInstanceOf(Patient.class);
            } else {
                assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
            }
        });
        assertThat(type.getEntry()).filteredOn(Bundle.BundleEntryComponent::hasResource)
                .anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(id.getIdPart()));

        Bundle system = client().history().onServer().returnBundle(Bundle.class).execute();
        assertThat(system.getEntry()).isNotEmpty();
    }

    @Test
    void shouldApplyJsonPatchAndFhirPathPatch() {
        IdType id = create(newPatient("Patch"));

        client().patch().withBody("[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]")
                .withId(id.toUnqualifiedVersionless()).execute();
        Patient afterJsonPatch = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(afterJsonPatch.getGender()).isEqualTo(AdministrativeGender.MALE);

        Parameters fhirPathPatch = new Parameters();
        Parameters.ParametersParameterComponent operation = fhirPathPatch.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("add"));
        operation.addPart().setName("path").setValue(new StringType("Patient"));
        operation.addPart().setName("name").setValue(new StringType("birthDate"));
        operation.addPart().setName("value").setValue(new DateType("1980-02-03"));
        client().patch().withFhirPatch(fhirPathPatch).withId(id.toUnqualifiedVersionless()).execute();

        Patient afterFhirPathPatch = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(afterFhirPathPatch.getBirthDateElement().getValueAsString()).isEqualTo("1980-02-03");
        assertThat(afterFhirPathPatch.getMeta().getVersionId()).isEqualTo("3");
    }

    @Test
    void conditionalCreateShouldReturnTheExistingResource() {
        Patient patient = newPatient("Conditional");
        String identifier = patient.getIdentifierFirstRep().getValue();
        String match = "Patient?identifier=urn:ketafhir:test|" + identifier;

        MethodOutcome first = client().create().resource(patient).conditionalByUrl(match).execute();
        MethodOutcome second = client().create().resource(patient).conditionalByUrl(match).execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().toUnqualifiedVersionless().getValue())
                .isEqualTo(first.getId().toUnqualifiedVersionless().getValue());
        Bundle found = client().search().byUrl(match).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    @Test
    void conditionalUpdateAndDeleteShouldResolveTheMatchUrl() {
        Patient patient = newPatient("CondUpdate");
        String identifier = patient.getIdentifierFirstRep().getValue();
        String match = "Patient?identifier=urn:ketafhir:test|" + identifier;

        MethodOutcome created = client().update().resource(patient).conditionalByUrl(match).execute();
        assertThat(created.getCreated()).isTrue();
        patient.setActive(false);
        MethodOutcome updated = client().update().resource(patient).conditionalByUrl(match).execute();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        client().delete().resourceConditionalByUrl(match).execute();
        Bundle found = client().search().byUrl(match).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void staleIfMatchShouldAnswer412AndLeaveTheResourceUnchanged() {
        IdType id = create(newPatient("IfMatch"));
        Patient current = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        current.setActive(true);
        client().update().resource(current).execute(); // now at version 2

        Patient stale = newPatient("StaleWrite");
        stale.setId(id.toUnqualifiedVersionless());
        HttpResponse<String> response = putJson("/Patient/" + id.getIdPart(), json(stale), "If-Match", "W/\"1\"");

        assertThat(response.statusCode()).isEqualTo(412);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("If-Match");
        Patient after = client().read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(after.getMeta().getVersionId()).isEqualTo("2");
        assertThat(after.getNameFirstRep().getFamily()).isEqualTo("IfMatch");
    }

    @Test
    void currentIfMatchShouldUpdate() {
        IdType id = create(newPatient("IfMatchOk"));
        Patient patient = newPatient("IfMatchOk2");
        patient.setId(id.toUnqualifiedVersionless());
        HttpResponse<String> response = putJson("/Patient/" + id.getIdPart(), json(patient), "If-Match", "W/\"1\"");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).contains("W/\"2\"");
    }

    @Test
    void preferHeaderShouldChooseWhatAWriteReturns() {
        String body = json(newPatient("Prefer"));

        HttpResponse<String> minimal = postJson("/Patient", body, "Prefer", "return=minimal");
        assertThat(minimal.statusCode()).isEqualTo(201);
        assertThat(minimal.body()).isEmpty();
        assertThat(minimal.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/Patient/"));

        HttpResponse<String> representation = postJson("/Patient", body, "Prefer", "return=representation");
        assertThat(parse(Patient.class, representation.body()).getNameFirstRep().getFamily()).isEqualTo("Prefer");

        HttpResponse<String> outcome = postJson("/Patient", body, "Prefer", "return=OperationOutcome");
        assertThat(outcome.body()).contains("\"resourceType\":\"OperationOutcome\"");

        MethodOutcome viaClient = client().create().resource(newPatient("Prefer2"))
                .prefer(PreferReturnEnum.REPRESENTATION).execute();
        assertThat(viaClient.getResource()).isInstanceOf(Patient.class);
    }

    @Test
    void shouldSpeakXmlAsWellAsJson() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Xml\"/></name></Patient>";
        HttpResponse<String> created = http("POST", "/Patient", xml,
                "Content-Type", "application/fhir+xml", "Accept", "application/fhir+xml");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).startsWith("<Patient xmlns=\"http://hl7.org/fhir\">").contains("Xml");

        String location = created.headers().firstValue("Location").orElseThrow();
        String id = new IdType(location).getIdPart();
        HttpResponse<String> asJson = getRaw("/Patient/" + id + "?_format=json");
        assertThat(asJson.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c).contains("json"));
        assertThat(parse(Patient.class, asJson.body()).getNameFirstRep().getFamily()).isEqualTo("Xml");
    }

    @Test
    void metaOperationShouldAddAndReadTags() {
        IdType id = create(newPatient("Meta"));
        Meta tags = new Meta();
        tags.addTag("urn:ketafhir:test", "demo", "Demo record");
        client().meta().add().onResource(id.toUnqualifiedVersionless()).meta(tags).execute();

        Meta meta = client().meta().get(Meta.class).fromResource(id.toUnqualifiedVersionless()).execute();
        assertThat(meta.getTag()).anySatisfy(tag -> assertThat(tag.getCode()).isEqualTo("demo"));
    }

    @Test
    void validateOperationShouldReportProblemsWithoutStoring() {
        String invalid = "{\"resourceType\":\"Patient\",\"gender\":\"not-a-gender\"}";
        HttpResponse<String> response = postJson("/Patient/$validate", invalid);
        assertThat(response.statusCode()).isBetween(400, 499);
        OperationOutcome outcome = parse(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains("not-a-gender");
        });

        HttpResponse<String> valid = postJson("/Patient/$validate", json(newPatient("Valid")));
        assertThat(valid.statusCode()).isEqualTo(200);
        OperationOutcome validOutcome = parse(OperationOutcome.class, valid.body());
        assertThat(validOutcome.getIssue())
                .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
    }

    @Test
    void everythingShouldReturnThePatientAndTheirRecords() {
        IdType patientId = create(newPatient("Everything"));
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("29463-7");
        observation.setSubject(new Reference(patientId.toUnqualifiedVersionless()));
        IdType observationId = (IdType) client().create().resource(observation).execute().getId();

        Parameters result = client().operation().onInstance(patientId.toUnqualifiedVersionless())
                .named("$everything").withNoParameters(Parameters.class).execute();
        Bundle bundle = (Bundle) result.getParameterFirstRep().getResource();
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                .contains(patientId.toUnqualifiedVersionless().getValue(),
                        observationId.toUnqualifiedVersionless().getValue());
    }
}
