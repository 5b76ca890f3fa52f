package io.maestro.console.session;

import io.maestro.console.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: a browser holds only a random id in an {@code HttpOnly} cookie, and the token
 * stays here. Sessions end when unused for the idle timeout, when their token expires, and on signing out; a
 * restart ends them all (sign in again). One console replica: see the README's departures.
 */
@ApplicationScoped
public class Sessions {
    public static final String COOKIE = "maestro-console";
    /** Sessions of the sign-in page that were never used to sign in end sooner. */
    private static final Duration ANONYMOUS_IDLE = Duration.ofMinutes(30);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final ConsoleConfig.Session config;
    private final Clock clock = Clock.systemUTC();

    public Sessions(ConsoleConfig config) {
        this.config = config.session();
    }

    /** The live session of a cookie's value, marked used; empty when unknown or ended. */
    public Optional<ConsoleSession> find(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        ConsoleSession session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (ended(session, now)) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        session.used(now);
        return Optional.of(session);
    }

    /** A session for the sign-in page: no token yet, only the CSRF secret its form carries. */
    public ConsoleSession anonymous() {
        return add(null, null);
    }

    /**
     * A signed-in session for {@code token}, under a new id (the sign-in page's id is dropped, so an id planted
     * before signing in is worth nothing after).
     */
    public ConsoleSession signIn(String token, String previousId) {
        TokenClaims claims = TokenClaims.read(token).orElseThrow(() -> new IllegalArgumentException("not a suite token"));
        if (previousId != null) {
            sessions.remove(previousId);
        }
        return add(token, claims);
    }

    public void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether {@code given} is the session's CSRF secret (compared in constant time). */
    public static boolean csrfMatches(ConsoleSession session, String given) {
        return given != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses a form that does not carry {@code session}'s CSRF secret: a 400 saying so, before the form does anything.
     *
     * @throws jakarta.ws.rs.WebApplicationException 400
     */
    public static void requireCsrf(ConsoleSession session, String given) {
        if (!csrfMatches(session, given)) {
            throw new jakarta.ws.rs.WebApplicationException(jakarta.ws.rs.core.Response.status(400)
                    .type(jakarta.ws.rs.core.MediaType.TEXT_PLAIN_TYPE)
                    .entity("csrf: the form is not this session's (it is stale or forged); reload the page\n").build());
        }
    }

    /** How many sessions are held (for tests and metrics). */
    public int size() {
        return sessions.size();
    }

    private ConsoleSession add(String token, TokenClaims claims) {
        Instant now = clock.instant();
        if (sessions.size() >= config.maxSessions()) {
            sessions.values().removeIf(session -> ended(session, now));
            // A flood of sign-in pages must not sign anybody out: the longest unused sign-in page goes first.
            while (sessions.size() >= config.maxSessions()) {
                sessions.values().stream()
                        .min(Comparator.comparing(ConsoleSession::signedIn).thenComparing(ConsoleSession::lastUsed))
                        .ifPresent(oldest -> sessions.remove(oldest.id(), oldest));
            }
        }
        ConsoleSession session = new ConsoleSession(secret(), secret(), token, claims, now);
        sessions.put(session.id(), session);
        return session;
    }

    private boolean ended(ConsoleSession session, Instant now) {
        Duration idle = session.signedIn() ? config.idleTimeout() : ANONYMOUS_IDLE;
        return session.lastUsed().plus(idle).isBefore(now)
                || (session.expiresAt() != null && !session.expiresAt().isAfter(now));
    }

    /** 256 random bits, URL-safe. */
    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
