package org.ketafhir.outcomes.report;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The clinician report pages: {@code /report/patient/{id}} and {@code /report/cohort}.
 *
 * <p>Each page is a static HTML shell under {@code static/report/} that carries no patient data: its script reads
 * the outcome summary from the FHIR API with the caller's own token, so the pages need no access rules of their own.
 * The chart library is the echarts WebJar, served by the application under {@code /webjars/}.
 */
@Configuration(proxyBeanMethods = false)
public class ReportConfig {

    /** A FHIR id (letters, digits, '-' and '.'); anything else is not a report page (404). */
    private static final String FHIR_ID = "{id:[A-Za-z0-9\\-.]+}";

    /**
     * The pages' scripts and styles come from this server only and no inline script runs: a value that slipped
     * past the pages' escaping still could not execute. Inline styles are allowed because echarts sets them.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    WebMvcConfigurer reportPages() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addViewController("/report/patient/" + FHIR_ID).setViewName("forward:/report/patient.html");
                registry.addViewController("/report/cohort").setViewName("forward:/report/cohort.html");
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> reportSecurityHeaders() {
        Filter headers = (request, response, chain) -> {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            http.setHeader("X-Content-Type-Options", "nosniff");
            // the page URL names a patient: never send it to another site
            http.setHeader("Referrer-Policy", "no-referrer");
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(headers);
        registration.addUrlPatterns("/report/*");
        registration.setName("reportSecurityHeaders");
        return registration;
    }
}
