package io.maestro.support.auth;

import io.maestro.client.auth.Scopes;

import java.util.List;

/** Who made a request, as its verified token says: the subject, the token's id and what it allows. */
public record Caller(String subject, String tokenId, List<Scopes.Scope> scopes) {
    /** Every request when access control is off (benchmarks only). */
    public static final Caller ANONYMOUS = new Caller("anonymous", null, List.of(Scopes.parse(Scopes.ADMIN)));

    public boolean allows(String scope, String name) {
        return Scopes.allows(scopes, scope, name);
    }

    public String scopesText() {
        return String.join(" ", scopes.stream().map(Scopes.Scope::toString).toList());
    }
}
