package io.maestro.registry.health;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.messaging.MembershipChangeBridgeRunner;
import io.maestro.registry.notifications.KeyspaceNotificationSettings;
import io.maestro.registry.notifications.KeyspaceSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the keyspace bridge: DOWN, naming the exact Redis setting, while {@code notify-keyspace-events}
 * lacks the flags the registry needs. The setting is checked (and fixed when allowed) at start and every
 * {@code registry.notifications.check-interval}.
 */
@Readiness
@ApplicationScoped
public class KeyspaceNotificationsHealthCheck implements HealthCheck {
    private final KeyspaceNotificationSettings settings;
    private final KeyspaceSubscriber subscriber;
    private final MembershipChangeBridgeRunner bridge;
    private final Vertx vertx;
    private final long intervalMs;
    private volatile long timer = -1;

    public KeyspaceNotificationsHealthCheck(KeyspaceNotificationSettings settings, KeyspaceSubscriber subscriber,
                                            MembershipChangeBridgeRunner bridge, Vertx vertx, RegistryConfig config) {
        this.settings = settings;
        this.subscriber = subscriber;
        this.bridge = bridge;
        this.vertx = vertx;
        this.intervalMs = Math.max(1_000, config.notifications().checkInterval().toMillis());
    }

    void onStart(@Observes StartupEvent event) {
        settings.ensure();
        timer = vertx.setPeriodic(intervalMs, id -> check());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void check() {
        vertx.executeBlocking(io.smallrye.mutiny.Uni.createFrom().item(settings::ensure)).subscribe().with(s -> { }, f -> { });
    }

    @Override
    public HealthCheckResponse call() {
        KeyspaceNotificationSettings.Status status = settings.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Redis keyspace notifications")
                .status(status.enabled())
                .withData("setting", KeyspaceNotificationSettings.SETTING)
                .withData("required", KeyspaceNotificationSettings.REQUIRED)
                .withData("current", String.valueOf(status.current()))
                .withData("subscribed", subscriber.isSubscribed())
                .withData("database", subscriber.database())
                .withData("activeBridge", bridge.isLeader());
        if (status.problem() != null) {
            response.withData("problem", status.problem());
        }
        return response.build();
    }
}
