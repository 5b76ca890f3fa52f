package io.maestro.support.auth;

import io.maestro.support.problem.Problem;
import io.maestro.support.problem.ProblemException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /q/metrics} answers anyone by default (a scraper inside the network); with
 * {@code maestro.auth.metrics-open=false} it needs a token with {@code metrics:read}. Health and OpenAPI stay open.
 */
@ApplicationScoped
public class MetricsGuard {
    static final String SCOPE = "metrics:read";
    private static final int PRIORITY = 900; // after RequestUriGuard
    private final AuthConfig config;
    private final TokenVerifier verifier;

    public MetricsGuard(AuthConfig config, TokenVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
    }

    void register(@Observes Filters filters) {
        if (config.enabled() && !config.metricsOpen()) {
            filters.register(this::check, PRIORITY);
        }
    }

    void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (!path.equals("/q/metrics") && !path.startsWith("/q/metrics/")) {
            context.next();
            return;
        }
        try {
            Caller caller = verifier.verify(context.request().getHeader(HttpHeaders.AUTHORIZATION));
            if (!caller.allows(SCOPE, null)) {
                throw AccessProblems.missingScope(caller, SCOPE, null, null);
            }
            context.next();
        } catch (ProblemException e) {
            e.headers().forEach((name, value) -> context.response().putHeader(name, value));
            context.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Json.encode(new Problem(null, e.title(), e.status(), e.getMessage(), null, e.errors())));
        }
    }
}
