package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * FHIR Bulk Data export (system, Patient and Group level) with the asynchronous request pattern: kick-off
 * answers 202 with a status URL, polling ends in a manifest, and the manifest's NDJSON files hold the data.
 */
class BulkExportIT extends FhirServerTestBase {

    private static final String TEST_SYSTEM = "urn:ketafhir:test";
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void systemExportShouldIncludeTheCreatedPatientAndObservation() throws Exception {
        Created created = createPatientWithObservation();

        List<IBaseResource> exported = export("/$export?_type=Patient,Observation");

        assertContains(exported, created);
    }

    @Test
    void patientExportShouldIncludeTheCreatedPatientAndObservation() throws Exception {
        Created created = createPatientWithObservation();

        List<IBaseResource> exported = export("/Patient/$export?_type=Patient,Observation");

        assertContains(exported, created);
    }

    @Test
    void groupExportShouldIncludeOnlyTheMembersAndTheirObservations() throws Exception {
        Created member = createPatientWithObservation();
        Created outsider = createPatientWithObservation();
        Group group = new Group();
        group.setType(Group.GroupType.PERSON).setActual(true).setName(unique("cohort"));
        group.addMember().setEntity(new Reference(member.patientId()));
        IdType groupId = (IdType) client().create().resource(group).execute().getId();

        List<IBaseResource> exported = export("/Group/" + groupId.getIdPart() + "/$export?_type=Patient,Observation");

        assertContains(exported, member);
        assertThat(ids(exported)).doesNotContain(outsider.patientId(), outsider.observationId());
    }

    @Test
    void repeatingAnExportAfterNewWritesShouldIncludeTheNewData() throws Exception {
        String request = "/$export?_type=Patient";
        Created before = createPatientWithObservation();
        assertThat(ids(export(request))).contains(before.patientId());

        Created after = createPatientWithObservation();

        assertThat(ids(export(request)))
                .as("an identical export started later must not be served from the earlier job")
                .contains(before.patientId(), after.patientId());
    }

    // ---------------------------------------------------------------- the async request pattern

    /** Kicks off an export, polls it to completion and returns every resource of every output file. */
    private List<IBaseResource> export(String kickOff) throws Exception {
        HttpResponse<String> accepted = getRaw(kickOff, "Prefer", "respond-async", "Accept", "application/fhir+json");
        assertThat(accepted.statusCode()).as("kick-off answered %s", accepted.body()).isEqualTo(202);
        String statusUrl = accepted.headers().firstValue("Content-Location").orElseThrow(
                () -> new AssertionError("202 without Content-Location"));

        JsonNode manifest = pollUntilComplete(statusUrl);

        assertThat(manifest.path("error").size()).as("manifest errors: %s", manifest.path("error")).isZero();
        JsonNode output = manifest.path("output");
        assertThat(output.isArray()).as("manifest %s", manifest).isTrue();
        List<IBaseResource> resources = new ArrayList<>();
        for (JsonNode file : output) {
            String type = file.path("type").asText();
            HttpResponse<String> ndjson = getRaw(relativeToBase(file.path("url").asText()),
                    "Accept", "application/fhir+ndjson");
            assertThat(ndjson.statusCode()).isEqualTo(200);
            for (String line : ndjson.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                IBaseResource resource = FHIR.newJsonParser().parseResource(line);
                assertThat(resource.fhirType()).as("a %s file holds only %s", type, type).isEqualTo(type);
                resources.add(resource);
            }
        }
        return resources;
    }

    private JsonNode pollUntilComplete(String statusUrl) throws Exception {
        String path = relativeToBase(statusUrl);
        HttpResponse<String> done = Awaitility.await("export at " + statusUrl).dontCatchUncaughtExceptions()
                .atMost(EXPORT_TIMEOUT)
                .pollInterval(POLL_INTERVAL)
                .until(() -> {
                    HttpResponse<String> status = getRaw(path, "Accept", "application/json");
                    assertThat(status.statusCode()).as("in-progress poll answered %s", status.body()).isIn(200, 202);
                    return status;
                }, status -> status.statusCode() == 200);
        return JSON.readTree(done.body());
    }

    /** The server writes absolute URLs; the test's HTTP helper takes paths below the FHIR base. */
    private String relativeToBase(String absolute) {
        assertThat(absolute).startsWith(baseUrl());
        return absolute.substring(baseUrl().length());
    }

    // ---------------------------------------------------------------- data

    private record Created(String patientId, String observationId) {}

    private Created createPatientWithObservation() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(TEST_SYSTEM).setValue(unique("mrn"));
        patient.addName().setFamily(unique("Export"));
        IdType patientId = (IdType) client().create().resource(patient).execute().getId();

        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("44261-6");
        observation.setSubject(new Reference(patientId.toUnqualifiedVersionless()));
        observation.setEffective(new DateTimeType("2024-06-01T09:00:00Z"));
        IdType observationId = (IdType) client().create().resource(observation).execute().getId();

        return new Created(patientId.toUnqualifiedVersionless().getValue(),
                observationId.toUnqualifiedVersionless().getValue());
    }

    private static List<String> ids(List<IBaseResource> resources) {
        return resources.stream().map(r -> r.getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    private static void assertContains(List<IBaseResource> exported, Created created) {
        assertThat(ids(exported)).contains(created.patientId(), created.observationId());
        Observation observation = exported.stream()
                .filter(r -> r.getIdElement().toUnqualifiedVersionless().getValue().equals(created.observationId()))
                .map(Observation.class::cast)
                .findFirst().orElseThrow();
        assertThat(observation.getSubject().getReference()).isEqualTo(created.patientId());
    }
}
