package org.ketafhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail: HAPI's BALP interceptor and {@link OperationAuditInterceptor} record an AuditEvent for every
 * request, {@link ImportAuditInterceptor} for every resource a {@code $import} stores, {@link AuditLogWriter} appends it to the {@link AuditLog} (its own tables, in the request's own database
 * transaction), and {@link AuditEventLogProvider} serves the log as {@code AuditEvent} on the FHIR API in place of
 * HAPI's resource storage.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfig {

    @Bean
    @DependsOnDatabaseInitialization
    AuditLog auditLog(DataSource dataSource) {
        return new AuditLog(new JdbcTemplate(dataSource));
    }

    @Bean
    AuditLogWriter auditLogWriter(AuditLog log, FhirContext fhir, PlatformTransactionManager transactions) {
        return new AuditLogWriter(log, fhir, transactions);
    }

    @Bean
    AuditLogImport auditLogImport(AuditLog log, DaoRegistry daos, FhirContext fhir, PlatformTransactionManager transactions) {
        return new AuditLogImport(log, daos.getResourceDao(AuditEvent.class), fhir, new TransactionTemplate(transactions));
    }

    @Bean(destroyMethod = "close")
    AuditRetention auditRetention(AuditLog log, SecurityProperties properties) {
        return new AuditRetention(log, Duration.ofDays(properties.auditRetentionDays()), Clock.systemUTC());
    }

    /** Clients cannot write AuditEvents into HAPI's storage, directly or inside a transaction. */
    @Bean
    AuditEventGuard auditEventGuard(IInterceptorService jpaInterceptors) {
        AuditEventGuard guard = new AuditEventGuard();
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }

    /** Each resource a Bulk Data $import stores: the job writes where the REST interceptors below do not see it. */
    @Bean
    ImportAuditInterceptor importAuditInterceptor(AuditLogWriter writer, FhirContext fhir, SecurityProperties properties,
            IInterceptorService jpaInterceptors) {
        ImportAuditInterceptor interceptor = new ImportAuditInterceptor(writer, fhir);
        if (properties.audit()) {
            jpaInterceptors.registerInterceptor(interceptor);
        }
        return interceptor;
    }

    @Bean
    FhirServerCustomizer auditEndpoint(AuditLog log, AuditLogWriter writer, FhirContext fhir, SecurityProperties properties,
            TokenIssuer issuer) {
        return server -> {
            List<IResourceProvider> stored = server.getResourceProviders().stream()
                    .filter(provider -> provider.getResourceType() == AuditEvent.class).toList();
            stored.forEach(server::unregisterProvider);
            server.registerProvider(new AuditEventLogProvider(log, writer, fhir));
            if (properties.audit()) {
                AuditContextServices context = new AuditContextServices(issuer.issuerUri());
                server.registerInterceptor(new BalpAuditCaptureInterceptor(writer, context));
                server.registerInterceptor(new OperationAuditInterceptor(writer, context));
            }
        };
    }
}
