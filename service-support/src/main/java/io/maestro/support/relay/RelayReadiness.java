package io.maestro.support.relay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says whether this replica relays the service's events to Kafka right now ({@code activeRelay}) and the last problem
 * its relay met; never DOWN: any replica may take the relay over, and the log keeps the events meanwhile.
 */
@Readiness
@ApplicationScoped
public class RelayReadiness implements HealthCheck {
    private final EventRelays relays;

    public RelayReadiness(EventRelays relays) {
        this.relays = relays;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Event relay to Kafka").up().withData("activeRelay", relays.holding());
        relays.started().stream().map(EventRelay::lastProblem).filter(problem -> problem != null).findFirst()
                .ifPresent(problem -> response.withData("lastProblem", problem));
        return response.build();
    }
}
