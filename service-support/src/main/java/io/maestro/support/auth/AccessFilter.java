package io.maestro.support.auth;

import io.maestro.support.problem.ProblemException;
import io.maestro.client.auth.Scopes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;

/**
 * Every {@code /v1} operation, REST and SSE alike, needs a valid bearer token with the operation's scope
 * ({@link RequiresScope}); the check runs before the body is read, so a refused request changes nothing. No token or
 * a bad one: 401; a valid token without the scope (or narrowed to other names): 403; both problem+json with
 * {@code WWW-Authenticate}. Who did what is logged for every change (the subject and token id, never the token).
 */
public class AccessFilter {
    /** The log category of who did what: route it to an audit sink, or raise its level to silence it. */
    public static final String AUDIT_CATEGORY = "io.maestro.audit";
    private static final Logger AUDIT = Logger.getLogger(AUDIT_CATEGORY);
    /** What a narrowed scope's glob names, per service. */
    private static final Map<String, String> NAME_KINDS = Map.of(
            "registry", "service", "election", "group", "inventory", "entity", "provisioner", "cluster");
    private final AuthConfig config;
    private final TokenVerifier verifier;
    private final CurrentCaller current;

    public AccessFilter(AuthConfig config, TokenVerifier verifier, CurrentCaller current) {
        this.config = config;
        this.verifier = verifier;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        RequiresScope required = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RequiresScope.class);
        if (!config.enabled()) {
            current.set(Caller.ANONYMOUS, required == null ? null : required.value(), null);
            return;
        }
        Caller caller = verifier.verify(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (required == null) {
            // default deny: an operation nobody declared a scope for is open to no one
            throw new ProblemException(403, "Forbidden", "this operation declares no scope, so no token allows it", java.util.List.of());
        }
        String scope = required.value();
        String kind = NAME_KINDS.getOrDefault(scope.substring(0, scope.indexOf(':')), "name");
        if (!required.narrowedBy().isEmpty()) {
            String name = request.getUriInfo().getPathParameters().getFirst(required.narrowedBy());
            if (!caller.allows(scope, name)) {
                throw AccessProblems.missingScope(caller, scope, kind, name);
            }
        } else if (required.nameInBody()) {
            if (!Scopes.allowsSomeName(caller.scopes(), scope)) {
                throw AccessProblems.missingScope(caller, scope, null, null);
            }
        } else if (!caller.allows(scope, null)) {
            // a scope narrowed to some names does not allow an operation over all of them
            throw AccessProblems.missingScope(caller, scope, Scopes.allowsSomeName(caller.scopes(), scope) ? kind : null, null);
        }
        current.set(caller, scope, kind);
        String method = request.getMethod();
        if (required.audited() && !method.equals("GET") && !method.equals("HEAD")) {
            AUDIT.infof("%s %s by %s (token %s)", method, request.getUriInfo().getRequestUri().getRawPath(), caller.subject(),
                    caller.tokenId());
        }
    }
}
