package io.maestro.election.store;

import io.maestro.election.config.ElectionConfig;

/**
 * The Redis key layout under one prefix ({@code election.key-prefix}, default {@code maestro:election:}). The Lua
 * transitions get the prefix from here ({@code lib.lua}'s {@code P}); Java names keys through this class only.
 * Group and candidate names follow {@code [a-z0-9][a-z0-9._-]*}, so ':' and the braces separate unambiguously.
 *
 * <pre>
 * P{&lt;group&gt;}:*              the state of one group (candidates, leases, leader, keys: see lib.lua)
 * P{&lt;group&gt;}:lease:&lt;c&gt;      string with the lease's TTL: its expiry is notified and wakes the sweep
 * Pdue                    group -&gt; its earliest deadline, for the sweepers
 * Pevents                 stream of every LeadershipChanged, in transition order
 * Preplica:&lt;id&gt;           pub/sub channel a replica pings itself on to check its subscription
 * </pre>
 */
public final class ElectionKeys {
    private static final String LEASE = "}:lease:";

    private final String prefix;

    public ElectionKeys(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("election.key-prefix must not be empty");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("election.key-prefix must not contain '{' or '}' (they mark a group's keys): " + prefix);
        }
        this.prefix = prefix;
    }

    public static ElectionKeys of(ElectionConfig config) {
        return new ElectionKeys(config.keyPrefix());
    }

    public String prefix() {
        return prefix;
    }

    /** The stream of leadership events (the relay's log and the watches' feed). */
    public String events() {
        return prefix + "events";
    }

    /** A service-wide key, e.g. {@code key("relay:lease")}. */
    public String key(String name) {
        return prefix + name;
    }

    /** What every key of {@code group} starts with. */
    public String group(String group) {
        return prefix + "{" + group + "}:";
    }

    public String replicaChannel(String replicaId) {
        return prefix + "replica:" + replicaId;
    }

    /** Whether {@code key} is the lease key of a candidate (whose expiry means a lease ran out). */
    public boolean isLease(String key) {
        return key != null && key.startsWith(prefix + "{") && key.indexOf(LEASE, prefix.length()) > 0;
    }
}
