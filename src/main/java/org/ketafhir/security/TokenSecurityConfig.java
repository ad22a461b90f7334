package org.ketafhir.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.ketafhir.server.OperationOutcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Bearer tokens: Spring Boot's OAuth 2.0 resource server checks them with the JWT decoder Boot builds from
 * {@code spring.security.oauth2.resourceserver.jwt.*} (keys fetched on the first token; issuer, expiry and audience
 * checked). This class only says which paths are public and how refusals look (401/403 with an OperationOutcome).
 * Without an issuer the server runs open, and only as the quick start on the loopback.
 */
@Configuration(proxyBeanMethods = false)
class TokenSecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(TokenSecurityConfig.class);

    /**
     * Reachable without a token: health probes, the server's description, SMART discovery, the report shells, and the
     * {@code $import} files the server fetches from itself (loopback only, random names: {@code LoopbackOnlyFilter}).
     */
    private static final List<String> PUBLIC_PATHS = List.of("/actuator/health", "/actuator/health/**",
            "/fhir/metadata", "/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration",
            "/fhir/api-docs", "/fhir/swagger-ui/**", "/bulk-import-files/**", "/report/**", "/webjars/**", "/error",
            "/favicon.ico");

    @Bean
    TokenIssuer tokenIssuer(OAuth2ResourceServerProperties resourceServer) {
        return TokenIssuer.of(resourceServer);
    }

    @Bean
    SecurityFilterChain fhirSecurity(HttpSecurity http, TokenIssuer issuer, SecurityProperties properties,
            Environment environment, ObjectProvider<JwtDecoder> decoder) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable());
        if (properties.corsAllowedOrigins().isEmpty()) {
            http.cors(cors -> cors.disable());
        } else {
            http.cors(cors -> cors.configurationSource(corsSource(properties.corsAllowedOrigins())));
        }
        if (!issuer.secured()) {
            refuseOpenServerOutsideQuickStart(environment);
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationEntryPoint unauthenticated = fhirEntryPoint();
        AccessDeniedHandler denied = fhirAccessDenied();
        AuthenticationFailureHandler failed = fhirAuthenticationFailure(unauthenticated);
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(publicPaths()).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.authenticationManager(keysUnavailableAsServiceError(decoder.getObject())))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <F extends BearerTokenAuthenticationFilter> F postProcess(F filter) {
                                filter.setAuthenticationFailureHandler(failed);
                                return filter;
                            }
                        }))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
        log.info("Bearer tokens required: issuer {}, keys {}", issuer.issuerUri(),
                issuer.jwkSetUri().isEmpty() ? "from the issuer's discovery document" : issuer.jwkSetUri());
        return http.build();
    }

    private static void refuseOpenServerOutsideQuickStart(Environment environment) {
        Optional<String> refusal = StartupPolicy.refusalForOpenServer(Arrays.asList(environment.getActiveProfiles()),
                environment.getProperty("spring.datasource.url"), environment.getProperty("server.address"));
        if (refusal.isPresent()) {
            throw new IllegalStateException("Refusing to start without authentication: " + refusal.get() + ". Set "
                    + TokenIssuer.KEY + "issuer-uri (and jwk-set-uri) to your authorization server; see README, Security.");
        }
        log.warn("""

                ********************************************************************************
                * NO AUTHENTICATION: no token issuer is set                                    *
                * (spring.security.oauth2.resourceserver.jwt.issuer-uri), so every request is  *
                * served without a token. The server listens on {} (loopback) only.      *
                * Quick-start use only; set an issuer before storing real patient data.        *
                ********************************************************************************""",
                environment.getProperty("server.address"));
    }

    private static RequestMatcher publicPaths() {
        List<RequestMatcher> matchers = new ArrayList<>();
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        PUBLIC_PATHS.forEach(path -> matchers.add(paths.matcher(path)));
        return new OrRequestMatcher(matchers);
    }

    /**
     * Spring's own JWT authentication over Boot's decoder, except that an issuer whose keys cannot be fetched (Boot's
     * issuer-only decoder fails to initialise with an exception Spring leaves unmapped) is a service failure, not a
     * server error.
     */
    static AuthenticationManager keysUnavailableAsServiceError(JwtDecoder decoder) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        return authentication -> {
            try {
                return provider.authenticate(authentication);
            } catch (JwtDecoderInitializationException e) {
                throw new AuthenticationServiceException(e.getMessage(), e);
            }
        };
    }

    /**
     * A refused token is 401 (the entry point). A token that could not be checked because the issuer's keys are not
     * available is 503 with {@code Retry-After}: the client did nothing wrong, and Spring would answer 500.
     */
    static AuthenticationFailureHandler fhirAuthenticationFailure(AuthenticationEntryPoint unauthenticated) {
        return (request, response, failure) -> {
            if (failure instanceof AuthenticationServiceException) {
                log.warn("A bearer token could not be checked: {}", failure.getMessage());
                response.setHeader("Retry-After", "30");
                OperationOutcomes.write(response, 503, IssueType.TRANSIENT, "The bearer token could not be checked: "
                        + "the token issuer's keys are not available. Try again later.");
                return;
            }
            unauthenticated.commence(request, response, failure);
        };
    }

    static AuthenticationEntryPoint fhirEntryPoint() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, failure) -> {
            bearer.commence(request, response, failure);
            String problem = request.getHeader("Authorization") == null
                    ? "Authentication required: send an OAuth 2.0 bearer token (SMART on FHIR)"
                    : "The bearer token was refused: " + failure.getMessage();
            OperationOutcomes.write(response, 401, IssueType.LOGIN, problem);
        };
    }

    private static AccessDeniedHandler fhirAccessDenied() {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (request, response, failure) -> {
            bearer.handle(request, response, failure);
            OperationOutcomes.write(response, 403, IssueType.FORBIDDEN, "Access denied: " + failure.getMessage());
        };
    }

    private static UrlBasedCorsConfigurationSource corsSource(List<String> origins) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "If-Match", "If-None-Match",
                "If-None-Exist", "If-Modified-Since", "Prefer", "X-Requested-With"));
        cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
