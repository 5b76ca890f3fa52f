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
        var response = HealthCheckResponse.named("token revocations").status(revocations.loaded())
                .withData("topic", Topics.AUTH_TOKENS);
        String problem = revocations.problem(); // names the setting or the grant to fix, never a value
        return (problem == null ? response : response.withData("problem", problem)).build();
    }
}
