package io.maestro.support.auth;

import io.maestro.support.problem.ProblemException;

import java.util.List;
import java.util.Map;

/** The 401 and 403 answers of access control (RFC 6750's {@code WWW-Authenticate} with problem+json). */
public final class AccessProblems {
    public static final String REALM = "maestro";

    private AccessProblems() {
    }

    /** 401 for a request without a token. */
    public static ProblemException missingToken() {
        return new ProblemException(401, "Unauthorized",
                "this operation needs a bearer token: send 'Authorization: Bearer <token>'", List.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    /** 401 for a token that is not valid here; {@code reason} is one of the fixed texts of {@link TokenVerifier}. */
    public static ProblemException invalidToken(String reason) {
        return new ProblemException(401, "Unauthorized", "the bearer token is not valid: " + reason, List.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\""
                        + reason + "\""));
    }

    /** 403 for a valid token without {@code scope} (for {@code name}, when the operation addresses one). */
    public static ProblemException missingScope(Caller caller, String scope, String nameKind, String name) {
        String on = name == null ? (nameKind == null ? "" : " without a name pattern (this operation is not limited to one "
                + nameKind + ", so a scope narrowed to some names does not allow it)")
                : " on " + nameKind + " '" + name + "'";
        return new ProblemException(403, "Forbidden", "missing scope " + scope + on + "; the token of '"
                + caller.subject() + "' has " + (caller.scopes().isEmpty() ? "no scope" : caller.scopesText()), List.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\"" + scope + "\""));
    }
}
