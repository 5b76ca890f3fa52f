package io.maestro.support.redis;

import io.quarkus.redis.datasource.RedisDataSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A lease in Redis that one replica at a time holds: a key whose value names the holder and which runs out unless
 * the holder renews it. Whoever finds it free (run out, or handed back) takes it. A holder that stopped renewing
 * (crashed, cut off) loses it after its time to live, and acts on it only through scripts (like
 * {@link io.maestro.support.relay.RedisStreamLog}'s) that check the value, so a late holder cannot overwrite its successor's work.
 */
public final class RedisLease {
    /** KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl ms. Renews the lease of its holder or takes a free one: 1, else 0. */
    private static final LuaScript HOLD = LuaScripts.toolkit().load("lease-hold");
    /** KEYS[1] lease; ARGV[1] holder. Deletes the lease if this holder has it. */
    private static final LuaScript RELEASE = LuaScripts.toolkit().load("lease-release");

    private final RedisDataSource redis;
    private final String key;
    private final Duration ttl;
    private final String holder = UUID.randomUUID().toString();

    public RedisLease(RedisDataSource redis, String key, Duration ttl) {
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("a lease's time to live must be at least 1 ms");
        }
        this.redis = redis;
        this.key = key;
        this.ttl = ttl;
    }

    /** Takes the lease when free, renews it when this holder has it: whether this holder has it now. */
    public boolean hold() {
        return HOLD.run(redis, List.of(key), List.of(holder, Long.toString(ttl.toMillis()))).toLong() == 1;
    }

    /** Hands the lease back, if this holder still has it. */
    public void release() {
        RELEASE.run(redis, List.of(key), List.of(holder));
    }

    public String key() {
        return key;
    }

    /** This holder's identity, the lease's value while it holds it. */
    public String holder() {
        return holder;
    }

    public Duration ttl() {
        return ttl;
    }
}
