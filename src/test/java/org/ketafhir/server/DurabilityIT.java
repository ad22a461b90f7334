package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * What the stock HAPI starter got wrong on this machine, checked on the packaged server in its own process:
 * transactions posted concurrently straight after the first start (stock: 3 of 12 answered 500), and a write
 * acknowledged just before {@code kill -9} (stock, on H2 files: lost).
 */
class DurabilityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String SYSTEM = "urn:ketafhir:durability";
    private static final int BUNDLES = 24;
    private static final int CONCURRENT_CLIENTS = 8;

    @Test
    void shouldAnswerEveryConcurrentTransactionOnAFreshDatabaseAndKeepAcknowledgedWritesAcrossKill9()
            throws Exception {
        Map<String, String> database = TestDatabase.fresh("durability");
        String run = UUID.randomUUID().toString();
        String lastPatientId;

        try (ServerProcess first = ServerProcess.start("durability-first-start", database)) {
            List<Integer> statuses = postConcurrently(first.baseUrl(), run);
            assertThat(statuses).hasSize(BUNDLES).containsOnly(200);

            HttpResponse<String> created = send(first.baseUrl() + "/Patient", "POST",
                    FHIR.newJsonParser().encodeResourceToString(patient(run, "acknowledged")));
            assertThat(created.statusCode()).isEqualTo(201);
            lastPatientId = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();
            first.kill9();
        }

        try (ServerProcess restarted = ServerProcess.start("durability-after-kill9", database)) {
            IGenericClient client = client(restarted.baseUrl());
            Patient acknowledged = client.read().resource(Patient.class).withId(lastPatientId).execute();
            assertThat(acknowledged.getIdentifierFirstRep().getValue()).isEqualTo(run + "-acknowledged");

            for (int i = 0; i < BUNDLES; i++) {
                Bundle found = client.search()
                        .byUrl("Patient?identifier=" + SYSTEM + "|" + run + "-" + i + "&_revinclude=*")
                        .returnBundle(Bundle.class).execute();
                // the patient, and the five records of its bundle that point at it
                assertThat(found.getEntry()).as("bundle %d after restart", i).hasSize(6);
            }
        }
    }

    /**
     * An operator's own H2 URL, without the flags of the default one (H2 then writes a commit to its file up to
     * 500 ms later): each Patient acknowledged with 201 before {@code kill -9} is there after the restart.
     */
    @Test
    void shouldKeepWritesAcknowledgedJustBeforeKill9OnAnOperatorsOwnDatabaseUrl() throws Exception {
        Map<String, String> database = TestDatabase.isPostgres()
                ? TestDatabase.fresh("durability_own_url")
                : Map.of("spring.datasource.url", "jdbc:h2:file:" + Path.of("target", "it-data",
                        "own-url-" + UUID.randomUUID(), "clinic").toAbsolutePath());
        String run = UUID.randomUUID().toString();
        List<String> acknowledged = new ArrayList<>();

        try (ServerProcess first = ServerProcess.start("durability-own-url", database)) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> created = send(first.baseUrl() + "/Patient", "POST",
                        FHIR.newJsonParser().encodeResourceToString(patient(run, "own-url-" + i)));
                assertThat(created.statusCode()).isEqualTo(201);
                acknowledged.add(new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart());
            }
            first.kill9();
        }

        try (ServerProcess restarted = ServerProcess.start("durability-own-url-after-kill9", database)) {
            IGenericClient client = client(restarted.baseUrl());
            for (int i = 0; i < acknowledged.size(); i++) {
                Patient patient = client.read().resource(Patient.class).withId(acknowledged.get(i)).execute();
                assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(run + "-own-url-" + i);
                // and so is its audit: the create was recorded in the same transaction as the patient
                Bundle audit = client.search().byUrl("AuditEvent?entity=Patient/" + acknowledged.get(i) + "&subtype=create")
                        .returnBundle(Bundle.class).execute();
                assertThat(audit.getEntry()).as("AuditEvent of the create of patient %d", i).hasSize(1);
            }
        }
    }

    private static List<Integer> postConcurrently(String baseUrl, String run) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT_CLIENTS);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < BUNDLES; i++) {
                String bundle = FHIR.newJsonParser().encodeResourceToString(transaction(run, i));
                answers.add(clients.submit(() -> send(baseUrl, "POST", bundle).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    /** A patient with five records of five resource types, linked by urn:uuid references. */
    private static Bundle transaction(String run, int index) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        add(bundle, patientUrn, patient(run, String.valueOf(index)));
        Reference subject = new Reference(patientUrn);

        Observation weight = new Observation().setStatus(Observation.ObservationStatus.FINAL).setSubject(subject);
        weight.getCode().addCoding().setSystem("http://loinc.org").setCode("29463-7");
        add(bundle, "urn:uuid:" + UUID.randomUUID(), weight);

        Condition condition = new Condition().setSubject(subject);
        condition.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("36474008");
        add(bundle, "urn:uuid:" + UUID.randomUUID(), condition);

        add(bundle, "urn:uuid:" + UUID.randomUUID(),
                new Encounter().setStatus(Encounter.EncounterStatus.FINISHED).setSubject(subject)
                        .setClass_(new org.hl7.fhir.r4.model.Coding(
                                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory")));
        add(bundle, "urn:uuid:" + UUID.randomUUID(),
                new Procedure().setStatus(Procedure.ProcedureStatus.COMPLETED).setSubject(subject));

        Flag flag = new Flag().setStatus(Flag.FlagStatus.ACTIVE).setSubject(subject);
        flag.getCode().setText("Durability test flag");
        add(bundle, "urn:uuid:" + UUID.randomUUID(), flag);
        return bundle;
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource) {
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    }

    private static Patient patient(String run, String suffix) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(SYSTEM).setValue(run + "-" + suffix);
        patient.addName().setFamily("Durable");
        return patient;
    }

    private static HttpResponse<String> send(String url, String method, String body) throws Exception {
        HttpRequest request = FhirServerTestBase.authorized(HttpRequest.newBuilder(URI.create(url)))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/fhir+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static IGenericClient client(String baseUrl) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return FhirServerTestBase.authorized(FHIR.newRestfulGenericClient(baseUrl));
    }
}
