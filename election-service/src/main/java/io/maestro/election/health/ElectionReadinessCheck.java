package io.maestro.election.health;

import io.maestro.election.messaging.LeadershipEventRelay;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says whether this replica is the one relaying events to Kafka right now ({@code activeRelay}); never DOWN: any
 * replica may take the relay over. Redis and its keyspace notifications have service-support's checks
 * ({@code Redis connection}, {@code Redis keyspace notifications}).
 */
@Readiness
@ApplicationScoped
public class ElectionReadinessCheck implements HealthCheck {
    private final LeadershipEventRelay relay;

    public ElectionReadinessCheck(LeadershipEventRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Election relay to Kafka").up().withData("activeRelay", relay.isRelaying()).build();
    }
}
