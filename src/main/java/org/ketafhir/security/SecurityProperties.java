package org.ketafhir.security;

import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the server adds to Spring Boot's resource server ({@code spring.security.oauth2.resourceserver.jwt.*}: issuer,
 * keys, algorithms, audiences): SMART discovery, CORS, input limits and audit, bound from {@code ketafhir.security.*}.
 *
 * @param authorizationEndpoint the authorization server's endpoints, published in
 * @param tokenEndpoint         {@code /.well-known/smart-configuration} and the CapabilityStatement for SMART apps
 * @param corsAllowedOrigins    origins allowed to call the API from a browser; empty means no CORS
 * @param maxRequestSize        the largest request body accepted; larger is refused with 413
 * @param audit                 whether AuditEvents are recorded
 * @param auditRetentionDays    audit log entries older than this many days are deleted; 0 keeps them for ever
 */
@Validated
@ConfigurationProperties("ketafhir.security")
public record SecurityProperties(
        @DefaultValue("") String authorizationEndpoint,
        @DefaultValue("") String tokenEndpoint,
        @DefaultValue({}) List<String> corsAllowedOrigins,
        @DefaultValue("20MB") DataSize maxRequestSize,
        @DefaultValue("true") boolean audit,
        @DefaultValue("0") @Min(value = 0, message = "ketafhir.security.audit-retention-days must be 0 (keep for ever) or more") int auditRetentionDays) {
}
