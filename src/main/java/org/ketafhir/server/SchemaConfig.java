package org.ketafhir.server;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database schema is versioned, not left to Hibernate: Spring Boot runs the {@link SchemaMigration} before the
 * entity manager starts (Flyway's settings are {@code spring.flyway.*} in {@code config/application.yaml}).
 */
@Configuration(proxyBeanMethods = false)
class SchemaConfig {

    @Bean
    FlywayMigrationStrategy schemaMigration(DataSource dataSource) {
        return new SchemaMigration(dataSource);
    }

    /**
     * Flyway ignores migrations recorded in the database that this server does not have ("future") by default;
     * here they fail its validation, so a server never starts on tables a newer release has changed.
     */
    @Bean
    FlywayConfigurationCustomizer refuseNewerSchema() {
        return configuration -> configuration.ignoreMigrationPatterns(new String[0]);
    }
}
