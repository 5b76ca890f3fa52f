package io.maestro.console.session;

import io.maestro.client.auth.Scopes;

import java.time.Instant;
import java.util.List;

/**
 * One browser's session: its opaque id (the cookie's value, never the token), the token it signed in with (null
 * while on the sign-in page), who that token names and what it may do, and the CSRF secret its forms carry.
 */
public final class ConsoleSession {
    private final String id;
    private final String csrf;
    private final String token;
    private final TokenClaims claims;
    private volatile Instant lastUsed;

    ConsoleSession(String id, String csrf, String token, TokenClaims claims, Instant now) {
        this.id = id;
        this.csrf = csrf;
        this.token = token;
        this.claims = claims;
        this.lastUsed = now;
    }

    public String id() {
        return id;
    }

    public String csrf() {
        return csrf;
    }

    /** The bearer token the services are called with; null before signing in. */
    public String token() {
        return token;
    }

    public boolean signedIn() {
        return token != null;
    }

    /** Who the token names. */
    public String subject() {
        return claims == null ? null : claims.subject();
    }

    /** The token's scopes, as given. */
    public List<String> scopes() {
        return claims == null ? List.of() : claims.scopes().stream().map(Scopes.Scope::toString).toList();
    }

    /**
     * Whether the token holds {@code scope} in some form (admin, the scope itself or narrowed to some names): what the
     * console offers. The services decide each call; the console only leaves out what would surely be refused.
     */
    public boolean may(String scope) {
        return claims != null && Scopes.allowsSomeName(claims.scopes(), scope);
    }

    /** Whether the token allows {@code scope} on {@code name}. */
    public boolean may(String scope, String name) {
        return claims != null && Scopes.allows(claims.scopes(), scope, name);
    }

    Instant expiresAt() {
        return claims == null ? null : claims.expiresAt();
    }

    Instant lastUsed() {
        return lastUsed;
    }

    void used(Instant now) {
        lastUsed = now;
    }
}
