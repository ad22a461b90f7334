package org.ketafhir.server;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrationStorageSvc;
import ca.uhn.fhir.jpa.migrate.MigrationTaskList;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.dao.HapiMigrationDao;
import ca.uhn.fhir.jpa.migrate.taskdef.BaseTask;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;

/**
 * Brings the database schema to the one this server was built for, before Hibernate or any request uses it: HAPI's
 * tables by HAPI's own migrator (the task list the HAPI CLI's {@code migrate-database} runs, recorded in
 * {@code FLY_HFJ_MIGRATION}), then KetaFHIR's tables by Flyway ({@code db/ketafhir/V*.sql}, recorded in
 * {@code KF_SCHEMA_HISTORY}). A schema that either history shows to be newer than this server knows stops start-up:
 * an older server must not write into a newer release's tables.
 */
final class SchemaMigration implements FlywayMigrationStrategy {

    static final String HAPI_HISTORY = SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME;

    private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

    private final DataSource dataSource;

    SchemaMigration(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void migrate(Flyway flyway) {
        migrateHapiTables();
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("KetaFHIR's tables cannot be brought to this version's schema: "
                    + e.getMessage(), e);
        }
    }

    private void migrateHapiTables() {
        DriverTypeEnum driver = driverType();
        MigrationTaskList tasks = new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values());
        HapiMigrationStorageSvc history = new HapiMigrationStorageSvc(new HapiMigrationDao(dataSource, driver, HAPI_HISTORY));
        boolean earlierRelease = hasTable("HFJ_RESOURCE") && !hasTable(HAPI_HISTORY);
        history.createMigrationTableIfRequired();
        refuseNewerSchema(history, tasks);
        if (earlierRelease) {
            // Releases before schema migrations let Hibernate create HAPI 8.8.0's tables from the same entities
            // HAPI's own schema file is made from: that schema is current, so every task is recorded, none is run.
            log.info("Database created by an earlier KetaFHIR release: recording HAPI's schema as current");
            tasks.setDoNothingOnSkippedTasks(versions(tasks));
        }
        SchemaMigrator migrator = new SchemaMigrator("HAPI FHIR", HAPI_HISTORY, dataSource, new Properties(), tasks, history);
        migrator.setDriverType(driver);
        migrator.migrate();
        migrator.validate();
    }

    private static void refuseNewerSchema(HapiMigrationStorageSvc history, MigrationTaskList tasks) {
        String applied = history.getLatestAppliedVersion();
        String known = tasks.getLastVersion();
        if (!HapiMigrationStorageSvc.UNKNOWN_VERSION.equals(applied)
                && MigrationVersion.fromVersion(applied).isNewerThan(known)) {
            throw new IllegalStateException("The database schema is newer than this server: HAPI FHIR tables at "
                    + applied + ", this server knows up to " + known
                    + ". Start the KetaFHIR release that last migrated this database, or a newer one.");
        }
    }

    private static String versions(MigrationTaskList tasks) {
        return StreamSupport.stream(tasks.spliterator(), false)
                .map(BaseTask::getMigrationVersion)
                .collect(Collectors.joining(","));
    }

    private DriverTypeEnum driverType() {
        String url = withConnection(connection -> connection.getMetaData().getURL());
        if (url.startsWith("jdbc:h2:")) {
            return DriverTypeEnum.H2_EMBEDDED;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return DriverTypeEnum.POSTGRES_9_4;
        }
        throw new IllegalStateException("spring.datasource.url: KetaFHIR runs on H2 and PostgreSQL, not on "
                + url.substring(0, Math.min(url.length(), url.indexOf(':', 5) + 1)));
    }

    private boolean hasTable(String name) {
        return withConnection(connection -> {
            for (String candidate : new String[] {name, name.toLowerCase()}) {
                try (ResultSet tables = connection.getMetaData()
                        .getTables(connection.getCatalog(), connection.getSchema(), candidate, new String[] {"TABLE"})) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private <T> T withConnection(ConnectionQuery<T> query) {
        try (Connection connection = dataSource.getConnection()) {
            return query.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("The database cannot be read: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface ConnectionQuery<T> {
        T apply(Connection connection) throws SQLException;
    }
}
