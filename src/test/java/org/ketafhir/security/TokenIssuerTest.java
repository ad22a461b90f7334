package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;

class TokenIssuerTest {

    private final OAuth2ResourceServerProperties properties = new OAuth2ResourceServerProperties();

    @Test
    void noIssuerShouldMeanTheOpenServer() {
        assertThat(TokenIssuer.of(properties).secured()).isFalse();
    }

    @Test
    void anIssuerShouldMeanTokensAreRequired() {
        properties.getJwt().setIssuerUri("https://keycloak.example.org/realms/clinic");
        properties.getJwt().setJwkSetUri("https://keycloak.example.org/realms/clinic/protocol/openid-connect/certs");

        TokenIssuer issuer = TokenIssuer.of(properties);

        assertThat(issuer.secured()).isTrue();
        assertThat(issuer.issuerUri()).isEqualTo("https://keycloak.example.org/realms/clinic");
        assertThat(issuer.jwkSetUri()).endsWith("/certs");
    }

    @Test
    void anUnknownAlgorithmShouldStopStartUpNamingTheKeyAndTheValue() {
        properties.getJwt().setIssuerUri("https://keycloak.example.org/realms/clinic");
        properties.getJwt().setJwsAlgorithms(List.of("RS256", "RS257"));

        assertThatThrownBy(() -> TokenIssuer.of(properties))
                .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.jws-algorithms")
                .hasMessageContaining("'RS257'");
    }

    @Test
    void noAlgorithmShouldStopStartUp() {
        properties.getJwt().setJwsAlgorithms(List.of());

        assertThatThrownBy(() -> TokenIssuer.of(properties)).hasMessageContaining("jws-algorithms must name");
    }

    @Test
    void keysWithoutAnIssuerShouldStopStartUpNamingBothKeys() {
        properties.getJwt().setJwkSetUri("https://keycloak.example.org/realms/clinic/protocol/openid-connect/certs");

        assertThatThrownBy(() -> TokenIssuer.of(properties))
                .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri must be set with")
                .hasMessageContaining("jwk-set-uri");
    }
}
