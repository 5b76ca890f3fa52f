package io.maestro.support.redis;

import io.maestro.support.connections.ConnectionSettings;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis servers a service must talk to one by one: what is local to a server and not shared across a Redis
 * Cluster, namely keyspace notifications and the {@code notify-keyspace-events} setting. For a single server, the
 * service's own client; with {@code quarkus.redis.client-type=cluster}, one client per master, found with
 * {@code CLUSTER NODES} and given the user and password of the first {@code quarkus.redis.hosts} address.
 *
 * <p>The masters are found once, on first use (blocking). A cluster whose masters change (failover, resharding onto
 * new nodes) needs a restart of the service to follow the new masters' notifications; the sweepers still settle
 * whatever expired meanwhile.
 */
public final class RedisNodes {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A server, named by its address (empty for the service's single server), and a client of it alone. */
    public record Node(String address, Redis client) {
    }

    private final Redis redis;
    private final Vertx vertx;
    private final ConnectionSettings connection;
    private volatile List<Node> masters;

    public RedisNodes(Redis redis, Vertx vertx, ConnectionSettings connection) {
        this.redis = redis;
        this.vertx = vertx;
        this.connection = connection;
    }

    /** A single server: {@code redis} itself. */
    public static RedisNodes single(Redis redis, ConnectionSettings connection) {
        return new RedisNodes(redis, null, connection);
    }

    public ConnectionSettings connection() {
        return connection;
    }

    /** Whether the service's client is a Redis Cluster client ({@code quarkus.redis.client-type=cluster}). */
    public boolean cluster() {
        return vertx != null && connection.get("quarkus.redis.client-type").map(type -> type.equalsIgnoreCase("cluster")).orElse(false);
    }

    /** The masters (blocking on first call). */
    public List<Node> masters() {
        List<Node> known = masters;
        if (known == null) {
            synchronized (this) {
                if (masters == null) {
                    masters = cluster() ? discover() : List.of(new Node("", redis));
                }
                known = masters;
            }
        }
        return known;
    }

    private List<Node> discover() {
        String nodes = redis.send(Request.cmd(Command.CLUSTER).arg("NODES")).await().atMost(TIMEOUT).toString();
        URI seed = URI.create(connection.get("quarkus.redis.hosts").orElse("redis://localhost:6379").split(",")[0].trim());
        List<Node> found = new ArrayList<>();
        for (String line : nodes.split("\n")) {
            // <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !List.of(fields[2].split(",")).contains("master") || fields[2].contains("fail")) {
                continue;
            }
            String address = fields[1].split("[@,]")[0];
            int colon = address.lastIndexOf(':');
            String host = colon <= 0 ? seed.getHost() : address.substring(0, colon);
            int port = Integer.parseInt(address.substring(colon + 1));
            found.add(new Node(host + ":" + port, Redis.createClient(vertx, new RedisOptions().setType(RedisClientType.STANDALONE)
                    .setConnectionString(withAddress(seed, host, port)).setMaxPoolSize(2).setMaxPoolWaiting(16))));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("CLUSTER NODES names no master that serves slots: " + nodes);
        }
        return List.copyOf(found);
    }

    private static String withAddress(URI seed, String host, int port) {
        try {
            return new URI(seed.getScheme(), seed.getRawUserInfo() == null ? null : seed.getUserInfo(), host, port, null, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build the address of Redis node " + host + ":" + port, e);
        }
    }
}
