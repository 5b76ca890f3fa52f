package io.maestro.support.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's subscription to the Redis keyspace notifications of its database, and the setting they need
 * ({@link KeyspaceSettings}, checked at start and every {@code checkInterval}; {@link KeyspaceReadiness} reports it).
 *
 * <p>Pub/sub drops whatever is published while the connection is down, so the subscription is re-established when
 * it is lost (killed, timed out, failover; the delay doubles from {@code reconnectDelay} up to 5 s), and the listener
 * is told each time it is in place again: anything may have been missed, reconcile. The service also publishes to a
 * channel of its own every 2 s: if Redis reports no receiver, the subscription is silently gone and is rebuilt.
 *
 * <p>Not a bean: a service creates one with its channels and listener (and produces it, for the readiness check).
 * Vert.x timers, no threads of its own; the listener is called on an event loop and must not block.
 */
public final class KeyspaceNotifications {
    private static final Logger LOG = Logger.getLogger(KeyspaceNotifications.class);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    private static final long PING_INTERVAL_MS = 2_000;
    private static final Pattern CLIENT_INFO_DB = Pattern.compile("(?:^|\\s)db=(\\d+)(?:\\s|$)");

    /** What the subscription sees. Called on a Vert.x event loop: hand blocking work elsewhere. */
    public interface Listener {
        /** The subscription is (again) in place: notifications published while it was not are lost. Reconcile. */
        void onSubscribed();

        /** {@code event} (e.g. {@code expired}, {@code xadd}) happened to {@code key}. */
        void onNotification(String event, String key);
    }

    /**
     * @param keyevents        events followed on the key-event channels ({@code __keyevent@<db>__:<event>}; flag E)
     * @param keyspacePatterns key patterns followed on the keyspace channels ({@code __keyspace@<db>__:<pattern>}; flag K)
     * @param selfChannel      a channel of this replica alone, for the liveness ping
     * @param checkInterval    how often the setting is checked again (someone may reset it)
     * @param reconnectDelay   first delay before subscribing again after the connection was lost
     */
    public record Options(List<String> keyevents, List<String> keyspacePatterns, String selfChannel, Duration checkInterval,
                          Duration reconnectDelay) {
        public Options {
            keyevents = List.copyOf(keyevents);
            keyspacePatterns = List.copyOf(keyspacePatterns);
            Objects.requireNonNull(selfChannel);
            if (keyevents.isEmpty() && keyspacePatterns.isEmpty()) {
                throw new IllegalArgumentException("no keyevent nor keyspace pattern to follow");
            }
        }

        /** With the service's check interval and reconnect delay. */
        public static Options of(KeyspaceNotificationsConfig config, List<String> keyevents, List<String> keyspacePatterns,
                                 String selfChannel) {
            return new Options(keyevents, keyspacePatterns, selfChannel, config.checkInterval(), config.reconnectDelay());
        }
    }

    private record Channels(String keyeventPrefix, String keyspacePrefix, List<String> channels, List<String> patterns) {
        int count() {
            return channels.size() + patterns.size();
        }
    }

    private final Vertx vertx;
    private final KeyspaceSettings settings;
    private final Options options;
    private final Listener listener;
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();

    private volatile boolean stopped = true;
    /** One subscription per server: with a Redis Cluster, each master notifies the changes of its own keys only. */
    private volatile List<NodeSubscription> nodes = List.of();

    /**
     * @param redis the service's client; with a Redis Cluster the masters come from {@code settings}' {@link RedisNodes}
     */
    public KeyspaceNotifications(Redis redis, Vertx vertx, KeyspaceSettings settings, Options options, Listener listener) {
        this.vertx = vertx;
        this.settings = settings;
        this.options = options;
        this.listener = listener;
    }

    /** Checks the setting on every master (fixing it when allowed; blocking) and subscribes to each. */
    public synchronized void start() {
        stopped = false;
        settings.ensure();
        timers.add(vertx.setPeriodic(Math.max(100, options.checkInterval().toMillis()), id -> checkSetting()));
        timers.add(vertx.setPeriodic(PING_INTERVAL_MS, id -> nodes.forEach(NodeSubscription::ping)));
        List<RedisNodes.Node> masters;
        try {
            masters = settings.nodes().masters();
        } catch (RuntimeException e) {
            LOG.warnf("keyspace subscription: cannot list the Redis Cluster's masters (%s); retrying in %d ms", e.getMessage(),
                    options.reconnectDelay().toMillis());
            vertx.setTimer(Math.max(1, options.reconnectDelay().toMillis()), id -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                if (!stopped) {
                    restart();
                }
                return null;
            })).subscribe().with(ok -> { }, failure -> { }));
            return;
        }
        nodes = masters.stream().map(node -> new NodeSubscription(node.client(), node.address())).toList();
        nodes.forEach(NodeSubscription::connect);
    }

    private synchronized void restart() {
        stop();
        start();
    }

    public synchronized void stop() {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        nodes.forEach(NodeSubscription::close);
        nodes = List.of();
    }

    public KeyspaceSettings settings() {
        return settings;
    }

    /** Whether the subscription is in place right now (on every master). */
    public boolean isSubscribed() {
        List<NodeSubscription> current = nodes;
        return !current.isEmpty() && current.stream().allMatch(node -> node.subscribed);
    }

    /** How many times a subscription was (re-)established. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** The Redis database whose notifications are followed, or -1 before Redis was reached. */
    public int database() {
        List<NodeSubscription> current = nodes;
        return current.isEmpty() ? -1 : current.get(0).database;
    }

    private void checkSetting() {
        if (stopped || !checking.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(Uni.createFrom().item(settings::ensure))
                .subscribe().with(status -> checking.set(false), failure -> checking.set(false));
    }

    private void notify(String event, String key) {
        try {
            listener.onNotification(event, key);
        } catch (RuntimeException e) {
            LOG.errorf(e, "keyspace listener failed on %s of %s", event, key);
        }
    }

    /** The subscription on one server, re-established when it is lost. */
    private final class NodeSubscription {
        private final Redis redis;
        /** Empty for a single server; else the master's address, for the logs. */
        private final String where;
        private volatile RedisConnection connection;
        private volatile boolean subscribed;
        private volatile boolean closed;
        private volatile int database = -1;
        private volatile Channels channels;
        private volatile Duration delay = options.reconnectDelay();

        NodeSubscription(Redis redis, String address) {
            this.redis = redis;
            this.where = address.isEmpty() ? "" : " on " + address;
        }

        void close() {
            closed = true;
            RedisConnection current = connection;
            connection = null;
            subscribed = false;
            if (current != null) {
                current.close().subscribe().with(ok -> { }, failure -> { });
            }
        }

        void connect() {
            if (stopped || closed) {
                return;
            }
            databaseIndex()
                    .chain(db -> {
                        database = db;
                        String keyevent = "__keyevent@" + db + "__:";
                        String keyspace = "__keyspace@" + db + "__:";
                        List<String> names = new ArrayList<>();
                        options.keyevents().forEach(event -> names.add(keyevent + event));
                        names.add(options.selfChannel());
                        channels = new Channels(keyevent, keyspace, names,
                                options.keyspacePatterns().stream().map(p -> keyspace + p).toList());
                        return redis.connect();
                    })
                    .subscribe().with(this::onConnected, failure -> {
                        LOG.warnf("keyspace subscription%s: cannot connect to Redis (%s); retrying in %d ms", where, failure.getMessage(),
                                delay.toMillis());
                        scheduleReconnect();
                    });
        }

        private void onConnected(RedisConnection conn) {
            if (stopped || closed) {
                conn.close().subscribe().with(ok -> { }, failure -> { });
                return;
            }
            connection = conn;
            conn.handler(reply -> onReply(conn, reply));
            conn.endHandler(() -> lost(conn, "connection closed"));
            conn.exceptionHandler(failure -> lost(conn, String.valueOf(failure.getMessage())));
            Channels current = channels;
            send(conn, Command.SUBSCRIBE, current.channels());
            if (!current.patterns().isEmpty()) {
                send(conn, Command.PSUBSCRIBE, current.patterns());
            }
        }

        private void send(RedisConnection conn, Command command, List<String> names) {
            Request request = Request.cmd(command);
            names.forEach(request::arg);
            conn.send(request).subscribe().with(reply -> {
                if (reply != null) {
                    onReply(conn, reply);
                }
            }, failure -> lost(conn, command + " failed: " + failure.getMessage()));
        }

        private void onReply(RedisConnection conn, Response reply) {
            if (conn != connection || reply == null || reply.size() < 3) {
                return;
            }
            Channels current = channels;
            String kind = reply.get(0).toString();
            if ("message".equals(kind)) {
                String channel = reply.get(1).toString();
                if (channel.startsWith(current.keyeventPrefix())) {
                    KeyspaceNotifications.this.notify(channel.substring(current.keyeventPrefix().length()), reply.get(2).toString());
                }
            } else if ("pmessage".equals(kind) && reply.size() >= 4) {
                String channel = reply.get(2).toString();
                if (channel.startsWith(current.keyspacePrefix())) {
                    KeyspaceNotifications.this.notify(reply.get(3).toString(), channel.substring(current.keyspacePrefix().length()));
                }
            } else if (("subscribe".equals(kind) || "psubscribe".equals(kind)) && !subscribed
                    && reply.get(2).toInteger() >= current.count()) {
                subscribed = true;
                delay = options.reconnectDelay();
                long count = subscriptions.incrementAndGet();
                LOG.infof(count > nodes.size() ? "keyspace subscription re-established (database %d%s): reconciling"
                        : "keyspace subscription in place (database %d%s)", database, where);
                try {
                    listener.onSubscribed();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "keyspace listener failed on subscription");
                }
            }
        }

        private void lost(RedisConnection conn, String reason) {
            if (conn != connection) {
                return;
            }
            connection = null;
            subscribed = false;
            conn.close().subscribe().with(ok -> { }, failure -> { });
            if (stopped || closed) {
                return;
            }
            LOG.warnf("keyspace subscription%s lost (%s): re-subscribing in %d ms", where, reason, delay.toMillis());
            scheduleReconnect();
        }

        private void scheduleReconnect() {
            if (stopped || closed) {
                return;
            }
            long wait = Math.max(1, delay.toMillis());
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY : doubled;
            vertx.setTimer(wait, id -> connect());
        }

        /** A subscription Redis no longer knows (e.g. a proxy dropped it silently) is rebuilt. */
        void ping() {
            RedisConnection conn = connection;
            if (!subscribed || conn == null || stopped || closed) {
                return;
            }
            redis.send(Request.cmd(Command.PUBLISH).arg(options.selfChannel()).arg("ping")).subscribe().with(receivers -> {
                if (receivers != null && receivers.toLong() == 0 && conn == connection && subscribed) {
                    lost(conn, "Redis reports no subscriber on this replica's check channel");
                }
            }, failure -> { });
        }

        /** The connection's database: asked of Redis (CLIENT INFO), else read from quarkus.redis.hosts, else 0. */
        private Uni<Integer> databaseIndex() {
            if (database >= 0) {
                return Uni.createFrom().item(database);
            }
            return redis.send(Request.cmd(Command.CLIENT).arg("INFO"))
                    .map(info -> {
                        Matcher m = CLIENT_INFO_DB.matcher(info.toString());
                        return m.find() ? Integer.parseInt(m.group(1)) : configuredDatabase();
                    })
                    // an old Redis (ERR) or a user without client|info (NOPERM): the configured one
                    .onFailure(failure -> failure.getMessage() != null
                            && (failure.getMessage().startsWith("NOPERM") || failure.getMessage().contains("ERR")))
                    .recoverWithItem(this::configuredDatabase);
        }

        private int configuredDatabase() {
            return settings.connection().get("quarkus.redis.hosts").map(KeyspaceNotifications::databaseOf).orElse(0);
        }
    }

    /** The database index of the first Redis URL ({@code redis://host:6379/3}); 0 when it names none. */
    public static int databaseOf(String hosts) {
        try {
            String path = URI.create(hosts.split(",")[0].trim()).getPath();
            return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
