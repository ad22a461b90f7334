package org.ketafhir.security;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.ketafhir.server.OperationOutcomes;
import org.ketafhir.server.FhirServerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call the server and what is recorded: SMART on FHIR bearer tokens (Spring Security's OAuth 2.0 resource
 * server, then {@link SmartAuthorizationInterceptor} for scopes), the AuditEvent trail (HAPI's BALP interceptor
 * and {@link OperationAuditInterceptor}, appended to the audit log: {@link AuditConfig}), and limits on what a request may
 * carry. Settings under {@code ketafhir.security}; without an issuer the server runs open, on the loopback only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import(AuditConfig.class)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /**
     * Reachable without a token: health probes, the server's description, SMART discovery, the report shells, and the
     * {@code $import} files the server fetches from itself (loopback only, random names: {@code LoopbackOnlyFilter}).
     */
    private static final List<String> PUBLIC_PATHS = List.of("/actuator/health", "/actuator/health/**",
            "/fhir/metadata", "/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration",
            "/fhir/api-docs", "/fhir/swagger-ui/**", "/bulk-import-files/**", "/report/**", "/webjars/**", "/error", "/favicon.ico");

    @Bean
    SecurityFilterChain fhirSecurity(HttpSecurity http, SecurityProperties properties, Environment environment)
            throws Exception {
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
        if (!properties.secured()) {
            refuseOpenServerOutsideQuickStart(environment);
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationEntryPoint unauthenticated = fhirEntryPoint();
        AccessDeniedHandler denied = fhirAccessDenied();
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(publicPaths()).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.decoder(jwtDecoder(properties)))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
        log.info("Bearer tokens required: issuer {}, keys {}", properties.issuerUri(),
                properties.jwkSetUri().isBlank() ? "from the issuer's discovery document" : properties.jwkSetUri());
        return http.build();
    }

    /** Bodies above the limit are refused before Spring Security or HAPI read them. */
    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(SecurityProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.maxRequestSize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    SmartConfiguration smartConfiguration(SecurityProperties properties) {
        return new SmartConfiguration(properties);
    }

    /** {@code /.well-known/smart-configuration}: only when tokens are used (404 on the open server, as SMART says). */
    @Bean
    FilterRegistrationBean<?> smartConfigurationEndpoint(SmartConfiguration smart, SecurityProperties properties) {
        FilterRegistrationBean<?> registration = new FilterRegistrationBean<>(smart.wellKnownFilter());
        registration.addUrlPatterns("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        registration.setEnabled(properties.secured());
        return registration;
    }

    @Bean
    FhirServerCustomizer securityEndpoint(SecurityProperties properties, DaoRegistry daos, JpaStorageSettings storage,
            SmartConfiguration smart) {
        return server -> {
            storage.setMaximumIncludesToLoadPerPage(properties.maxIncludes());
            server.registerInterceptor(new XmlDoctypeGuard());
            if (properties.secured()) {
                server.registerInterceptor(smart.capabilityStatementInterceptor());
                server.registerInterceptor(new PatientSearchNarrowing());
                server.registerInterceptor(new SmartAuthorizationInterceptor(daos));
            }
        };
    }

    private static void refuseOpenServerOutsideQuickStart(Environment environment) {
        Optional<String> refusal = StartupPolicy.refusalForOpenServer(Arrays.asList(environment.getActiveProfiles()),
                environment.getProperty("spring.datasource.url"), environment.getProperty("server.address"));
        if (refusal.isPresent()) {
            throw new IllegalStateException("Refusing to start without authentication: " + refusal.get()
                    + ". Set ketafhir.security.issuer-uri (and jwk-set-uri) to your authorization server; see README, Security.");
        }
        log.warn("""

                ********************************************************************************
                * NO AUTHENTICATION: ketafhir.security.issuer-uri is not set, so every request *
                * is served without a token. The server listens on {} (loopback) only.   *
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

    static JwtDecoder jwtDecoder(SecurityProperties properties) {
        return new LazyJwtDecoder(() -> {
            NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = properties.jwkSetUri().isBlank()
                    ? NimbusJwtDecoder.withIssuerLocation(properties.issuerUri())
                    : NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri());
            builder.jwsAlgorithms(algorithms -> properties.algorithms().forEach(name -> {
                SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
                if (algorithm == null) {
                    throw new IllegalArgumentException("ketafhir.security.algorithms: unknown algorithm " + name);
                }
                algorithms.add(algorithm);
            }));
            NimbusJwtDecoder decoder = builder.build();
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
            validators.add(JwtValidators.createDefaultWithIssuer(properties.issuerUri()));
            if (!properties.audience().isBlank()) {
                validators.add(new JwtClaimValidator<List<String>>("aud",
                        audience -> audience != null && audience.contains(properties.audience())));
            }
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            return decoder;
        });
    }

    private static AuthenticationEntryPoint fhirEntryPoint() {
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
