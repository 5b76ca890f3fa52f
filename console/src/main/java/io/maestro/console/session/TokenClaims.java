package io.maestro.console.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.auth.Scopes;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a suite token says of itself: subject, scopes and expiry, read without verifying the signature. The console
 * uses it only to choose what to offer and when the session ends; the services verify the token on every call, and
 * signing in is refused unless one of them accepted it.
 */
record TokenClaims(String subject, List<Scopes.Scope> scopes, Instant expiresAt) {
    /** Suite tokens are a few hundred bytes; a longer text is no token. */
    static final int MAX_TOKEN_LENGTH = 8192;

    /** The claims of a compact JWT, or empty when the text is not one with a subject, a scope and an expiry. */
    static Optional<TokenClaims> read(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            String subject = claims.path("sub").asText("");
            String scope = claims.path("scope").asText("");
            long exp = claims.path("exp").asLong(0);
            if (subject.isEmpty() || scope.isBlank() || exp <= 0) {
                return Optional.empty();
            }
            return Optional.of(new TokenClaims(subject, Scopes.lenient(Arrays.asList(scope.strip().split("\\s+"))),
                    Instant.ofEpochSecond(exp)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
