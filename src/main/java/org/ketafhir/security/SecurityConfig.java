package org.ketafhir.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Who may call the server and what is recorded: bearer tokens ({@link TokenSecurityConfig}, Spring Boot's resource
 * server), SMART scopes and discovery ({@link SmartConfig}), request limits ({@link RequestLimitsConfig}) and the
 * audit log ({@link AuditConfig}). Settings under {@code spring.security.oauth2.resourceserver.jwt} (the issuer) and
 * {@code ketafhir.security}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import({TokenSecurityConfig.class, SmartConfig.class, RequestLimitsConfig.class, AuditConfig.class})
public class SecurityConfig {
}
