package io.maestro.registry.notifications;

import io.maestro.registry.RegistryKeys;
import io.maestro.registry.config.RegistryConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replica's subscription to Redis key-event notifications of its database: {@code xadd} (a change was
 * logged), {@code expired} and {@code del} (an instance key disappeared). Pub/sub drops whatever happens while
 * the connection is down, so the subscription is re-established at once when lost (killed, timed out, failover)
 * and every listener is told to reconcile when it is back. The replica also publishes to a channel of its own
 * every few seconds: if Redis reports no receiver, the subscription is silently gone and is rebuilt.
 */
@ApplicationScoped
public class KeyspaceSubscriber {
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    private static final long CHECK_INTERVAL_MS = 2_000;
    private static final Pattern CLIENT_INFO_DB = Pattern.compile("(?:^|\\s)db=(\\d+)(?:\\s|$)");

    private final Redis redis;
    private final Vertx vertx;
    private final RegistryKeys keys;
    private final Instance<KeyspaceListener> listenerBeans;
    private volatile List<KeyspaceListener> listeners = List.of();
    private final Duration initialDelay;
    private final String replicaId = UUID.randomUUID().toString();
    private final AtomicLong subscriptions = new AtomicLong();

    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private volatile boolean subscribed;
    private volatile int database = -1;
    private volatile Channels channels;
    private volatile long checkTimer = -1;
    private volatile Duration delay;

    public KeyspaceSubscriber(Redis redis, Vertx vertx, RegistryConfig config, @Any Instance<KeyspaceListener> listeners) {
        this.redis = redis;
        this.vertx = vertx;
        this.keys = new RegistryKeys(config.keyPrefix());
        this.listenerBeans = listeners;
        this.initialDelay = config.notifications().reconnectDelay();
        this.delay = initialDelay;
    }

    record Channels(String xadd, String expired, String del, String self) {
        List<String> all() {
            return List.of(xadd, expired, del, self);
        }
    }

    void onStart(@Observes StartupEvent event) {
        listeners = listenerBeans.stream().toList();
        connect();
        checkTimer = vertx.setPeriodic(CHECK_INTERVAL_MS, id -> checkSubscription());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (checkTimer >= 0) {
            vertx.cancelTimer(checkTimer);
        }
        RedisConnection current = connection;
        connection = null;
        subscribed = false;
        if (current != null) {
            current.close().subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** Whether the subscription is in place right now. */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** How many times the subscription was (re-)established. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** The Redis database whose notifications are followed, or -1 before Redis was reached. */
    public int database() {
        return database;
    }

    public String replicaId() {
        return replicaId;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        databaseIndex()
                .chain(db -> {
                    database = db;
                    String prefix = "__keyevent@" + db + "__:";
                    channels = new Channels(prefix + "xadd", prefix + "expired", prefix + "del", keys.replicaChannel(replicaId));
                    return redis.connect();
                })
                .subscribe().with(this::onConnected, failure -> {
                    Log.warnf("keyspace subscription: cannot connect to Redis (%s); retrying in %d ms", failure.getMessage(), delay.toMillis());
                    scheduleReconnect();
                });
    }

    private void onConnected(RedisConnection conn) {
        if (stopped) {
            conn.close().subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connection = conn;
        conn.handler(reply -> onReply(conn, reply));
        conn.endHandler(() -> lost(conn, "connection closed"));
        conn.exceptionHandler(failure -> lost(conn, String.valueOf(failure.getMessage())));
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        channels.all().forEach(subscribe::arg);
        conn.send(subscribe).subscribe().with(reply -> {
            if (reply != null) {
                onReply(conn, reply);
            }
        }, failure -> lost(conn, "SUBSCRIBE failed: " + failure.getMessage()));
    }

    private void onReply(RedisConnection conn, Response reply) {
        if (conn != connection || reply == null || reply.size() < 3) {
            return;
        }
        String kind = reply.get(0).toString();
        if ("message".equals(kind)) {
            dispatch(reply.get(1).toString(), reply.get(2).toString());
        } else if ("subscribe".equals(kind) && !subscribed && reply.get(2).toInteger() >= channels.all().size()) {
            subscribed = true;
            delay = initialDelay;
            long count = subscriptions.incrementAndGet();
            if (count > 1) {
                Log.infof("keyspace subscription re-established (database %d): reconciling", database);
            } else {
                Log.infof("keyspace subscription in place (database %d)", database);
            }
            for (KeyspaceListener listener : listeners) {
                try {
                    listener.onSubscribed();
                } catch (RuntimeException e) {
                    Log.errorf(e, "keyspace listener %s failed on subscription", listener.getClass().getSimpleName());
                }
            }
        }
    }

    private void dispatch(String channel, String key) {
        Channels current = channels;
        if (channel.equals(current.xadd())) {
            keys.parseLog(key).ifPresent(service -> {
                for (KeyspaceListener listener : listeners) {
                    listener.onLogAppended(service);
                }
            });
        } else if (channel.equals(current.expired()) || channel.equals(current.del())) {
            keys.parseInstance(key).ifPresent(ref -> {
                for (KeyspaceListener listener : listeners) {
                    listener.onInstanceKeyGone(ref.service(), ref.instanceId());
                }
            });
        }
    }

    private void lost(RedisConnection conn, String reason) {
        if (conn != connection) {
            return;
        }
        connection = null;
        subscribed = false;
        conn.close().subscribe().with(ok -> { }, failure -> { });
        if (stopped) {
            return;
        }
        Log.warnf("keyspace subscription lost (%s): re-subscribing in %d ms", reason, delay.toMillis());
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long wait = Math.max(1, delay.toMillis());
        delay = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY : delay.multipliedBy(2);
        vertx.setTimer(wait, id -> connect());
    }

    /** A subscription Redis no longer knows (e.g. a proxy dropped it silently) is rebuilt. */
    private void checkSubscription() {
        RedisConnection conn = connection;
        if (!subscribed || conn == null || stopped) {
            return;
        }
        redis.send(Request.cmd(Command.PUBLISH).arg(channels.self()).arg("ping")).subscribe().with(receivers -> {
            if (receivers != null && receivers.toLong() == 0 && conn == connection && subscribed) {
                lost(conn, "Redis reports no subscriber on this replica's check channel");
            }
        }, failure -> { });
    }

    /** The configured database: asked of Redis (CLIENT INFO), else read from quarkus.redis.hosts, else 0. */
    private Uni<Integer> databaseIndex() {
        if (database >= 0) {
            return Uni.createFrom().item(database);
        }
        return redis.send(Request.cmd(Command.CLIENT).arg("INFO"))
                .map(info -> {
                    Matcher m = CLIENT_INFO_DB.matcher(info.toString());
                    return m.find() ? Integer.parseInt(m.group(1)) : configuredDatabase();
                })
                .onFailure(failure -> failure.getMessage() != null && failure.getMessage().contains("ERR"))
                .recoverWithItem(KeyspaceSubscriber::configuredDatabase);
    }

    static int configuredDatabase() {
        Optional<String> hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class);
        return hosts.map(h -> databaseOf(h.split(",")[0].trim())).orElse(0);
    }

    /** The database index in a Redis URI such as {@code redis://host:6379/3}; 0 when absent. */
    static int databaseOf(String uri) {
        try {
            String path = URI.create(uri).getPath();
            if (path == null || path.length() <= 1) {
                return 0;
            }
            return Integer.parseInt(path.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
