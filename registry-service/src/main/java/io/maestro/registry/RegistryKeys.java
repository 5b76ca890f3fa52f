package io.maestro.registry;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.redis.KeyShards;

import java.util.Optional;

/**
 * The Redis key layout under one prefix (default {@code maestro:registry:}), spread over shards ({@code registry.shards},
 * service-support's {@link KeyShards}): every key of a service, and the shard-wide keys its scripts touch, carry the
 * hash tag of the service's shard {@code {k}}, so each script touches one Redis Cluster slot. Service names and
 * instance ids follow the name rule {@code [a-z0-9][a-z0-9._-]{0,127}}, so they never contain ':' or braces and never
 * start with '_': the registry's own keys start with '_' and cannot collide with a service's keys.
 *
 * <pre>
 * P{k}&lt;svc&gt;:instance:&lt;id&gt;  hash with the instance's TTL: endpoint, attributes, registeredAt, ttl, token (SHA-256)
 * P{k}&lt;svc&gt;:instances      sorted set instanceId -&gt; expiresAt (ms): the per-service index
 * P{k}&lt;svc&gt;:revision       the per-service revision counter
 * P{k}&lt;svc&gt;:log            stream of the service's changes, entry id &lt;revision&gt;-0, each with the whole list after it
 * P{k}_services            every service name of the shard ever registered
 * P{k}_due                 service -&gt; earliest expiresAt of its instances (the sweeper's index)
 * P{k}_epoch               random id of the shard's data set (event ids derive from it)
 * P{k}_changes             stream of the shard's changes, in order: what the shard's relay copies to Kafka
 * P{k}_relay:lease, P{k}_relay:cursor   which replica relays the shard's changes, and the last entry Kafka acknowledged
 * P_shards                 the shard count the data set was written with
 * P_replica:&lt;id&gt;           pub/sub channel a replica pings itself on to check its subscription
 * </pre>
 */
public final class RegistryKeys {
    private static final String INSTANCE = ":instance:";
    private static final String LOG = ":log";

    private final String prefix;
    private final KeyShards shards;

    public RegistryKeys(String prefix, KeyShards shards) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("registry.key-prefix must not be empty");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("registry.key-prefix must not contain '{' or '}' (they mark a shard's keys): " + prefix);
        }
        this.prefix = prefix;
        this.shards = shards;
    }

    public static RegistryKeys of(RegistryConfig config) {
        return new RegistryKeys(config.keyPrefix(), new KeyShards(config.shards()));
    }

    public String prefix() {
        return prefix;
    }

    public KeyShards shards() {
        return shards;
    }

    /** The shard of {@code service}. */
    public int shardOf(String service) {
        return shards.of(service);
    }

    /** What every key of shard {@code shard} starts with. */
    public String shardPrefix(int shard) {
        return prefix + KeyShards.tag(shard);
    }

    public String instance(String service, String instanceId) {
        return instancePrefix(service) + instanceId;
    }

    /** What an instance key of {@code service} starts with (the scripts append the instance id). */
    public String instancePrefix(String service) {
        return service(service) + INSTANCE;
    }

    public String index(String service) {
        return service(service) + ":instances";
    }

    public String revision(String service) {
        return service(service) + ":revision";
    }

    public String log(String service) {
        return service(service) + LOG;
    }

    private String service(String service) {
        return shardPrefix(shardOf(service)) + service;
    }

    public String services(int shard) {
        return shardPrefix(shard) + "_services";
    }

    public String due(int shard) {
        return shardPrefix(shard) + "_due";
    }

    public String epoch(int shard) {
        return shardPrefix(shard) + "_epoch";
    }

    /** The shard's changes, in order: what its relay copies to Kafka. */
    public String changes(int shard) {
        return shardPrefix(shard) + "_changes";
    }

    /**
     * The instances of shard {@code shard} with checks in check shard {@code checkShard}: members {@code <service>/<id>}
     * (the health checks' own sharding, {@code registry.checks.shards}, over the registry's).
     */
    public String checks(int shard, int checkShard) {
        return shardPrefix(shard) + "_checks:" + checkShard;
    }

    public String relayLease(int shard) {
        return shardPrefix(shard) + "_relay:lease";
    }

    public String relayCursor(int shard) {
        return shardPrefix(shard) + "_relay:cursor";
    }

    /** Where the shard count of the data set is kept ({@link KeyShards#verify}). */
    public String shardCount() {
        return prefix + "_shards";
    }

    public String replicaChannel(String replicaId) {
        return prefix + "_replica:" + replicaId;
    }

    /** The service and instance id of an instance key, if {@code key} is one. */
    public Optional<InstanceRef> parseInstance(String key) {
        String rest = afterShard(key);
        if (rest == null) {
            return Optional.empty();
        }
        int at = rest.indexOf(INSTANCE);
        if (at <= 0 || rest.startsWith("_")) {
            return Optional.empty();
        }
        String service = rest.substring(0, at);
        String instanceId = rest.substring(at + INSTANCE.length());
        if (service.indexOf(':') >= 0 || instanceId.isEmpty() || instanceId.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new InstanceRef(service, instanceId));
    }

    /** The service of a log key, if {@code key} is one. */
    public Optional<String> parseLog(String key) {
        String rest = afterShard(key);
        if (rest == null || !rest.endsWith(LOG)) {
            return Optional.empty();
        }
        String service = rest.substring(0, rest.length() - LOG.length());
        if (service.isEmpty() || service.startsWith("_") || service.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return Optional.of(service);
    }

    /** What follows the prefix and the shard tag of {@code key}; null when it is not a shard's key. */
    private String afterShard(String key) {
        if (key == null || !key.startsWith(prefix) || key.length() < prefix.length() + 3 || key.charAt(prefix.length()) != '{') {
            return null;
        }
        int close = key.indexOf('}', prefix.length());
        return close < 0 ? null : key.substring(close + 1);
    }

    public record InstanceRef(String service, String instanceId) {
    }
}
