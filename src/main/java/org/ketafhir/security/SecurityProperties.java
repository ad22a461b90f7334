package org.ketafhir.security;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Authorization, audit and input limits, bound from {@code ketafhir.security.*}.
 *
 * @param issuerUri             the OAuth 2.0 / OpenID Connect issuer whose tokens are accepted (the {@code iss} claim);
 *                              blank runs the server open, without authentication (loopback only, never with
 *                              the prod profile or PostgreSQL)
 * @param jwkSetUri             where the issuer's signing keys are (fetched on the first token, then cached); blank
 *                              means discovered from {@code <issuer>/.well-known/openid-configuration} on first use
 * @param audience              when set, tokens must name it in {@code aud}
 * @param algorithms            the JWS signature algorithms accepted ("none" is never accepted)
 * @param authorizationEndpoint the authorization server's endpoints, published in
 * @param tokenEndpoint         {@code /.well-known/smart-configuration} and the CapabilityStatement for SMART apps
 * @param corsAllowedOrigins    origins allowed to call the API from a browser; empty means no CORS
 * @param maxRequestSize        the largest request body accepted; larger is refused with 413
 * @param maxIncludes           the most resources {@code _include} / {@code _revinclude} add to one page
 * @param audit                 whether AuditEvents are recorded
 * @param auditRetentionDays    audit log entries older than this many days are deleted; 0 keeps them for ever
 */
@Validated
@ConfigurationProperties("ketafhir.security")
public record SecurityProperties(
        @DefaultValue("") String issuerUri,
        @DefaultValue("") String jwkSetUri,
        @DefaultValue("") String audience,
        @DefaultValue({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"})
        @NotEmpty List<String> algorithms,
        @DefaultValue("") String authorizationEndpoint,
        @DefaultValue("") String tokenEndpoint,
        @DefaultValue({}) List<String> corsAllowedOrigins,
        @DefaultValue("20MB") DataSize maxRequestSize,
        @DefaultValue("1000") @Positive @Max(100_000) int maxIncludes,
        @DefaultValue("true") boolean audit,
        @DefaultValue("0") @Min(value = 0, message = "ketafhir.security.audit-retention-days must be 0 (keep for ever) or more") int auditRetentionDays) {

    public boolean secured() {
        return !issuerUri.isBlank();
    }
}
