package org.ketafhir.security;

import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

/**
 * The authorization server whose tokens are accepted, as Spring Boot's resource server is configured
 * ({@code spring.security.oauth2.resourceserver.jwt.*}): Boot builds the JWT decoder from the same settings. No
 * issuer means the open quick-start server.
 *
 * @param issuerUri the {@code iss} of accepted tokens; blank = no authentication
 * @param jwkSetUri where the issuer's keys are; blank = found through the issuer's discovery document on first use
 */
record TokenIssuer(String issuerUri, String jwkSetUri) {

    static final String KEY = "spring.security.oauth2.resourceserver.jwt.";

    TokenIssuer {
        issuerUri = issuerUri == null ? "" : issuerUri.trim();
        jwkSetUri = jwkSetUri == null ? "" : jwkSetUri.trim();
    }

    /**
     * Reads Boot's settings and refuses, naming the key, those Boot would accept but get wrong: an unknown signature
     * algorithm (Boot would add it as null and fail at the first token or with a bare exception), keys without an
     * issuer (tokens would be checked for a signature but not for who issued them).
     */
    static TokenIssuer of(OAuth2ResourceServerProperties properties) {
        OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
        problem(jwt).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return new TokenIssuer(jwt.getIssuerUri(), jwt.getJwkSetUri());
    }

    static Optional<String> problem(OAuth2ResourceServerProperties.Jwt jwt) {
        List<String> algorithms = jwt.getJwsAlgorithms();
        if (algorithms == null || algorithms.isEmpty()) {
            return Optional.of(KEY + "jws-algorithms must name at least one algorithm, e.g. RS256");
        }
        for (String name : algorithms) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.from(name == null ? "" : name.trim());
            if (algorithm == null) {
                return Optional.of(KEY + "jws-algorithms: unknown algorithm '" + name
                        + "' (one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512)");
            }
        }
        boolean keys = hasText(jwt.getJwkSetUri()) || jwt.getPublicKeyLocation() != null;
        if (keys && !hasText(jwt.getIssuerUri())) {
            return Optional.of(KEY + "issuer-uri must be set with " + KEY
                    + (hasText(jwt.getJwkSetUri()) ? "jwk-set-uri" : "public-key-location")
                    + ": the server checks who issued a token, not only its signature");
        }
        return Optional.empty();
    }

    boolean secured() {
        return !issuerUri.isEmpty();
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
