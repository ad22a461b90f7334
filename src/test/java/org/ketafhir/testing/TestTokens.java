package org.ketafhir.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A test authorization server: an RSA key made for this test run, its public half served as a JWK Set by a JDK
 * HTTP server on 127.0.0.1, and signed bearer tokens. Servers started with {@link #serverProperties()} accept
 * these tokens; nothing leaves the machine.
 */
public final class TestTokens {

    /** Every scope a backend can hold: what the PostgreSQL suite's test clients send. */
    public static final String FULL_ACCESS = "system/*.cruds";

    private static final RSAKey KEY = newKey("ketafhir-test-key");
    private static final HttpServer JWKS = startJwksServer();
    private static final String ISSUER = "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/issuer";
    private static final String FULL_ACCESS_TOKEN = builder().scope(FULL_ACCESS).subject("ketafhir-it")
            .lifetime(Duration.ofHours(12)).sign();

    private TestTokens() {}

    public static String issuer() {
        return ISSUER;
    }

    /** Spring properties that make a server accept this class's tokens. */
    public static Map<String, String> serverProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER);
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
        return properties;
    }

    /** A token with every system scope, valid for the whole test run. */
    public static String fullAccess() {
        return FULL_ACCESS_TOKEN;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An unsigned token ({@code alg: none}) with the given scope. */
    public static String unsigned(String scope) {
        return new PlainJWT(builder().scope(scope).claims()).serialize();
    }

    /** A token signed by a key the server does not know. */
    public static String signedByStranger(String scope) {
        return builder().scope(scope).signWith(newKey("stranger"));
    }

    public static final class Builder {

        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String issuer = ISSUER;
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofMinutes(30);

        private Builder() {
            claims.put("sub", "test-user");
            claims.put("client_id", "test-client");
        }

        public Builder scope(String scope) {
            claims.put("scope", scope);
            return this;
        }

        public Builder patient(String patientId) {
            claims.put("patient", patientId);
            return this;
        }

        public Builder subject(String subject) {
            claims.put("sub", subject);
            return this;
        }

        public Builder issuer(String otherIssuer) {
            this.issuer = otherIssuer;
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        /** Issued this long ago: with a short lifetime, an expired token. */
        public Builder issuedAgo(Duration ago) {
            this.issuedAt = Instant.now().minus(ago);
            return this;
        }

        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        public String sign() {
            return signWith(KEY);
        }

        String signWith(RSAKey key) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims());
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }

        JWTClaimsSet claims() {
            JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().issuer(issuer).jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)));
            claims.forEach(set::claim);
            return set.build();
        }
    }

    private static RSAKey newKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer startJwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] jwks = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.setExecutor(null);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the test JWKS server", e);
        }
    }
}
