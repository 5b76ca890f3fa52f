package io.maestro.election.health;

import io.maestro.support.relay.EventRelays;
import io.maestro.election.service.KeyspaceNotifications;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready when Redis answers and the keyspace notifications the expiry needs are on (DOWN names the setting); also
 * says whether this replica is the active relay to Kafka.
 */
@Readiness
@ApplicationScoped
public class ElectionReadinessCheck implements AsyncHealthCheck {
    private final ReactiveRedisDataSource redis;
    private final KeyspaceNotifications notifications;
    private final EventRelays relays;

    public ElectionReadinessCheck(ReactiveRedisDataSource redis, KeyspaceNotifications notifications, EventRelays relays) {
        this.redis = redis;
        this.notifications = notifications;
        this.relays = relays;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING").ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(pong -> {
                    String problem = notifications.problem();
                    // activeRelay: whether this replica is the one relaying events to Kafka right now.
                    var builder = HealthCheckResponse.named("Election Redis").withData("redis", "PONG")
                            .withData("activeRelay", relays.holding());
                    return problem == null ? builder.withData("keyspaceNotifications", "on").up().build()
                            : builder.withData("keyspaceNotifications", problem).down().build();
                })
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("Election Redis")
                        .withData("redis", "unreachable: " + e.getMessage()).down().build());
    }
}
