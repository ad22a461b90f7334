package org.ketafhir.dosing;

import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;

/**
 * Dosing rules on every stored ketamine or esketamine session (see {@link DosingRules}); thresholds under
 * {@code ketafhir.dosing}. Off with {@code ketafhir.dosing.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ketafhir.dosing", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DosingProperties.class)
public class DosingConfig {

    @Bean
    DosingSessions dosingSessions(FhirContext fhirContext) {
        return new DosingSessions(MedicationCodes.fromGuide(fhirContext));
    }

    @Bean
    DosingRecords dosingRecords(DaoRegistry daos, DosingProperties properties, DosingSessions sessions,
            FhirContext fhirContext) {
        return new DosingRecords(daos, properties, sessions, ReadingCodes.fromGuide(fhirContext));
    }

    /** On HAPI's JPA interceptor service: storage hooks there fire once per stored resource, transactions included. */
    @Bean
    DosingStorageInterceptor dosingStorageInterceptor(
            DosingProperties properties, DosingSessions sessions, DosingRecords records, IInterceptorService jpaInterceptors) {
        DosingStorageInterceptor interceptor = new DosingStorageInterceptor(new DosingRules(properties), sessions, records);
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** Warnings returned in OperationOutcome responses, and {@code MedicationAdministration/[id]/$rems-record}. */
    @Bean
    FhirServerCustomizer dosingEndpoint(DosingProperties properties, DosingSessions sessions, DosingRecords records) {
        DosingWarningsInterceptor warnings = new DosingWarningsInterceptor();
        RemsRecordProvider rems = new RemsRecordProvider(sessions, records, new RemsRecord(properties));
        return server -> {
            server.registerInterceptor(warnings);
            server.registerProvider(rems);
        };
    }
}
