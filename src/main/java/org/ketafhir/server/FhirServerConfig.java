package org.ketafhir.server;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The standard FHIR R4 server: JPA storage, subscriptions and the REST endpoint. */
@Configuration(proxyBeanMethods = false)
@Import({SchemaConfig.class, JpaStorageConfig.class, SubscriptionConfig.class, FhirRestfulServerConfig.class})
public class FhirServerConfig {}
