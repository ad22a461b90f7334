package org.ketafhir.security;

import org.ketafhir.server.FhirServerCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** What a request may carry: a body size limit before anything reads it, and no XML document type declarations. */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfig {

    /** Bodies above the limit are refused before Spring Security or HAPI read them. */
    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(SecurityProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.maxRequestSize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FhirServerCustomizer xmlDoctypeGuard() {
        return server -> server.registerInterceptor(new XmlDoctypeGuard());
    }
}
