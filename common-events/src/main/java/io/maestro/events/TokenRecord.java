package io.maestro.events;

import java.time.Instant;
import java.util.List;

/**
 * What the suite knows of one bearer token it issued, never the token itself: who holds it ({@code subject}), what
 * it allows ({@code scopes}), until when, and whether and when it was revoked. The value of
 * {@link Topics#AUTH_TOKENS}, keyed by {@code jti}; the latest record of a token is its state.
 */
public record TokenRecord(
        String jti,
        String subject,
        List<String> scopes,
        Instant issuedAt,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy) {

    public TokenRecord {
        Require.text(jti, "jti");
        Require.text(subject, "subject");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        Require.present(expiresAt, "expiresAt");
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** This token, revoked now by {@code by}. */
    public TokenRecord revoke(Instant at, String by) {
        return new TokenRecord(jti, subject, scopes, issuedAt, expiresAt, at, by);
    }
}
