package io.maestro.client.auth;

import io.maestro.events.TokenRecord;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Mints the suite's bearer tokens: JWTs signed RS256 with the suite's private key, with {@code iss} {@value #ISSUER},
 * {@code sub} (who), {@code scope} (what, space-separated as in RFC 8693), {@code iat}, {@code exp} and a random
 * {@code jti} (what a revocation names). Services verify them with the public key alone.
 */
public final class TokenIssuer {
    public static final String ISSUER = "maestro";
    /** The longest life a token may be given. */
    public static final Duration MAX_TTL = Duration.ofDays(3650);

    private final PrivateKey key;

    public TokenIssuer(PrivateKey key) {
        this.key = key;
    }

    /** A token and what the suite records of it (never the token). */
    public record Issued(String token, TokenRecord record) {
    }

    /**
     * @throws IllegalArgumentException naming the rule an argument breaks (a subject that is empty, too long or has
     *                                  control characters, an unknown scope, a ttl that is not positive or too long)
     */
    public Issued issue(String subject, List<String> scopes, Duration ttl) {
        if (subject == null || subject.isBlank() || subject.length() > 256 || subject.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("subject must be 1 to 256 characters without control characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope");
        }
        scopes.forEach(Scopes::parse);
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL.toDays() + " days");
        }
        Instant now = Instant.now();
        Instant expires = now.plus(ttl);
        String jti = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setClaim("scope", String.join(" ", scopes));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setJwtId(jti);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return new Issued(jws.getCompactSerialization(), new TokenRecord(jti, subject, List.copyOf(scopes),
                    Instant.ofEpochSecond(now.getEpochSecond()), Instant.ofEpochSecond(expires.getEpochSecond()), null, null));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token with the suite's key", e);
        }
    }

    /** Parses {@code 30d}, {@code 12h}, {@code 15m}, {@code 90s} or an ISO-8601 duration ({@code PT1H}). */
    public static Duration parseTtl(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("ttl must not be empty");
        }
        String t = text.strip();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 's' -> Duration.ofSeconds(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ttl '" + text + "' must be a number with d, h, m or s (30d, 12h) or an ISO-8601 duration");
        }
    }
}
