package org.ketafhir.scoring;

import org.ketafhir.ig.GuidePackage;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;

/**
 * Instrument scoring in the server: the catalog built once from the guide's Questionnaires, the storage hooks that
 * turn stored responses into outcome-score Observations and safety signals, and {@code QuestionnaireResponse/$extract}.
 * Off with {@code ketafhir.scoring.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ketafhir.scoring", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(ScoringSettingsConfig.class)
public class ScoringConfig {

    /** Parsed once at start-up: an inconsistent instrument in the guide stops the server here. */
    @Bean
    InstrumentCatalog instrumentCatalog(GuidePackage guide) {
        return InstrumentCatalog.fromGuide(guide);
    }

    @Bean
    ScoringProcessor scoringProcessor(InstrumentCatalog catalog, FhirContext fhirContext) {
        return new ScoringProcessor(catalog, fhirContext);
    }

    @Bean
    DerivedResourceStore derivedResourceStore(DaoRegistry daos, FhirContext fhirContext) {
        return new DerivedResourceStore(daos, fhirContext);
    }

    @Bean
    InstrumentResolver instrumentResolver(InstrumentCatalog catalog, DerivedResourceStore store) {
        return new InstrumentResolver(catalog, store);
    }

    @Bean
    ResponseScorer responseScorer(InstrumentResolver resolver, ScoringProcessor processor) {
        return new ResponseScorer(resolver, processor, new ScoreObservationFactory(), new SafetySignalFactory());
    }

    /**
     * On HAPI's JPA interceptor service, not on the RestfulServer: storage hooks there fire once per stored resource
     * (the REST server's interceptors are called as well for requests, so registering on both would score twice).
     */
    @Bean
    ScoringStorageInterceptor scoringStorageInterceptor(
            ResponseScorer scorer,
            DerivedResourceStore store,
            InstrumentResolver resolver,
            ScoringProperties properties,
            IInterceptorService jpaInterceptors) {
        ScoringStorageInterceptor interceptor = new ScoringStorageInterceptor(scorer, store, resolver, properties);
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    FhirServerCustomizer scoringOperations(ResponseScorer scorer, DaoRegistry daos) {
        QuestionnaireResponseExtractProvider extract = new QuestionnaireResponseExtractProvider(scorer, daos);
        return server -> server.registerProvider(extract);
    }
}
