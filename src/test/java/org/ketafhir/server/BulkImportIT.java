package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketafhir.scoring.OutcomeResponses;
import org.ketafhir.testing.FhirServerTestBase;

/**
 * Bulk Data {@code $import} of NDJSON files from the folder the tests allow ({@code file:} URLs): kick-off 202 with a
 * status URL, polling to the end, the resources stored through every check a client's write passes.
 */
class BulkImportIT extends FhirServerTestBase {

    private static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final String TAG_SYSTEM = "urn:ketafhir:test:import";
    private static final int PATIENTS = 300;
    private static final int OBSERVATIONS_PER_PATIENT = 8;

    private final String run = "imp" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldImportAFewThousandResourcesWithReferencesBetweenFilesAndScoreThePhq9s() throws Exception {
        List<Patient> patients = IntStream.range(0, PATIENTS).mapToObj(this::patient).toList();
        List<Observation> observations = new ArrayList<>();
        List<QuestionnaireResponse> responses = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            for (int o = 0; o < OBSERVATIONS_PER_PATIENT; o++) {
                observations.add(observation(p, o));
            }
            // items 1-9: 2,1,3,0,1,2,0,1,0 -> total 2+1+3+0+1+2+0+1+0 = 10
            QuestionnaireResponse response = OutcomeResponses.phq9("Patient/" + patientId(p), "2026-05-04T10:00:00Z",
                    2, 1, 3, 0, 1, 2, 0, 1, 0);
            response.setId(run + "-qr" + p);
            response.getMeta().addTag(TAG_SYSTEM, run, null);
            responses.add(response);
        }
        Path patientFile = ndjson("patients", patients);

        HttpResponse<String> first = waitForEnd(kickOff(input("Patient", patientFile)));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // the Observations and responses refer to the Patients of the first file
        HttpResponse<String> second = waitForEnd(kickOff(
                input("Observation", ndjson("observations", observations)),
                input("QuestionnaireResponse", ndjson("responses", responses))));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);

        assertThat(count("Patient")).isEqualTo(PATIENTS);
        assertThat(count("Observation")).isEqualTo(PATIENTS * OBSERVATIONS_PER_PATIENT);
        assertThat(count("QuestionnaireResponse")).isEqualTo(PATIENTS);
        for (int p : new int[] {0, PATIENTS - 1}) {
            Observation total = client().read().resource(Observation.class)
                    .withId("score-" + run + "-qr" + p + "-44261-6").execute();
            assertThat(total.getValueIntegerType().getValue()).isEqualTo(10);
            assertThat(total.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("phq-9-moderate");
            assertThat(total.getSubject().getReference()).isEqualTo("Patient/" + patientId(p));
        }
        // the outcome index took the imported response's total: the patient's summary shows it
        HttpResponse<String> summary = getRaw("/Patient/" + patientId(0) + "/$outcome-summary?instrument=phq-9");
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        assertThat(parse(Parameters.class, summary.body()).getParameter().stream()
                .filter(p -> p.getName().equals("instrument"))
                .flatMap(p -> p.getPart().stream())
                .filter(part -> part.getName().equals("latest"))
                .map(part -> part.getValue().primitiveValue()))
                .containsExactly("10");
        // each imported resource is audited: patient 0's Patient, 8 Observations and the response (the score
        // Observations are the server's own derived writes, audited as such nowhere else either)
        assertThat(auditCount("patient=Patient/" + patientId(0) + "&subtype=create")).isEqualTo(1 + OBSERVATIONS_PER_PATIENT + 1);
        assertThat(auditCount("entity=QuestionnaireResponse/" + run + "-qr0&subtype=%24import&action=C")).isEqualTo(1);
    }

    @Test
    void aSessionTheDosingRulesRefuseShouldNotBeStoredAndTheRuleReported() throws Exception {
        assertThat(putJson("/Patient/" + patientId(0), json(patient(0))).statusCode()).isIn(200, 201);
        // an intravenous session, profile-valid, for a patient with no body weight on file
        MedicationAdministration noWeight = session("no-weight");
        noWeight.getDosage().getRoute().addCoding().setSystem("http://snomed.info/sct").setCode("47625008");

        HttpResponse<String> end = waitForEnd(kickOff(
                input("MedicationAdministration", ndjson("unweighed", List.of(noWeight)))));

        assertThat(end.statusCode()).as(end.body()).isEqualTo(422);
        assertThat(diagnostics(end.body())).contains("MedicationAdministration/" + noWeight.getIdElement().getIdPart())
                .contains("weight-missing");
        assertThat(getRaw("/MedicationAdministration/" + noWeight.getIdElement().getIdPart()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aResourceThatFailsTheGuideProfileShouldNotBeStoredAndBeReported() throws Exception {
        assertThat(putJson("/Patient/" + patientId(0), json(patient(0))).statusCode()).isIn(200, 201);
        Observation valid = observation(0, 0);
        MedicationAdministration noRoute = session("no-route");

        HttpResponse<String> end = waitForEnd(kickOff(
                input("Observation", ndjson("valid", List.of(valid))),
                input("MedicationAdministration", ndjson("sessions", List.of(noRoute)))));

        assertThat(end.statusCode()).as(end.body()).isEqualTo(422);
        String outcome = diagnostics(end.body());
        // HAPI's report names each source and what it refused
        assertThat(outcome).contains("MedicationAdministration/" + noRoute.getIdElement().getIdPart())
                .contains("MedicationAdministration.dosage.route: minimum required = 1");
        assertThat(getRaw("/MedicationAdministration/" + noRoute.getIdElement().getIdPart()).statusCode())
                .isEqualTo(404);
        assertThat(getRaw("/Observation/" + valid.getIdElement().getIdPart()).statusCode())
                .as("the other file's resource is stored").isEqualTo(200);
    }

    @Test
    void aFileOutsideTheAllowedFolderShouldBeRefusedWith400AndNothingStored() throws Exception {
        Path outside = Files.createTempFile("outside", ".ndjson");
        Files.writeString(outside, json(patient(0)) + "\n");
        Path escape = IMPORT_FOLDER.resolve("..").resolve(outside.getFileName());

        for (String url : List.of(outside.toUri().toString(), "file://" + escape, "ftp://example.org/p.ndjson")) {
            HttpResponse<String> refused = postJson("/$import", json(parameters(url, "Patient")),
                    "Prefer", "respond-async");

            assertThat(refused.statusCode()).as(url + ": " + refused.body()).isEqualTo(400);
            assertThat(diagnostics(refused.body())).contains("$import refused");
        }
        assertThat(getRaw("/Patient/" + patientId(0)).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnreachableSourceShouldEndInAFailedStatusNotA500() {
        HttpResponse<String> accepted = postJson("/$import",
                json(parameters("http://127.0.0.1:9/" + run + ".ndjson", "Patient")), "Prefer", "respond-async");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        HttpResponse<String> end = waitForEnd(accepted);

        assertThat(end.statusCode()).as(end.body()).isEqualTo(422);
        assertThat(diagnostics(end.body())).contains("failed");
    }

    // ---------------------------------------------------------------- the async request pattern

    private record Input(String type, Path file) {}

    private static Input input(String type, Path file) {
        return new Input(type, file);
    }

    private HttpResponse<String> kickOff(Input... inputs) {
        Parameters parameters = new Parameters();
        parameters.addParameter("inputFormat", "application/fhir+ndjson");
        for (Input input : inputs) {
            Parameters.ParametersParameterComponent part = parameters.addParameter().setName("input");
            part.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType(input.type()));
            part.addPart().setName("url").setValue(new org.hl7.fhir.r4.model.UriType(input.file().toUri().toString()));
        }
        HttpResponse<String> accepted = postJson("/$import", json(parameters), "Prefer", "respond-async");
        assertThat(accepted.statusCode()).as("kick-off answered %s", accepted.body()).isEqualTo(202);
        return accepted;
    }

    private static Parameters parameters(String url, String type) {
        Parameters parameters = new Parameters();
        parameters.addParameter("inputFormat", "application/fhir+ndjson");
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("input");
        part.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType(type));
        part.addPart().setName("url").setValue(new org.hl7.fhir.r4.model.UriType(url));
        return parameters;
    }

    /** Polls the Content-Location of an accepted kick-off until it no longer answers 202 (in progress). */
    private HttpResponse<String> waitForEnd(HttpResponse<String> accepted) {
        String statusUrl = accepted.headers().firstValue("Content-Location")
                .orElseThrow(() -> new AssertionError("202 without Content-Location"));
        assertThat(statusUrl).startsWith(baseUrl());
        String path = statusUrl.substring(baseUrl().length());
        return Awaitility.await("import at " + statusUrl).dontCatchUncaughtExceptions()
                .atMost(IMPORT_TIMEOUT).pollInterval(POLL_INTERVAL)
                .until(() -> {
                    HttpResponse<String> status = getRaw(path, "Accept", "application/fhir+json");
                    assertThat(status.statusCode()).as("poll answered %s", status.body()).isNotEqualTo(500);
                    if (status.statusCode() == 202) {
                        assertThat(status.headers().firstValue("X-Progress")).as("progress of a running job").isPresent();
                    }
                    return status;
                }, status -> status.statusCode() != 202);
    }

    private static String diagnostics(String body) {
        OperationOutcome outcome = parse(OperationOutcome.class, body);
        return String.join("\n", outcome.getIssue().stream()
                .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList());
    }

    private int auditCount(String query) {
        HttpResponse<String> response = getRaw("/AuditEvent?" + query + "&_summary=count");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response.body()).getTotal();
    }

    private int count(String type) {
        HttpResponse<String> response = getRaw("/" + type + "?_tag=" + TAG_SYSTEM + "%7C" + run + "&_summary=count",
                "Cache-Control", "no-cache");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Bundle.class, response.body()).getTotal();
    }

    // ---------------------------------------------------------------- data

    private Path ndjson(String name, List<? extends IBaseResource> resources) throws IOException {
        StringBuilder lines = new StringBuilder();
        resources.forEach(resource -> lines.append(json(resource)).append('\n'));
        return Files.writeString(IMPORT_FOLDER.resolve(run + "-" + name + ".ndjson"), lines);
    }

    private String patientId(int p) {
        return run + "-p" + p;
    }

    private Patient patient(int p) {
        Patient patient = new Patient();
        patient.setId(patientId(p));
        patient.getMeta().addTag(TAG_SYSTEM, run, null);
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(patientId(p));
        patient.addName().setFamily("Import" + p);
        return patient;
    }

    private Observation observation(int p, int o) {
        Observation observation = new Observation();
        observation.setId(run + "-o" + p + "-" + o);
        observation.getMeta().addTag(TAG_SYSTEM, run, null);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("44261-6");
        observation.setSubject(new Reference("Patient/" + patientId(p)));
        observation.setEffective(new DateTimeType("2024-06-0" + (1 + o % 8) + "T09:00:00Z"));
        return observation;
    }

    /** A ketamine session without its route: it fails the guide's dosing-session profile. */
    private MedicationAdministration session(String name) {
        MedicationAdministration session = new MedicationAdministration();
        session.setId(run + "-" + name);
        session.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        session.getMedicationCodeableConcept().addCoding()
                .setSystem("http://www.nlm.nih.gov/research/umls/rxnorm").setCode("6130");
        session.setSubject(new Reference("Patient/" + patientId(0)));
        session.setEffective(new DateTimeType("2026-11-02T09:00:00Z"));
        session.getDosage().getDose().setValue(35).setUnit("mg").setSystem("http://unitsofmeasure.org").setCode("mg");
        return session;
    }
}
