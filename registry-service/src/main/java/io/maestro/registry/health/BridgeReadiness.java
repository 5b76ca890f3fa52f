package io.maestro.registry.health;

import io.maestro.registry.messaging.MembershipChangeBridgeRunner;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says whether this replica is the active bridge to Kafka right now ({@code activeBridge}); never DOWN: any replica
 * may take the bridge over. Redis and its keyspace notifications have service-support's checks.
 */
@Readiness
@ApplicationScoped
public class BridgeReadiness implements HealthCheck {
    private final MembershipChangeBridgeRunner bridge;

    public BridgeReadiness(MembershipChangeBridgeRunner bridge) {
        this.bridge = bridge;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Registry bridge to Kafka").up().withData("activeBridge", bridge.isLeader()).build();
    }
}
