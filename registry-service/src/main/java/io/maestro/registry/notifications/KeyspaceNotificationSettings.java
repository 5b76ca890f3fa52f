package io.maestro.registry.notifications;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.connections.ConnectionProblems;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.connections.Engine;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Makes sure Redis publishes the notifications the registry listens to: {@code notify-keyspace-events} must
 * contain {@value #REQUIRED} (E: key-event channels; g: {@code del}; x: {@code expired}; t: stream {@code xadd}).
 * Missing flags are added with {@code CONFIG SET} when allowed; otherwise {@link #status()} says exactly what to
 * set, and readiness is DOWN.
 */
@ApplicationScoped
public class KeyspaceNotificationSettings {
    public static final String SETTING = "notify-keyspace-events";
    public static final String REQUIRED = "Egxt";
    /** What Redis' alias 'A' stands for (Redis 7 adds 'd'). */
    private static final String ALIAS_A = "g$lshzxetd";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Redis redis;
    private final boolean mayConfigure;
    private volatile Status status = new Status(false, null, "not checked yet: Redis not reached");

    @jakarta.inject.Inject
    public KeyspaceNotificationSettings(Redis redis, RegistryConfig config) {
        this(redis, config.notifications().configure());
    }

    /** @param mayConfigure whether {@code CONFIG SET} may be used to add missing flags */
    public KeyspaceNotificationSettings(Redis redis, boolean mayConfigure) {
        this.redis = redis;
        this.mayConfigure = mayConfigure;
    }

    /** Whether the needed notifications are on, the setting's value as last read, and what is wrong. */
    public record Status(boolean enabled, String current, String problem) {
    }

    public Status status() {
        return status;
    }

    /** Reads the setting and adds the missing flags when allowed. Blocking. */
    public Status ensure() {
        String current;
        try {
            current = read();
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (!why.startsWith("NOPERM") && !why.startsWith("ERR")) { // no connection: the setting to fix is the connection's
                return update(new Status(false, null, "cannot read Redis setting " + SETTING + ": "
                        + ConnectionProblems.explain(Engine.REDIS, e, ConnectionSettings.fromConfig())));
            }
            return update(new Status(false, null, "cannot read Redis setting " + SETTING + " (" + why
                    + "); it must contain the flags \"" + REQUIRED + "\": set " + SETTING + " to \"" + REQUIRED
                    + "\" or a superset such as \"KEA\" (redis.conf, or the managed Redis' parameter group)"));
        }
        String missing = missing(current);
        if (missing.isEmpty()) {
            return update(new Status(true, current, null));
        }
        String wanted = current + missing;
        if (!mayConfigure) {
            return update(new Status(false, current, advice(current, wanted, "registry.notifications.configure=false")));
        }
        try {
            redis.send(Request.cmd(Command.CONFIG).arg("SET").arg(SETTING).arg(wanted)).await().atMost(TIMEOUT);
            String now = read();
            if (missing(now).isEmpty()) {
                Log.infof("Redis %s was \"%s\": set to \"%s\"", SETTING, current, now);
                return update(new Status(true, now, null));
            }
            return update(new Status(false, now, advice(now, wanted, "CONFIG SET did not take effect")));
        } catch (RuntimeException e) {
            return update(new Status(false, current, advice(current, wanted, "CONFIG SET was refused: " + e.getMessage())));
        }
    }

    /** The required flags {@code value} lacks ('A' counts as its members). */
    public static String missing(String value) {
        String flags = value == null ? "" : value.replace("A", ALIAS_A);
        StringBuilder missing = new StringBuilder();
        for (char flag : REQUIRED.toCharArray()) {
            if (flags.indexOf(flag) < 0) {
                missing.append(flag);
            }
        }
        return missing.toString();
    }

    private static String advice(String current, String wanted, String why) {
        return "Redis setting " + SETTING + " is \"" + current + "\" but the registry needs the flags \"" + REQUIRED
                + "\" (E key-event channels, g del, x expired, t xadd) and " + why + ": set " + SETTING + " to \""
                + wanted + "\" (CONFIG SET " + SETTING + " " + wanted
                + ", redis.conf, or the managed Redis' parameter group)";
    }

    private String read() {
        Response r = redis.send(Request.cmd(Command.CONFIG).arg("GET").arg(SETTING)).await().atMost(TIMEOUT);
        if (r == null || r.size() == 0) {
            throw new IllegalStateException("CONFIG GET " + SETTING + " returned nothing");
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
        if (!next.enabled() && (previous.enabled() || !java.util.Objects.equals(previous.problem(), next.problem()))) {
            Log.errorf("keyspace notifications unavailable, readiness DOWN: %s", next.problem());
        }
        return next;
    }
}
