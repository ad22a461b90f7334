package org.ketafhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * How SMART apps find the authorization server: {@code /.well-known/smart-configuration} (at the root and under
 * {@code /fhir}, SMART App Launch 2.x) and the CapabilityStatement's {@code rest.security}.
 */
final class SmartConfiguration {

    static final List<String> SCOPES = List.of("openid", "fhirUser", "launch", "launch/patient", "offline_access",
            "online_access", "patient/*.cruds", "patient/*.rs", "user/*.cruds", "user/*.rs", "system/*.cruds",
            "system/*.rs", "patient/*.read", "patient/*.write", "user/*.read", "user/*.write", "system/*.read",
            "system/*.write");

    private final SecurityProperties properties;
    private final TokenIssuer issuer;
    private final byte[] document;

    SmartConfiguration(SecurityProperties properties, TokenIssuer issuer) {
        this.properties = properties;
        this.issuer = issuer;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("issuer", issuer.issuerUri());
        if (!issuer.jwkSetUri().isEmpty()) {
            json.put("jwks_uri", issuer.jwkSetUri());
        }
        if (!properties.authorizationEndpoint().isBlank()) {
            json.put("authorization_endpoint", properties.authorizationEndpoint());
        }
        if (!properties.tokenEndpoint().isBlank()) {
            json.put("token_endpoint", properties.tokenEndpoint());
        }
        json.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        json.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
        json.put("scopes_supported", SCOPES);
        json.put("response_types_supported", List.of("code"));
        json.put("code_challenge_methods_supported", List.of("S256"));
        json.put("capabilities", List.of("launch-standalone", "client-public", "client-confidential-symmetric",
                "client-confidential-asymmetric", "context-standalone-patient", "permission-patient", "permission-user",
                "permission-v1", "permission-v2"));
        try {
            this.document = new ObjectMapper().writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the document at both well-known paths, without authentication. */
    OncePerRequestFilter wellKnownFilter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!"GET".equals(request.getMethod())) {
                    chain.doFilter(request, response);
                    return;
                }
                response.setStatus(200);
                response.setContentType("application/json");
                response.setHeader("Cache-Control", "max-age=3600");
                response.setContentLength(document.length);
                response.getOutputStream().write(document);
            }
        };
    }

    /** CapabilityStatement.rest.security: SMART-on-FHIR service and the oauth-uris extension. */
    Object capabilityStatementInterceptor() {
        return new CapabilityStatementSecurity();
    }

    @Interceptor
    final class CapabilityStatementSecurity {

        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void describeSecurity(IBaseConformance generated) {
            CapabilityStatementRestSecurityComponent security =
                    ((CapabilityStatement) generated).getRestFirstRep().getSecurity();
            security.setCors(!properties.corsAllowedOrigins().isEmpty());
            security.getService().clear();
            security.addService(new CodeableConcept().addCoding(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
            security.setDescription("OAuth 2.0 bearer tokens (SMART App Launch v1 and v2 scopes) issued by "
                    + issuer.issuerUri());
            Extension oauth = new Extension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
            if (!properties.authorizationEndpoint().isBlank()) {
                oauth.addExtension("authorize", new UriType(properties.authorizationEndpoint()));
            }
            if (!properties.tokenEndpoint().isBlank()) {
                oauth.addExtension("token", new UriType(properties.tokenEndpoint()));
            }
            if (oauth.hasExtension()) {
                security.addExtension(oauth);
            }
        }
    }
}
