package org.ketafhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/** How a token that cannot be checked is answered: the issuer's keys out of reach is 503, a bad token 401. */
class TokenFailuresTest {

    private final AuthenticationFailureHandler failures =
            TokenSecurityConfig.fhirAuthenticationFailure(TokenSecurityConfig.fhirEntryPoint());

    @Test
    void anIssuerWhoseDiscoveryFailsShouldBeAServiceFailureNotAServerError() {
        var manager = TokenSecurityConfig.keysUnavailableAsServiceError(token -> {
            throw new JwtDecoderInitializationException("Failed to lazily resolve the supplied JwtDecoder instance",
                    new IllegalStateException("Connection refused"));
        });

        assertThatThrownBy(() -> manager.authenticate(new BearerTokenAuthenticationToken("a.b.c")))
                .isInstanceOf(AuthenticationServiceException.class);
    }

    @Test
    void aBadTokenShouldStayARefusedToken() {
        var manager = TokenSecurityConfig.keysUnavailableAsServiceError(token -> {
            throw new BadJwtException("Signed JWT rejected: Invalid signature");
        });

        assertThatThrownBy(() -> manager.authenticate(new BearerTokenAuthenticationToken("a.b.c")))
                .isInstanceOf(InvalidBearerTokenException.class);
    }

    @Test
    void keysOutOfReachShouldBeAnswered503WithRetryAfterAndAnOperationOutcome() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        failures.onAuthenticationFailure(bearerRequest(), response,
                new AuthenticationServiceException("Couldn't retrieve remote JWK set: Connection refused"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getContentAsString()).contains("\"resourceType\":\"OperationOutcome\"")
                .contains("the token issuer's keys are not available").doesNotContain("Connection refused");
    }

    @Test
    void aRefusedTokenShouldBeAnswered401WithTheReason() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        failures.onAuthenticationFailure(bearerRequest(), response, new InvalidBearerTokenException("Jwt expired"));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.getContentAsString()).contains("The bearer token was refused: Jwt expired");
    }

    private static MockHttpServletRequest bearerRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient");
        request.addHeader("Authorization", "Bearer a.b.c");
        return request;
    }
}
