package io.maestro.support.redis;

import io.maestro.support.connections.ConnectionProblems;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.connections.Engine;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Makes sure Redis publishes the notifications a service listens to: {@code notify-keyspace-events} must hold the
 * service's flags. Missing flags are added with {@code CONFIG SET} when the service may; otherwise {@link #status()}
 * says exactly what to set (and readiness is DOWN). A connection that fails is explained by {@link ConnectionProblems}:
 * then the setting to fix is the connection's, not this one.
 */
public final class KeyspaceSettings {
    private static final Logger LOG = Logger.getLogger(KeyspaceSettings.class);
    public static final String SETTING = "notify-keyspace-events";
    /** What Redis' alias 'A' stands for (Redis 7 adds 'd'). */
    private static final String ALIAS_A = "g$lshzxetd";
    private static final Map<Character, String> MEANINGS = Map.ofEntries(
            Map.entry('K', "keyspace channels"), Map.entry('E', "key-event channels"), Map.entry('g', "del, expire and other generic commands"),
            Map.entry('$', "string commands"), Map.entry('l', "list commands"), Map.entry('s', "set commands"),
            Map.entry('h', "hash commands"), Map.entry('z', "sorted set commands"), Map.entry('t', "stream commands such as xadd"),
            Map.entry('x', "expired"), Map.entry('e', "evicted"), Map.entry('n', "new keys"), Map.entry('m', "key misses"),
            Map.entry('d', "module key types"));
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RedisNodes nodes;
    private final String service;
    private final String required;
    private final String configureProperty;
    private final boolean mayConfigure;
    private volatile Status status = new Status(false, null, "not checked yet: Redis not reached");

    /**
     * @param service           who needs the flags, as messages name it (e.g. {@code registry-service})
     * @param required          the flags, e.g. {@code Egxt}
     * @param configureProperty the service's setting that allows {@code CONFIG SET}, named when it is off
     * @param mayConfigure      its value
     * @param connection        the service's connection settings, for explaining a failed connection
     */
    public KeyspaceSettings(Redis redis, String service, String required, String configureProperty, boolean mayConfigure,
                            ConnectionSettings connection) {
        this(RedisNodes.single(redis, connection), service, required, configureProperty, mayConfigure);
    }

    /**
     * The setting on every master of {@code nodes} (with a Redis Cluster, each server sends the notifications of its
     * own keys only, so each needs the flags).
     */
    public KeyspaceSettings(RedisNodes nodes, String service, String required, String configureProperty, boolean mayConfigure) {
        this.nodes = nodes;
        this.service = service;
        this.required = required;
        this.configureProperty = configureProperty;
        this.mayConfigure = mayConfigure;
        if (required.isEmpty() || !required.chars().allMatch(c -> MEANINGS.containsKey((char) c))) {
            throw new IllegalArgumentException("not a set of notify-keyspace-events flags (the alias A excluded): " + required);
        }
    }

    /** Whether the needed notifications are on, the setting's value as last read, and what is wrong. */
    public record Status(boolean enabled, String current, String problem) {
    }

    public Status status() {
        return status;
    }

    public String required() {
        return required;
    }

    ConnectionSettings connection() {
        return nodes.connection();
    }

    RedisNodes nodes() {
        return nodes;
    }

    /** Reads the setting on every master and adds the missing flags when allowed. Blocking. */
    public Status ensure() {
        List<RedisNodes.Node> masters;
        try {
            masters = nodes.masters();
        } catch (RuntimeException e) {
            return update(new Status(false, null, "cannot list the Redis Cluster's masters: "
                    + ConnectionProblems.explain(Engine.REDIS, e, nodes.connection())));
        }
        Status status = null;
        for (RedisNodes.Node node : masters) {
            status = ensure(node.client());
            if (!status.enabled()) {
                return update(node.address().isEmpty() ? status
                        : new Status(false, status.current(), "on Redis Cluster master " + node.address() + ": " + status.problem()));
            }
        }
        return update(status);
    }

    private Status ensure(Redis redis) {
        String current;
        try {
            current = read(redis);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (!why.startsWith("NOPERM") && !why.startsWith("ERR")) { // no connection: the setting to fix is the connection's
                return new Status(false, null, "cannot read Redis setting " + SETTING + ": "
                        + ConnectionProblems.explain(Engine.REDIS, e, nodes.connection()));
            }
            return new Status(false, null, "cannot read Redis setting " + SETTING + " (" + why + "); " + service
                    + " needs the flags \"" + required + "\" (" + meanings() + "): set " + SETTING + " to \"" + required
                    + "\" or a superset such as \"KEA\" (redis.conf, or the managed Redis' parameter group)");
        }
        String missing = missing(required, current);
        if (missing.isEmpty()) {
            return new Status(true, current, null);
        }
        String wanted = current + missing;
        if (!mayConfigure) {
            return new Status(false, current, advice(current, wanted, configureProperty + "=false"));
        }
        try {
            redis.send(Request.cmd(Command.CONFIG).arg("SET").arg(SETTING).arg(wanted)).await().atMost(TIMEOUT);
            String now = read(redis);
            if (missing(required, now).isEmpty()) {
                LOG.infof("Redis %s was \"%s\": set to \"%s\" for %s", SETTING, current, now, service);
                return new Status(true, now, null);
            }
            return new Status(false, now, advice(now, wanted, "CONFIG SET did not take effect"));
        } catch (RuntimeException e) {
            return new Status(false, current, advice(current, wanted, "CONFIG SET was refused: " + e.getMessage()));
        }
    }

    /** The flags of {@code required} that {@code value} lacks ('A' counts as its members). */
    public static String missing(String required, String value) {
        String flags = value == null ? "" : value.replace("A", ALIAS_A);
        StringBuilder missing = new StringBuilder();
        for (char flag : required.toCharArray()) {
            if (flags.indexOf(flag) < 0) {
                missing.append(flag);
            }
        }
        return missing.toString();
    }

    private String meanings() {
        return required.chars().mapToObj(c -> (char) c + " " + MEANINGS.getOrDefault((char) c, "?")).collect(Collectors.joining(", "));
    }

    private String advice(String current, String wanted, String why) {
        return "Redis setting " + SETTING + " is \"" + current + "\" but " + service + " needs the flags \"" + required + "\" ("
                + meanings() + ") and " + why + ": set " + SETTING + " to \"" + wanted + "\" (CONFIG SET " + SETTING + " "
                + wanted + ", redis.conf, or the managed Redis' parameter group)";
    }

    private static String read(Redis redis) {
        Response r = redis.send(Request.cmd(Command.CONFIG).arg("GET").arg(SETTING)).await().atMost(TIMEOUT);
        if (r == null || r.size() == 0) {
            throw new IllegalStateException("ERR CONFIG GET " + SETTING + " returned nothing");
        }
        Response value = null;
        try {
            value = r.get(SETTING);
        } catch (RuntimeException notAMap) {
            // RESP2: a flat array name, value
        }
        if (value == null && r.size() >= 2) {
            value = r.get(1);
        }
        return value == null ? "" : value.toString();
    }

    private Status update(Status next) {
        Status previous = status;
        status = next;
        if (!next.enabled() && (previous.enabled() || !Objects.equals(previous.problem(), next.problem()))) {
            LOG.errorf("keyspace notifications unavailable, readiness DOWN: %s", next.problem());
        }
        return next;
    }
}
