package io.maestro.registry.messaging;

import io.maestro.registry.RegistryKeys;
import io.maestro.registry.store.RegistryStore;
import io.maestro.support.redis.LuaScript;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's state in Redis: the lease that makes one replica the active bridge, and what it published
 * (per service the highest revision Kafka acknowledged, per partition the offset that covers). Blocking calls:
 * the bridge runs on its own thread.
 */
public class BridgeStore {
    private static final LuaScript ACQUIRE = RegistryStore.script("bridge-acquire");
    private static final LuaScript RENEW = RegistryStore.script("bridge-renew");
    private static final LuaScript RELEASE = RegistryStore.script("bridge-release");
    private static final LuaScript COMMIT = RegistryStore.script("bridge-commit");
    private static final LuaScript PENDING = RegistryStore.script("bridge-pending");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Redis redis;
    private final RegistryKeys keys;

    public BridgeStore(Redis redis, RegistryKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** A won lease: its epoch, and how long to wait before publishing (a vanished holder may have records in flight). */
    public record Acquired(long epoch, long waitMillis) {
    }

    /** Null when another replica holds the lease. */
    public Acquired tryAcquire(String replicaId, Duration leaseTtl, Duration deliveryTimeout) {
        Response r = run(ACQUIRE, List.of(keys.bridgeLease(), keys.bridgeQuietAfter(), keys.bridgeEpoch()),
                List.of(replicaId, Long.toString(leaseTtl.toMillis()), Long.toString(deliveryTimeout.toMillis())));
        return r.get(0).toInteger() == 1 ? new Acquired(r.get(1).toLong(), r.get(2).toLong()) : null;
    }

    public boolean renew(String replicaId, Duration leaseTtl, Duration deliveryTimeout) {
        return run(RENEW, List.of(keys.bridgeLease(), keys.bridgeQuietAfter()),
                List.of(replicaId, Long.toString(leaseTtl.toMillis()), Long.toString(deliveryTimeout.toMillis()))).toInteger() == 1;
    }

    public boolean release(String replicaId) {
        return run(RELEASE, List.of(keys.bridgeLease(), keys.bridgeQuietAfter()), List.of(replicaId)).toInteger() == 1;
    }

    /** Records acknowledged revisions and offsets; false when this replica no longer holds the lease. */
    public boolean commit(String replicaId, Map<String, Long> revisions, Map<Integer, Long> offsets) {
        List<String> args = new ArrayList<>(2 + 2 * (revisions.size() + offsets.size()));
        args.add(replicaId);
        args.add(Integer.toString(revisions.size()));
        revisions.forEach((service, revision) -> {
            args.add(service);
            args.add(Long.toString(revision));
        });
        offsets.forEach((partition, offset) -> {
            args.add(Integer.toString(partition));
            args.add(Long.toString(offset));
        });
        return run(COMMIT, List.of(keys.bridgeLease(), keys.bridgePublished(), keys.bridgeOffsets()), args).toInteger() == 1;
    }

    /** Services whose revision is ahead of what was published, with the revision published. */
    public Map<String, Long> pending() {
        Response r = run(PENDING, List.of(keys.services(), keys.bridgePublished()), List.of(keys.prefix()));
        Map<String, Long> pending = new HashMap<>();
        for (int i = 0; i + 1 < r.size(); i += 2) {
            pending.put(r.get(i).toString(), r.get(i + 1).toLong());
        }
        return pending;
    }

    public Map<String, Long> published() {
        Map<String, Long> published = new HashMap<>();
        hash(keys.bridgePublished()).forEach((service, revision) -> published.put(service, Long.parseLong(revision)));
        return published;
    }

    public Map<Integer, Long> offsets() {
        Map<Integer, Long> offsets = new HashMap<>();
        hash(keys.bridgeOffsets()).forEach((partition, offset) -> offsets.put(Integer.parseInt(partition), Long.parseLong(offset)));
        return offsets;
    }

    private Map<String, String> hash(String key) {
        Response r = redis.send(Request.cmd(Command.HGETALL).arg(key)).await().atMost(TIMEOUT);
        Map<String, String> values = new HashMap<>();
        if (r == null) {
            return values;
        }
        for (String field : r.getKeys()) {
            values.put(field, r.get(field).toString());
        }
        return values;
    }

    private Response run(LuaScript script, List<String> keys, List<String> args) {
        return script.run(redis, keys, args).await().atMost(TIMEOUT);
    }
}
