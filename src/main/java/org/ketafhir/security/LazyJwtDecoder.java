package org.ketafhir.security;

import java.util.function.Supplier;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Builds the real decoder on the first token, not at start-up: building it may contact the issuer (key set,
 * discovery), and the server must start without network. A failed build is retried on the next token.
 */
final class LazyJwtDecoder implements JwtDecoder {

    private final Supplier<JwtDecoder> factory;
    private volatile JwtDecoder delegate;

    LazyJwtDecoder(Supplier<JwtDecoder> factory) {
        this.factory = factory;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        JwtDecoder decoder = delegate;
        if (decoder == null) {
            synchronized (this) {
                if (delegate == null) {
                    try {
                        delegate = factory.get();
                    } catch (RuntimeException e) {
                        throw new JwtException("The token issuer's keys are not available: " + e.getMessage(), e);
                    }
                }
                decoder = delegate;
            }
        }
        return decoder.decode(token);
    }
}
