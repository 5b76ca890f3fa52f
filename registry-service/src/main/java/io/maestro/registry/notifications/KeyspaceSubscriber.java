package io.maestro.registry.notifications;

import io.maestro.registry.RegistryKeys;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.redis.KeyspaceNotifications;
import io.maestro.support.redis.KeyspaceNotificationsConfig;
import io.maestro.support.redis.KeyspaceSettings;
import io.maestro.support.redis.RedisNodes;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import java.util.List;
import java.util.UUID;

/**
 * The replica's subscription to Redis key-event notifications (service-support's {@link KeyspaceNotifications}):
 * {@code xadd} (a change was logged), {@code expired} and {@code del} (an instance key disappeared), handed to every
 * {@link KeyspaceListener} as the registry's terms. Needs {@code notify-keyspace-events} with {@value #REQUIRED}
 * (E key-event channels, g del, x expired, t xadd); readiness ({@code Redis keyspace notifications}) says what to set
 * when it is missing. When the subscription is back after a loss, every listener is told to reconcile.
 */
@ApplicationScoped
public class KeyspaceSubscriber implements KeyspaceNotifications.Listener {
    public static final String REQUIRED = "Egxt";

    private final RegistryKeys keys;
    private final Instance<KeyspaceListener> listenerBeans;
    private volatile List<KeyspaceListener> listeners = List.of();
    private final String replicaId = UUID.randomUUID().toString();
    private final KeyspaceNotifications notifications;

    public KeyspaceSubscriber(Redis redis, Vertx vertx, RegistryConfig config, @Any Instance<KeyspaceListener> listeners) {
        this.keys = RegistryKeys.of(config);
        this.listenerBeans = listeners;
        KeyspaceNotificationsConfig settings = config.notifications();
        this.notifications = new KeyspaceNotifications(redis, vertx,
                new KeyspaceSettings(new RedisNodes(redis, vertx, ConnectionSettings.fromConfig()), "the registry", REQUIRED,
                        "registry.notifications.configure", settings.configure()),
                KeyspaceNotifications.Options.of(settings, List.of("xadd", "expired", "del"), List.of(), keys.replicaChannel(replicaId)),
                this);
    }

    /** For the readiness check (service-support's KeyspaceReadiness). */
    @Produces
    KeyspaceNotifications notifications() {
        return notifications;
    }

    void onStart(@Observes StartupEvent event) {
        listeners = listenerBeans.stream().toList();
        notifications.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        notifications.stop();
    }

    /** Whether the subscription is in place right now. */
    public boolean isSubscribed() {
        return notifications.isSubscribed();
    }

    /** How many times the subscription was (re-)established. */
    public long subscriptions() {
        return notifications.subscriptions();
    }

    /** The Redis database whose notifications are followed, or -1 before Redis was reached. */
    public int database() {
        return notifications.database();
    }

    public String replicaId() {
        return replicaId;
    }

    @Override
    public void onSubscribed() {
        for (KeyspaceListener listener : listeners) {
            try {
                listener.onSubscribed(); // each reconciles, even when another fails
            } catch (RuntimeException e) {
                Log.errorf(e, "keyspace listener %s failed on subscription", listener.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void onNotification(String event, String key) {
        if (event.equals("xadd")) {
            keys.parseLog(key).ifPresent(service -> listeners.forEach(listener -> listener.onLogAppended(service)));
        } else {
            keys.parseInstance(key).ifPresent(ref -> listeners.forEach(listener -> listener.onInstanceKeyGone(ref.service(), ref.instanceId())));
        }
    }
}
