package io.maestro.support.auth;

import io.maestro.client.auth.Scopes;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.support.problem.ProblemException;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a bearer token with the suite's public key alone (MicroProfile JWT; no call to another service): its
 * signature, issuer and expiry, that it has a subject and an id, and that it was not revoked. The same check for a
 * REST request, an SSE stream, {@code /q/metrics} and a command read from Kafka.
 */
@ApplicationScoped
public class TokenVerifier {
    private static final String BEARER = "Bearer ";
    /** Tokens verified already (a client sends the same one again and again); cleared when it is this full. */
    private static final int CACHE_SIZE = 4096;
    private final JWTParser parser;
    private final TokenRevocations revocations;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token whose signature, issuer and claims were checked, and when it expires. */
    private record Verified(Caller caller, long expiresAtEpochSecond) {
    }

    public TokenVerifier(JWTParser parser, TokenRevocations revocations) {
        this.parser = parser;
        this.revocations = revocations;
    }

    /**
     * The caller of an {@code Authorization} header value.
     *
     * @throws ProblemException 401 naming why (no token, malformed, expired, another key, revoked), or 503 while the
     *                          revocation list is loading
     */
    public Caller verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw AccessProblems.missingToken();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AccessProblems.invalidToken("the Authorization header must be 'Bearer <token>'");
        }
        String token = authorization.substring(BEARER.length()).strip();
        // Verifying the signature is most of what access control costs a request; a token seen before is not
        // verified again, but its expiry and revocation are checked every time.
        Verified known = verified.get(token);
        if (known == null) {
            known = parse(token);
            if (verified.size() >= CACHE_SIZE) {
                verified.clear();
            }
            verified.put(token, known);
        }
        if (Instant.now().getEpochSecond() >= known.expiresAtEpochSecond()) {
            verified.remove(token);
            throw AccessProblems.invalidToken("the token has expired");
        }
        if (!revocations.loaded()) {
            throw new ProblemException(503, "Service unavailable",
                    "the list of revoked tokens is still loading from Kafka; retry shortly", List.of(), Map.of("Retry-After", "1"));
        }
        if (revocations.isRevoked(known.caller().tokenId())) {
            throw AccessProblems.invalidToken("the token was revoked");
        }
        return known.caller();
    }

    private Verified parse(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw AccessProblems.invalidToken(reason(e));
        }
        if (jwt.getSubject() == null || jwt.getSubject().isBlank() || jwt.getTokenID() == null) {
            throw AccessProblems.invalidToken("the token has no subject (sub) or no id (jti)");
        }
        Caller caller = new Caller(printable(jwt.getSubject()), jwt.getTokenID(), Scopes.lenient(scopes(jwt.getClaim("scope"))));
        return new Verified(caller, jwt.getExpirationTime());
    }

    private static List<String> scopes(Object claim) {
        String text = claim instanceof JsonString json ? json.getString() : claim == null ? "" : claim.toString();
        return Arrays.stream(text.split(" ")).filter(s -> !s.isBlank()).toList();
    }

    /** A fixed text per failure: never the token, never a library's message. */
    private static String reason(ParseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "the token has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "the token's signature does not verify with this suite's public key";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the token was not issued by this suite (iss must be " + TokenIssuer.ISSUER + ")";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "the token has no expiry (exp)";
                }
                return "the token is not a valid signed JWT of this suite";
            }
        }
        return "the token is malformed: not a signed JWT of this suite";
    }

    /** A subject as it may appear in a log line or an event: control characters replaced. */
    static String printable(String subject) {
        return subject.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
