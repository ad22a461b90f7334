package org.ketafhir.server;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * A capability's contribution to the FHIR endpoint: its operation providers and interceptors. Each
 * capability package declares one as a bean; the server applies them in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server);
}
