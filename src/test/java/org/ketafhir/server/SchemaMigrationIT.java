package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketafhir.testing.ServerProcess;
import org.ketafhir.testing.TestDatabase;

/**
 * The schema is HAPI's migrator's and Flyway's, not Hibernate's: a database this version created opens again with
 * both migrators' checks passing and nothing to do, keeps its data, and a database whose history shows a newer
 * release stops start-up with a message that says so, before anything is written.
 */
class SchemaMigrationIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void shouldReopenItsOwnDatabaseWithTheMigratorsChecksAndRefuseANewerSchema() throws Exception {
        Map<String, String> database = TestDatabase.fresh("schema");
        String patient;
        try (ServerProcess first = ServerProcess.start("schema-first", database)) {
            assertThat(first.log()).contains("HAPI FHIR migrated successfully")
                    .contains("Successfully applied 2 migrations");
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/Patient"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"gender\":\"female\"}")));
            assertThat(created.statusCode()).isEqualTo(201);
            patient = created.headers().firstValue("Location").orElseThrow().replaceAll("^.*/Patient/([^/]+)/.*$", "$1");
        }

        try (ServerProcess again = ServerProcess.start("schema-again", database)) {
            assertThat(again.log())
                    .doesNotContain("Initialize schema")
                    .contains("Database schema confirmed at expected version")
                    .contains("is up to date. No migration necessary");
            assertThat(send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/Patient/" + patient)).GET())
                    .statusCode()).isEqualTo(200);
        }

        recordHapiTask(database, "99.0.0.20990101.1");
        assertThat(ServerProcess.runToExit("schema-newer-hapi", database)).isNotZero();
        assertThat(ServerProcess.lastLog("schema-newer-hapi"))
                .contains("The database schema is newer than this server: HAPI FHIR tables at 99.0.0.20990101.1");

        deleteHapiTask(database, "99.0.0.20990101.1");
        recordKetaFhirMigration(database, "99");
        assertThat(ServerProcess.runToExit("schema-newer-ketafhir", database)).isNotZero();
        assertThat(ServerProcess.lastLog("schema-newer-ketafhir"))
                .contains("KetaFHIR's tables cannot be brought to this version's schema")
                .contains("applied migration not resolved locally: 99");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        TestDatabase.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A task of a later HAPI release, as its migrator records it. */
    private static void recordHapiTask(Map<String, String> database, String version) throws SQLException {
        try (Connection connection = TestDatabase.connect(database)) {
            String table = table(connection, "FLY_HFJ_MIGRATION");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"installed_on\", \"execution_time\", \"success\")"
                    + " VALUES ((SELECT MAX(\"installed_rank\") + 1 FROM " + table + "), ?, 'a later release',"
                    + " 'JDBC', 'HAPI FHIR', 0, 'test', CURRENT_DATE, 1, TRUE)")) {
                insert.setString(1, version);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private static void deleteHapiTask(Map<String, String> database, String version) throws SQLException {
        try (Connection connection = TestDatabase.connect(database);
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table(connection, "FLY_HFJ_MIGRATION") + " WHERE \"version\" = ?")) {
            delete.setString(1, version);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
    }

    /** A migration of KetaFHIR's own tables from a later release, as Flyway records it. */
    private static void recordKetaFhirMigration(Map<String, String> database, String version) throws SQLException {
        try (Connection connection = TestDatabase.connect(database); Statement statement = connection.createStatement()) {
            String table = table(connection, "KF_SCHEMA_HISTORY");
            assertThat(statement.executeUpdate("INSERT INTO " + table + " (\"installed_rank\", \"version\","
                    + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\","
                    + " \"success\") VALUES ((SELECT MAX(\"installed_rank\") + 1 FROM " + table + "), '" + version
                    + "', 'a later release', 'SQL', 'V" + version + "__later.sql', 1, 'test', 1, TRUE)")).isEqualTo(1);
        }
    }

    /** The table's name as the database holds it (quoted: H2 keeps it upper case, PostgreSQL may not). */
    private static String table(Connection connection, String name) throws SQLException {
        for (String candidate : new String[] {name, name.toLowerCase()}) {
            try (ResultSet tables = connection.getMetaData().getTables(null, null, candidate, null)) {
                if (tables.next()) {
                    return "\"" + candidate + "\"";
                }
            }
        }
        throw new IllegalStateException("No table " + name);
    }
}
