package org.ketafhir.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * SMART on FHIR over the checked token: discovery ({@code /.well-known/smart-configuration}, the CapabilityStatement's
 * security), scopes turned into HAPI authorization rules, and patient-context searches narrowed. Only with an issuer.
 */
@Configuration(proxyBeanMethods = false)
class SmartConfig {

    @Bean
    SmartConfiguration smartConfiguration(SecurityProperties properties, TokenIssuer issuer) {
        return new SmartConfiguration(properties, issuer);
    }

    /** {@code /.well-known/smart-configuration}: only when tokens are used (404 on the open server, as SMART says). */
    @Bean
    FilterRegistrationBean<?> smartConfigurationEndpoint(SmartConfiguration smart, TokenIssuer issuer) {
        FilterRegistrationBean<?> registration = new FilterRegistrationBean<>(smart.wellKnownFilter());
        registration.addUrlPatterns("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        registration.setEnabled(issuer.secured());
        return registration;
    }

    @Bean
    FhirServerCustomizer smartScopes(TokenIssuer issuer, DaoRegistry daos, SmartConfiguration smart) {
        return server -> {
            if (issuer.secured()) {
                server.registerInterceptor(smart.capabilityStatementInterceptor());
                server.registerInterceptor(new PatientSearchNarrowing());
                server.registerInterceptor(new SmartAuthorizationInterceptor(daos));
            }
        };
    }
}
