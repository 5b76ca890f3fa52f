package io.maestro.election.service;

import io.maestro.support.connections.ConnectionProblems;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.connections.Engine;
import io.maestro.election.config.ElectionConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keyspace {@code expired} notifications of the lease keys ({@code maestro:election:{group}:lease:<candidate>}),
 * which wake the sweeper at once on every replica. Needs {@code notify-keyspace-events} with {@code E} (keyevent
 * channel) and {@code x} (expired events): set with {@code CONFIG SET} at start when allowed; otherwise readiness
 * is DOWN naming the setting (leases still end on time through the sweep). The setting is checked again
 * periodically.
 *
 * <p>The subscription has its own Redis connection. Pub/sub can lose it silently, so it is rebuilt when the
 * connection ends and when Redis reports no receiver on a channel of this replica's own, pinged every 2 s.
 */
@ApplicationScoped
public class KeyspaceNotifications {
    static final String SETTING = "notify-keyspace-events";
    private static final String LEASE_KEYS = "maestro:election:";
    private static final long PING_INTERVAL_MS = 2_000;
    private static final long MAX_RECONNECT_DELAY_MS = 5_000;

    private final Redis redis;
    private final LeaseExpirySweeper sweeper;
    private final ElectionConfig config;
    private final String expiredChannel;
    private final String selfChannel = LEASE_KEYS + "replica:" + UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "election-notifications");
        t.setDaemon(true);
        return t;
    });
    private volatile String problem = "keyspace notifications not checked yet";
    private volatile RedisConnection connection;
    private volatile boolean subscribed;
    private volatile boolean stopped;
    private long reconnectDelayMs = 100;
    private final AtomicLong subscriptions = new AtomicLong();

    public KeyspaceNotifications(Redis redis, LeaseExpirySweeper sweeper, ElectionConfig config,
                                 @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        this.redis = redis;
        this.sweeper = sweeper;
        this.config = config;
        this.expiredChannel = "__keyevent@" + databaseOf(hosts) + "__:expired";
    }

    /** Null when the setting is right; else what is wrong, naming the setting. */
    public String problem() {
        return problem;
    }

    /** Whether the subscription is in place right now. */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** How many times the subscription was (re-)established. */
    public long subscriptions() {
        return subscriptions.get();
    }

    void start(@Observes StartupEvent startup) {
        timer.scheduleWithFixedDelay(this::checkSetting, 0, config.notifications().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::ping, PING_INTERVAL_MS, PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
        timer.execute(this::connect);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        timer.shutdownNow();
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close().subscribe().with(ok -> { }, failure -> { });
        }
    }

    void checkSetting() {
        try {
            String flags = currentFlags();
            if (!sufficient(flags) && config.notifications().configure()) {
                String wanted = flags + (flags.contains("E") ? "" : "E") + (flags.contains("x") || flags.contains("A") ? "" : "x");
                try {
                    command(Request.cmd(Command.CONFIG).arg("SET").arg(SETTING).arg(wanted));
                    Log.infof("set Redis %s to '%s' (was '%s')", SETTING, wanted, flags);
                } catch (RuntimeException e) {
                    Log.warnf("cannot set Redis %s: %s", SETTING, e.getMessage());
                }
                flags = currentFlags();
            }
            problem = sufficient(flags) ? null
                    : "Redis " + SETTING + " is '" + flags + "' but must include E and x (e.g. 'Ex' or 'KEA'):"
                    + " run CONFIG SET " + SETTING + " Ex, or set it in redis.conf / the managed Redis' parameters";
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            // no connection: the sentence names the connection's setting; a refused command names the command
            problem = "cannot check Redis " + SETTING + ": " + (why.startsWith("NOPERM") || why.startsWith("ERR") ? why
                    : ConnectionProblems.explain(Engine.REDIS, e, ConnectionSettings.fromConfig()));
        }
    }

    private String currentFlags() {
        Response response = command(Request.cmd(Command.CONFIG).arg("GET").arg(SETTING));
        if (response.getKeys() != null && !response.getKeys().isEmpty()) {
            return response.get(SETTING).toString();
        }
        return response.size() >= 2 ? response.get(1).toString() : "";
    }

    private Response command(Request request) {
        return redis.send(request).await().atMost(Duration.ofSeconds(5));
    }

    static boolean sufficient(String flags) {
        return flags.contains("E") && (flags.contains("x") || flags.contains("A"));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().subscribe().with(conn -> {
            if (stopped) {
                conn.close().subscribe().with(ok -> { }, failure -> { });
                return;
            }
            connection = conn;
            conn.handler(reply -> onReply(conn, reply));
            conn.endHandler(() -> lost(conn, "connection closed"));
            conn.exceptionHandler(failure -> lost(conn, String.valueOf(failure.getMessage())));
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(expiredChannel).arg(selfChannel)).subscribe().with(
                    reply -> onReply(conn, reply), failure -> lost(conn, "SUBSCRIBE failed: " + failure.getMessage()));
        }, failure -> {
            Log.warnf("keyspace notifications: cannot connect to Redis (%s); retrying", failure.getMessage());
            reconnectLater();
        });
    }

    private void onReply(RedisConnection conn, Response reply) {
        if (conn != connection || reply == null || reply.size() < 3) {
            return;
        }
        String kind = reply.get(0).toString();
        if ("message".equals(kind)) {
            if (reply.get(2).toString().startsWith(LEASE_KEYS)) {
                sweeper.wake();
            }
        } else if ("subscribe".equals(kind) && reply.get(2).toInteger() >= 2 && !subscribed) {
            subscribed = true;
            subscriptions.incrementAndGet();
            reconnectDelayMs = 100;
            Log.debugf("keyspace notifications: subscribed to %s", expiredChannel);
        }
    }

    private void lost(RedisConnection conn, String reason) {
        if (conn != connection) {
            return;
        }
        connection = null;
        subscribed = false;
        conn.close().subscribe().with(ok -> { }, failure -> { });
        if (!stopped) {
            Log.warnf("keyspace notifications: subscription lost (%s); subscribing again", reason);
            reconnectLater();
        }
    }

    private void reconnectLater() {
        if (stopped) {
            return;
        }
        long wait = reconnectDelayMs;
        reconnectDelayMs = Math.min(MAX_RECONNECT_DELAY_MS, reconnectDelayMs * 2);
        try {
            timer.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // shutting down
        }
    }

    /** A subscription Redis no longer knows is rebuilt. */
    private void ping() {
        RedisConnection conn = connection;
        if (conn == null || !subscribed) {
            return;
        }
        redis.send(Request.cmd(Command.PUBLISH).arg(selfChannel).arg("ping")).subscribe().with(receivers -> {
            if (receivers != null && receivers.toLong() == 0) {
                lost(conn, "Redis reports no subscriber on this replica's own channel");
            }
        }, failure -> { });
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
