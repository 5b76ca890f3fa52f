package io.maestro.support.relay;

import io.maestro.events.MaestroEvent;
import io.maestro.support.redis.KeyShards;
import io.maestro.support.redis.LuaScript;
import io.maestro.support.redis.LuaScripts;
import io.maestro.support.redis.RedisLease;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadArgs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A Redis stream as a {@link RelayLog}: the writers {@code XADD} an entry per event (fields only; the event is built
 * here, in Java, by {@code decode}); the holder of a {@link RedisLease} reads after a cursor kept in Redis and moves
 * it, checked against the lease in the same script. For Redis Cluster, give the cursor and the lease keys one hash
 * tag.
 */
public final class RedisStreamLog implements RelayLog {
    /** KEYS: 1 lease, 2 cursor; ARGV: 1 holder, 2 ttl ms, 3 new cursor. Moves the cursor unless another holds the lease. */
    private static final LuaScript ADVANCE = LuaScripts.toolkit().load("stream-log-advance");
    private static final String START = "0-0";

    /** The stream, the key of the relay's cursor (the last entry id sent) and the key of its lease. */
    public record Keys(String stream, String cursor, String lease) {
    }

    private final String name;
    private final RedisDataSource redis;
    private final Keys keys;
    private final RedisLease lease;
    private final BiFunction<String, Map<String, String>, MaestroEvent> decode;
    /** The cursor as this holder last read or wrote it; null: read it from Redis (after taking the lease). */
    private String cursor;

    /**
     * One log per shard of a sharded Redis service, each with the keys {@code keysOf} gives its shard: named
     * {@code name}, or "{@code name} of shard k" when there are several.
     */
    public static List<RelayLog> perShard(String name, RedisDataSource redis, KeyShards shards, IntFunction<Keys> keysOf,
                                          Duration leaseTtl, BiFunction<String, Map<String, String>, MaestroEvent> decode) {
        return shards.all().mapToObj(shard -> (RelayLog) new RedisStreamLog(
                shards.count() == 1 ? name : name + " of shard " + shard, redis, keysOf.apply(shard), leaseTtl, decode)).toList();
    }

    /**
     * @param decode builds the event of an entry from its id and fields
     */
    public RedisStreamLog(String name, RedisDataSource redis, Keys keys, Duration leaseTtl,
                          BiFunction<String, Map<String, String>, MaestroEvent> decode) {
        this.name = name;
        // Resolve the data source here, on the starting thread: Quarkus creates its Redis data sources lazily and not
        // thread-safely, and the relay's own thread would otherwise race the service's startup for it.
        redis.getReactive();
        this.redis = redis;
        this.keys = keys;
        this.lease = new RedisLease(redis, keys.lease(), leaseTtl);
        this.decode = decode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hold() {
        boolean held = lease.hold();
        if (!held) {
            cursor = null;
        }
        return held;
    }

    @Override
    public List<PendingEvent> next(int max, Duration wait) {
        if (cursor == null) {
            String stored = redis.value(String.class).get(keys.cursor());
            cursor = stored == null ? START : stored;
        }
        XReadArgs args = new XReadArgs().count(max);
        if (wait.toMillis() >= 1) {
            args.block(wait);
        }
        List<StreamMessage<String, String, String>> entries = redis.stream(String.class).xread(keys.stream(), cursor, args);
        List<PendingEvent> events = new ArrayList<>(entries.size());
        for (StreamMessage<String, String, String> entry : entries) {
            events.add(new PendingEvent(entry.id(), decode.apply(entry.id(), entry.payload())));
        }
        return events;
    }

    @Override
    public boolean acknowledge(List<PendingEvent> events) {
        String last = events.get(events.size() - 1).position();
        boolean moved = ADVANCE.run(redis, List.of(keys.lease(), keys.cursor()),
                List.of(lease.holder(), Long.toString(lease.ttl().toMillis()), last)).toLong() == 1;
        cursor = moved ? last : null;
        return moved;
    }

    @Override
    public void release() {
        cursor = null;
        lease.release();
    }
}
