package io.maestro.support.auth;

import io.maestro.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the revoked tokens are known: before that, every request with a token answers 503. */
@Readiness
@ApplicationScoped
public class RevocationsReadiness implements HealthCheck {
    private final TokenRevocations revocations;

    public RevocationsReadiness(TokenRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("token revocations").status(revocations.loaded())
                .withData("topic", Topics.AUTH_TOKENS).build();
    }
}
