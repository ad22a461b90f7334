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
 * default, or a fresh schema in the local PostgreSQL when the build runs with {@code -Ppostgres} (which sets
 * the system property {@code ketafhir.it.database=postgres}).
 */
public final class TestDatabase {

    private static final String POSTGRES_URL = System.getProperty(
            "ketafhir.it.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String POSTGRES_USER = System.getProperty("ketafhir.it.postgres-user", "postgres");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Set<String> prepared = ConcurrentHashMap.newKeySet();

    private TestDatabase() {}

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("ketafhir.it.database", "h2"));
    }

    /**
     * Spring properties that point a server at a new, empty database called {@code name} (created now). Two
     * calls with the same name within one test run return the same database.
     */
    public static Map<String, String> fresh(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (isPostgres()) {
            String schema = "ketafhir_it_" + name;
            recreateSchemaOnce(schema);
            properties.put("spring.datasource.url", POSTGRES_URL + "?currentSchema=" + schema);
            properties.put("spring.datasource.username", POSTGRES_USER);
            properties.put("spring.datasource.password", "");
            properties.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
            properties.put("spring.jpa.properties.hibernate.dialect",
                    "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
            properties.put("spring.jpa.properties.hibernate.default_schema", schema);
        } else {
            Path file = Path.of("target", "it-data", RUN, name, "ketafhir").toAbsolutePath();
            properties.put("spring.datasource.url",
                    "jdbc:h2:file:" + file + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");
        }
        return properties;
    }

    private static void recreateSchemaOnce(String schema) {
        if (!prepared.add(schema)) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare PostgreSQL schema " + schema + " at " + POSTGRES_URL
                    + " (is PostgreSQL running? see .ci/run)", e);
        }
    }
}
