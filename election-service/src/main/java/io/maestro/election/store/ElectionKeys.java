package io.maestro.election.store;

import io.maestro.election.config.ElectionConfig;
import io.maestro.support.redis.KeyShards;

/**
 * The Redis key layout under one prefix ({@code election.key-prefix}, default {@code maestro:election:}), spread over
 * shards ({@code election.shards}, service-support's {@link KeyShards}): every key of a group, and the shard-wide keys
 * its scripts touch, carry the hash tag of the group's shard {@code {k}}, so each transition touches one Redis Cluster
 * slot. The Lua transitions get the shard's prefix as {@code KEYS[1]} ({@code lib.lua}); Java names keys through this
 * class only. Group and candidate names follow {@code [a-z0-9][a-z0-9._-]*}, so ':' separates unambiguously, and the
 * shard-wide keys start with '_', which no group does.
 *
 * <pre>
 * P{k}:&lt;group&gt;:*              the state of one group (candidates, leases, leader, keys: see lib.lua)
 * P{k}:&lt;group&gt;:lease:&lt;c&gt;      string with the lease's TTL: its expiry is notified and wakes the sweep
 * P{k}:_due                   group -&gt; its earliest deadline, for the sweepers
 * P{k}:_events                stream of the shard's LeadershipChanged, in transition order
 * P{k}:_relay:lease, :cursor  which replica relays the shard's events, and the last entry Kafka acknowledged
 * P_shards                    the shard count the data set was written with
 * Preplica:&lt;id&gt;               pub/sub channel a replica pings itself on to check its subscription
 * </pre>
 */
public final class ElectionKeys {
    private static final String LEASE = ":lease:";

    private final String prefix;
    private final KeyShards shards;

    public ElectionKeys(String prefix, KeyShards shards) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("election.key-prefix must not be empty");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("election.key-prefix must not contain '{' or '}' (they mark a shard's keys): " + prefix);
        }
        this.prefix = prefix;
        this.shards = shards;
    }

    public static ElectionKeys of(ElectionConfig config) {
        return new ElectionKeys(config.keyPrefix(), new KeyShards(config.shards()));
    }

    public String prefix() {
        return prefix;
    }

    public KeyShards shards() {
        return shards;
    }

    public int shardOf(String group) {
        return shards.of(group);
    }

    /** What every key of shard {@code shard} starts with (the scripts' {@code KEYS[1]}). */
    public String shardPrefix(int shard) {
        return prefix + KeyShards.tag(shard) + ":";
    }

    /** The shard's groups with a deadline to come (a live candidate's lease end or a handoff), lib.lua's {@code K_DUE}. */
    public String due(int shard) {
        return shardPrefix(shard) + "_due";
    }

    /** The stream of the shard's leadership events (its relay's log and the watches' feed). */
    public String events(int shard) {
        return shardPrefix(shard) + "_events";
    }

    public String relayLease(int shard) {
        return shardPrefix(shard) + "_relay:lease";
    }

    public String relayCursor(int shard) {
        return shardPrefix(shard) + "_relay:cursor";
    }

    /** What every key of {@code group} starts with. */
    public String group(String group) {
        return shardPrefix(shardOf(group)) + group + ":";
    }

    /** Where the shard count of the data set is kept ({@link KeyShards#verify}). */
    public String shardCount() {
        return prefix + "_shards";
    }

    public String replicaChannel(String replicaId) {
        return prefix + "replica:" + replicaId;
    }

    /** Whether {@code key} is the lease key of a candidate (whose expiry means a lease ran out). */
    public boolean isLease(String key) {
        if (key == null || !key.startsWith(prefix + "{")) {
            return false;
        }
        int close = key.indexOf("}:", prefix.length());
        return close > 0 && key.indexOf(LEASE, close + 2) > close + 2;
    }
}
