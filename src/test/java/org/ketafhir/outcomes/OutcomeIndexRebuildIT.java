package org.ketafhir.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ketafhir.scoring.OutcomeResponses;
import org.ketafhir.testing.FhirServerTestBase;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * The first start of a version with a new outcome-index format rebuilds the index from the stored resources. Writes
 * that arrive while it runs (a client posting from the moment the port opens) are answered 503 or stored with their
 * facts: after the rebuild every acknowledged response has its facts, once.
 */
class OutcomeIndexRebuildIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int STORED_BEFORE = 40;
    private static final int POSTED_DURING = 10;

    @Test
    void shouldNeitherLoseNorDoubleAFactWrittenWhileTheIndexIsRebuilt() throws Exception {
        Map<String, String> database = TestDatabase.fresh("outcome_rebuild");
        String patient = "rebuild-" + UUID.randomUUID().toString().substring(0, 8);

        try (ServerProcess server = ServerProcess.start("outcome-rebuild-first", database)) {
            assertThat(send("PUT", server.baseUrl() + "/Patient/" + patient,
                    "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}").statusCode()).isEqualTo(201);
            for (int i = 0; i < STORED_BEFORE; i++) {
                assertThat(postPhq9(server.baseUrl(), patient, i).statusCode()).isEqualTo(201);
            }
        }
        int factsBefore = facts(database, patient);
        assertThat(factsBefore % STORED_BEFORE).as("the same facts for each response").isZero();
        int factsPerResponse = factsBefore / STORED_BEFORE;
        assertThat(factsPerResponse).isPositive();
        execute(database, "UPDATE KF_OUTCOME_INDEX SET FORMAT = 0");

        List<Integer> answers = new ArrayList<>();
        int accepted = 0;
        try (ServerProcess server = ServerProcess.startAndAwaitPort("outcome-rebuild-upgrade", database)) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
            while (accepted < POSTED_DURING && Instant.now().isBefore(deadline)) {
                HttpResponse<String> response = postPhq9(server.baseUrl(), patient, STORED_BEFORE + accepted);
                answers.add(response.statusCode());
                assertThat(response.statusCode()).as("answers so far %s: %s", answers, response.body()).isIn(201, 503);
                if (response.statusCode() == 201) {
                    accepted++;
                }
            }
            assertThat(server.log()).contains("Outcome index built from");
        }
        System.out.printf("OutcomeIndexRebuildIT: writes answered while starting and rebuilding: %s%n", answers);
        assertThat(accepted).as("answers %s", answers).isEqualTo(POSTED_DURING);
        assertThat(facts(database, patient)).as("answers %s", answers)
                .isEqualTo((STORED_BEFORE + POSTED_DURING) * factsPerResponse);
    }

    /** A PHQ-9 whose answers differ by response: item 1 cycles through 0-3. */
    private static HttpResponse<String> postPhq9(String base, String patient, int n) throws Exception {
        String authored = Instant.parse("2026-01-01T09:00:00Z").plus(Duration.ofDays(n)).toString();
        return send("POST", base + "/QuestionnaireResponse", FHIR.newJsonParser().encodeResourceToString(
                OutcomeResponses.phq9("Patient/" + patient, authored, n % 4, 1, 1, 1, 1, 1, 1, 1, 0)));
    }

    private static int facts(Map<String, String> database, String patient) throws SQLException {
        try (Connection connection = TestDatabase.connect(database);
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM KF_OUTCOME_FACT WHERE PATIENT_ID LIKE ?")) {
            count.setString(1, "%" + patient);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void execute(Map<String, String> database, String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(database)) {
            connection.createStatement().executeUpdate(sql);
        }
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/fhir+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(FhirServerTestBase.authorized(request).build(), HttpResponse.BodyHandlers.ofString());
    }
}
