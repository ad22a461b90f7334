package org.ketafhir.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * Two stateless server nodes on one PostgreSQL database: this test's own server (node A) and the packaged
 * server started as a second process on another port (node B). Runs only in the PostgreSQL suite
 * ({@code mvn verify -Ppostgres}); H2 files belong to one process.
 */
class TwoNodeIT extends FhirServerTestBase {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static ServerProcess nodeB;

    @BeforeAll
    static void startSecondNode() throws Exception {
        assertThat(TestDatabase.isPostgres()).as("the two-node test belongs to the PostgreSQL suite").isTrue();
        nodeB = ServerProcess.start("node-b", TestDatabase.fresh("shared"));
    }

    @AfterAll
    static void stopSecondNode() throws Exception {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void aResourceWrittenThroughOneNodeShouldBeReadAndFoundThroughTheOther() throws Exception {
        Patient patient = new Patient();
        String identifier = unique("two-node");
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(identifier);
        patient.addName().setFamily("NodeA");
        HttpResponse<String> created = postJson("/Patient", json(patient));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();

        HttpResponse<String> read = send("GET", nodeB.baseUrl() + "/Patient/" + id, null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(parse(Patient.class, read.body()).getNameFirstRep().getFamily()).isEqualTo("NodeA");

        HttpResponse<String> search = send("GET",
                nodeB.baseUrl() + "/Patient?identifier=urn:ketafhir:test%7C" + identifier, null, null);
        Bundle found = parse(Bundle.class, search.body());
        assertThat(found.getEntry()).hasSize(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(id);
    }

    @Test
    void concurrentConflictingUpdatesThroughBothNodesShouldLetExactlyOneWin() throws Exception {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:ketafhir:test").setValue(unique("conflict"));
        patient.addName().setFamily("Original");
        HttpResponse<String> created = postJson("/Patient", json(patient));
        String id = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();

        for (int round = 0; round < 5; round++) {
            String version = currentVersion(id);
            String viaA = baseUrl() + "/Patient/" + id;
            String viaB = nodeB.baseUrl() + "/Patient/" + id;
            List<Integer> statuses = updateBothAtOnce(id, version, viaA, viaB);

            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrderElementsOf(
                    statuses.contains(412) ? List.of(200, 412) : List.of(200, 409));
            assertThat(currentVersion(id)).isEqualTo(String.valueOf(Integer.parseInt(version) + 1));
        }
    }

    private List<Integer> updateBothAtOnce(String id, String version, String viaA, String viaB) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            // distinct content each round: an update identical to the stored version is a no-op in HAPI
            Future<Integer> a = pool.submit(() -> conditionalPut(start, id, version, viaA, "A-" + version));
            Future<Integer> b = pool.submit(() -> conditionalPut(start, id, version, viaB, "B-" + version));
            start.countDown();
            return List.of(a.get(), b.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private int conditionalPut(CountDownLatch start, String id, String version, String url, String family)
            throws Exception {
        Patient update = new Patient();
        update.setId(id);
        update.addName().setFamily(family);
        start.await();
        return send("PUT", url, json(update), "W/\"" + version + "\"").statusCode();
    }

    private String currentVersion(String id) throws Exception {
        HttpResponse<String> read = send("GET", baseUrl() + "/Patient/" + id, null, null);
        return parse(Patient.class, read.body()).getMeta().getVersionId();
    }

    private static HttpResponse<String> send(String method, String url, String body, String ifMatch)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        authorized(request);
        if (body != null) {
            request.header("Content-Type", "application/fhir+json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
