package org.ketafhir.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The validated bearer token of the request being served. Spring Security's filter checks the token before the
 * FHIR servlet runs, on the same thread, so HAPI interceptors find it in the security context.
 */
final class Caller {

    static final String ANONYMOUS = "anonymous";

    private Caller() {}

    static Optional<Jwt> token() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken jwt ? Optional.of(jwt.getToken()) : Optional.empty();
    }

    static SmartScopes scopes() {
        return token().map(Caller::scopes).orElseGet(() -> SmartScopes.parse(""));
    }

    static SmartScopes scopes(Jwt jwt) {
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            return SmartScopes.parse(text);
        }
        Object scp = jwt.getClaims().get("scp");
        if (scp instanceof java.util.Collection<?> list) {
            return SmartScopes.parse(list.stream().map(String::valueOf).toList());
        }
        return SmartScopes.parse(scp instanceof String text ? text : "");
    }

    /** The launch patient ({@code patient} claim), if the token has one. */
    static Optional<String> patient(Jwt jwt) {
        return Optional.ofNullable(jwt.getClaimAsString("patient")).filter(id -> !id.isBlank());
    }

    /** The end user: the token subject, else its client, else "anonymous" (the open quick-start). */
    static String user() {
        return token().map(jwt -> firstNonBlank(jwt.getSubject(), client(jwt))).orElse(ANONYMOUS);
    }

    /** The client application: {@code client_id}, {@code azp} (OpenID Connect, Keycloak) or "anonymous". */
    static String client() {
        return token().map(Caller::client).orElse(ANONYMOUS);
    }

    private static String client(Jwt jwt) {
        return firstNonBlank(jwt.getClaimAsString("client_id"), jwt.getClaimAsString("azp"));
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : ANONYMOUS;
    }
}
