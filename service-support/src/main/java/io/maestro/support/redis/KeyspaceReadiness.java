package io.maestro.support.redis;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a service's keyspace notifications ({@code maestro.readiness.keyspace-notifications=true} at build
 * time; the service produces its {@link KeyspaceNotifications}): DOWN while {@code notify-keyspace-events} lacks the
 * service's flags, its {@code problem} naming the exact setting and value to set, or the connection's setting when
 * Redis cannot be reached. Whether the subscription is in place right now is data: a lost one is rebuilt at once.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "maestro.readiness.keyspace-notifications", stringValue = "true")
public class KeyspaceReadiness implements HealthCheck {
    public static final String NAME = "Redis keyspace notifications";

    private final KeyspaceNotifications notifications;

    public KeyspaceReadiness(KeyspaceNotifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public HealthCheckResponse call() {
        KeyspaceSettings settings = notifications.settings();
        KeyspaceSettings.Status status = settings.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(status.enabled())
                .withData("setting", KeyspaceSettings.SETTING)
                .withData("required", settings.required())
                .withData("current", String.valueOf(status.current()))
                .withData("subscribed", notifications.isSubscribed())
                .withData("database", notifications.database());
        if (status.problem() != null) {
            response.withData("problem", status.problem());
        }
        return response.build();
    }
}
