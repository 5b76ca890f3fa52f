package io.maestro.election.service;

import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.Deadlines;
import io.maestro.election.store.ElectionKeys;
import io.maestro.election.store.ElectionStore;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.redis.KeyspaceNotifications;
import io.maestro.support.redis.KeyspaceNotificationsConfig;
import io.maestro.support.redis.KeyspaceSettings;
import io.maestro.support.redis.RedisNodes;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Ends leases on time. Each replica runs the sweep script exactly when the earliest deadline of any group comes
 * (Redis tells it how far away that is, so the replica's own clock offset does not matter), and at least every
 * {@code election.sweep.max-interval}, on a Vert.x timer. Transitions made through this replica and keyspace
 * {@code expired} notifications of lease keys wake it earlier, as does the notification subscription coming back
 * (an expiry may have been missed). The sweep settles each due group in one script: expired candidates leave, the
 * next holders are elected in the same step.
 *
 * <p>The notifications need {@code notify-keyspace-events} with {@value #REQUIRED} (E key-event channels, x expired):
 * set with {@code CONFIG SET} when allowed, else readiness is DOWN naming the setting (leases still end on time
 * through the sweep).
 */
@ApplicationScoped
public class LeaseExpirySweeper implements Deadlines, KeyspaceNotifications.Listener {
    static final String REQUIRED = "Ex";

    private final ElectionStore store;
    private final ElectionKeys keys;
    private final Vertx vertx;
    private final long maxIntervalNanos;
    private final int batch;
    private final KeyspaceNotifications notifications;
    private volatile boolean running;
    private long lastFailureLog = System.nanoTime() - Duration.ofMinutes(1).toNanos();

    // guarded by this: the one pending timer, when it fires, and a sweep in progress
    private long timerId = -1;
    private long timerAt;
    private boolean sweeping;
    private long hintedDuringSweep = Long.MAX_VALUE;

    public LeaseExpirySweeper(ElectionStore store, ElectionConfig config, Redis redis, Vertx vertx) {
        this.store = store;
        this.keys = ElectionKeys.of(config);
        this.vertx = vertx;
        this.maxIntervalNanos = config.sweep().maxInterval().toNanos();
        this.batch = config.sweep().batch();
        KeyspaceNotificationsConfig settings = config.notifications();
        this.notifications = new KeyspaceNotifications(redis, vertx,
                new KeyspaceSettings(new RedisNodes(redis, vertx, ConnectionSettings.fromConfig()), "the election service", REQUIRED,
                        "election.notifications.configure", settings.configure()),
                KeyspaceNotifications.Options.of(settings, List.of("expired"), List.of(), keys.replicaChannel(UUID.randomUUID().toString())),
                this);
    }

    /** For the readiness check (service-support's KeyspaceReadiness) and tests. */
    @Produces
    KeyspaceNotifications notifications() {
        return notifications;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        wake();
        notifications.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        notifications.stop();
        synchronized (this) {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
        }
    }

    /** A deadline of some group comes in {@code millis}: sweep then (plus 1 ms, so Redis' clock has passed it). */
    @Override
    public void dueIn(long millis) {
        sweepAt(System.nanoTime() + Duration.ofMillis(Math.max(0, millis) + 1).toNanos());
    }

    /** Sweep now. */
    public void wake() {
        sweepAt(System.nanoTime());
    }

    @Override
    public void onSubscribed() {
        wake(); // an expiry notified while the subscription was down is lost: sweep
    }

    @Override
    public void onNotification(String event, String key) {
        if (keys.isLease(key)) {
            wake();
        }
    }

    /** Makes the next sweep start no later than {@code at} (System.nanoTime()). */
    private synchronized void sweepAt(long at) {
        if (!running) {
            return;
        }
        if (sweeping) {
            hintedDuringSweep = Math.min(hintedDuringSweep, at); // taken into account when the sweep ends
            return;
        }
        if (timerId >= 0) {
            if (timerAt <= at) {
                return; // a sweep comes soon enough
            }
            vertx.cancelTimer(timerId);
        }
        long delayMillis = Math.max(1, Duration.ofNanos(at - System.nanoTime()).toMillis());
        timerAt = at;
        timerId = vertx.setTimer(delayMillis, this::fire); // fire() waits for this lock, so it sees timerId
    }

    private void fire(long id) {
        synchronized (this) {
            if (id != timerId || !running) {
                return;
            }
            timerId = -1;
            sweeping = true;
            hintedDuringSweep = Long.MAX_VALUE;
        }
        sweep().subscribe().with(this::swept);
    }

    private void swept(long untilNext) {
        long next = System.nanoTime() + (untilNext < 0 ? maxIntervalNanos
                : Math.min(maxIntervalNanos, Duration.ofMillis(untilNext + 1).toNanos()));
        long at;
        synchronized (this) {
            sweeping = false;
            at = Math.min(next, hintedDuringSweep);
            hintedDuringSweep = Long.MAX_VALUE;
        }
        sweepAt(at);
    }

    /** Runs the sweep script until no due group is left; the millis until the next deadline (-1: none known). */
    private Uni<Long> sweep() {
        return store.sweep(batch)
                .chain(swept -> swept.groups() < batch || swept.untilNext() > 0 ? Uni.createFrom().item(swept.untilNext()) : sweep())
                .onFailure().recoverWithItem(e -> {
                    long now = System.nanoTime();
                    if (running && now - lastFailureLog > Duration.ofSeconds(10).toNanos()) {
                        lastFailureLog = now;
                        Log.warnf("sweep failed (%s); retrying every %s ms (logged every 10 s at most)", e.getMessage(),
                                Duration.ofNanos(maxIntervalNanos).toMillis());
                    }
                    return -1L;
                });
    }
}
