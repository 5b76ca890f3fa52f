package io.maestro.election.service;

import io.maestro.election.config.ElectionConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keyspace {@code expired} notifications of the lease keys ({@code maestro:election:{group}:lease:<candidate>}),
 * which wake the sweeper. Needs {@code notify-keyspace-events} with {@code E} (keyevent channel) and {@code x}
 * (expired events): set with {@code CONFIG SET} at start when allowed; otherwise readiness is DOWN naming the
 * setting (leases still end on time through the sweep). The setting is checked again periodically.
 */
@ApplicationScoped
public class KeyspaceNotifications {
    static final String SETTING = "notify-keyspace-events";
    private static final String LEASE_KEYS = "maestro:election:";

    private final ReactiveRedisDataSource redis;
    private final LeaseExpirySweeper sweeper;
    private final ElectionConfig config;
    private final int database;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "election-notifications");
        t.setDaemon(true);
        return t;
    });
    private volatile String problem = "keyspace notifications not checked yet";
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;

    public KeyspaceNotifications(ReactiveRedisDataSource redis, LeaseExpirySweeper sweeper, ElectionConfig config,
                                 @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        this.redis = redis;
        this.sweeper = sweeper;
        this.config = config;
        this.database = databaseOf(hosts);
    }

    /** Null when notifications work; else what is wrong, naming the setting. */
    public String problem() {
        return problem;
    }

    void start(@Observes StartupEvent startup) {
        timer.scheduleWithFixedDelay(this::check, 0, config.notifications().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        timer.shutdownNow();
        ReactivePubSubCommands.ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    void check() {
        try {
            String flags = currentFlags();
            if (!sufficient(flags) && config.notifications().configure()) {
                String wanted = flags + (flags.contains("E") ? "" : "E") + (flags.contains("x") || flags.contains("A") ? "" : "x");
                try {
                    redis.execute("CONFIG", "SET", SETTING, wanted).await().atMost(Duration.ofSeconds(5));
                    Log.infof("set Redis %s to '%s' (was '%s')", SETTING, wanted, flags);
                } catch (RuntimeException e) {
                    Log.warnf("cannot set Redis %s: %s", SETTING, e.getMessage());
                }
                flags = currentFlags();
            }
            if (sufficient(flags)) {
                subscribe();
                problem = null;
            } else {
                problem = "Redis " + SETTING + " is '" + flags + "' but must include E and x (e.g. 'Ex' or 'KEA'):"
                        + " run CONFIG SET " + SETTING + " Ex, or set it in redis.conf / the managed Redis' parameters";
            }
        } catch (RuntimeException e) {
            problem = "cannot check Redis " + SETTING + ": " + e;
        }
    }

    private String currentFlags() {
        Response response = redis.execute("CONFIG", "GET", SETTING).await().atMost(Duration.ofSeconds(5));
        if (response.getKeys() != null && !response.getKeys().isEmpty()) {
            return response.get(SETTING).toString();
        }
        return response.size() >= 2 ? response.get(1).toString() : "";
    }

    static boolean sufficient(String flags) {
        return flags.contains("E") && (flags.contains("x") || flags.contains("A"));
    }

    private void subscribe() {
        if (subscriber != null) {
            return;
        }
        String channel = "__keyevent@" + database + "__:expired";
        subscriber = redis.pubsub(String.class).subscribeToPattern(channel, key -> {
            if (key.startsWith(LEASE_KEYS)) {
                sweeper.wake();
            }
        }).await().atMost(Duration.ofSeconds(5));
    }

    /** The database index of the first Redis URL ({@code redis://host:port/3}); 0 when none is given. */
    static int databaseOf(String hosts) {
        String first = hosts.split(",")[0].trim();
        try {
            String path = URI.create(first).getPath();
            return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
