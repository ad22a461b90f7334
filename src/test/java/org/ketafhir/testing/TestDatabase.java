package org.ketafhir.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database the integration tests run against: a fresh H2 file database under {@code target/it-data/} by
 * default, or a fresh database in the local PostgreSQL when the build runs with {@code -Ppostgres} (which sets
 * the system property {@code ketafhir.it.database=postgres}). PostgreSQL gets a database per name rather than a
 * schema per name, so each server's tables, sequences and migration histories are wholly its own, as an operator's
 * database would be. On PostgreSQL the server requires bearer
 * tokens, so the properties include the test issuer ({@link TestTokens}) and test clients send
 * {@link #authorizationHeader()}.
 */
public final class TestDatabase {

    private static final String POSTGRES_SERVER = System.getProperty(
            "ketafhir.it.postgres-server", "jdbc:postgresql://127.0.0.1:5432/");
    /** The database the tests connect to for creating and dropping their own. */
    private static final String POSTGRES_ADMIN_DATABASE = "test";
    private static final String POSTGRES_USER = System.getProperty("ketafhir.it.postgres-user", "postgres");
    /** Prefix of the databases created; set it to run two builds against one PostgreSQL at the same time. */
    private static final String POSTGRES_PREFIX = System.getProperty("ketafhir.it.postgres-prefix", "ketafhir_it_");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Set<String> prepared = ConcurrentHashMap.newKeySet();

    private TestDatabase() {}

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("ketafhir.it.database", "h2"));
    }

    /** The Authorization header value test clients send: a full-access token on PostgreSQL, none on H2. */
    public static java.util.Optional<String> authorizationHeader() {
        return isPostgres() ? java.util.Optional.of("Bearer " + TestTokens.fullAccess()) : java.util.Optional.empty();
    }

    /**
     * Spring properties that point a server at a new, empty database called {@code name} (created now). Two
     * calls with the same name within one test run return the same database.
     */
    public static Map<String, String> fresh(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (isPostgres()) {
            String database = POSTGRES_PREFIX + name;
            recreateDatabaseOnce(database);
            properties.put("spring.datasource.url", POSTGRES_SERVER + database);
            properties.put("spring.datasource.username", POSTGRES_USER);
            properties.put("spring.datasource.password", "");
            properties.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
            properties.put("spring.jpa.properties.hibernate.dialect",
                    "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
            // The server refuses to run on PostgreSQL without authentication: it trusts the test issuer.
            properties.putAll(TestTokens.serverProperties());
        } else {
            Path file = Path.of("target", "it-data", RUN, name, "ketafhir").toAbsolutePath();
            properties.put("spring.datasource.url",
                    "jdbc:h2:file:" + file + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");
        }
        return properties;
    }

    /** A JDBC connection to the database of {@link #fresh} properties, for a test that reads or changes it directly. */
    public static Connection connect(Map<String, String> properties) throws SQLException {
        return DriverManager.getConnection(properties.get("spring.datasource.url"),
                properties.getOrDefault("spring.datasource.username", "sa"),
                properties.getOrDefault("spring.datasource.password", ""));
    }

    private static void recreateDatabaseOnce(String database) {
        if (!prepared.add(database)) {
            return;
        }
        String admin = POSTGRES_SERVER + POSTGRES_ADMIN_DATABASE;
        try (Connection connection = DriverManager.getConnection(admin, POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare PostgreSQL database " + database + " through " + admin
                    + " (is PostgreSQL running? see .ci/run)", e);
        }
    }
}
