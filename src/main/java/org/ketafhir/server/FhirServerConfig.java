package org.ketafhir.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The standard FHIR R4 server: JPA storage, subscriptions and the REST endpoint. */
@Configuration(proxyBeanMethods = false)
@Import({SchemaConfig.class, JpaStorageConfig.class, SubscriptionConfig.class, FhirRestfulServerConfig.class})
public class FhirServerConfig {

    /** Static, as every bean factory post-processor here: they are made before any configuration class is. */
    @Bean
    static EarlyFreeze earlyFreeze() {
        return new EarlyFreeze();
    }

    @Bean
    static LazyRepositories lazyRepositories() {
        return new LazyRepositories();
    }
}
