package io.maestro.election.config;

import io.maestro.support.redis.KeyspaceNotificationsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the election-service (prefix {@code election}). Every one can be overridden by an environment
 * variable, e.g. {@code ELECTION_LEASE_DEFAULT_TTL}, {@code ELECTION_WATCH_KEEP_ALIVE}. Redis itself (hosts,
 * database index, Sentinel) is configured through {@code quarkus.redis.*}; Redis keys start with
 * {@code election.key-prefix}.
 */
@ConfigMapping(prefix = "election")
public interface ElectionConfig {

    /** Prefix of every Redis key the election service writes (not empty; see ElectionKeys). */
    @WithDefault("maestro:election:")
    String keyPrefix();

    /**
     * How many shards the groups are spread over (1 to 1024; service-support's KeyShards): each shard's keys share one
     * Redis Cluster slot and its events are relayed by a relay of their own. One suits a single Redis; with a Redis
     * Cluster, a few per master. Fixed for a data set: the service refuses to start on data written with another.
     */
    @WithDefault("1")
    int shards();

    /** Candidate leases. */
    Lease lease();

    /** Input limits (violations answer 400). */
    Limits limits();

    /** Finding leases that ran out. */
    Sweep sweep();

    /** Keyspace notifications: {@code configure}, {@code check-interval}, {@code reconnect-delay}. */
    KeyspaceNotificationsConfig notifications();

    /** The event log in Redis (a stream) that feeds Kafka and the watches. */
    Events events();


    /** Server-Sent Events watches. */
    Watch watch();

    interface Lease {
        /** TTL of a candidate that joins without {@code ttlMillis}. */
        @WithDefault("2s")
        Duration defaultTtl();

        /** Smallest accepted {@code ttlMillis}. */
        @WithDefault("250ms")
        Duration minTtl();

        /** Largest accepted {@code ttlMillis}. */
        @WithDefault("5m")
        Duration maxTtl();
    }

    interface Limits {
        /** Most keys one candidate may declare. */
        @WithDefault("10000")
        int maxKeysPerCandidate();

        /** Largest {@code metadata} object, in bytes of compact JSON. */
        @WithDefault("16384")
        int maxMetadataBytes();
    }

    interface Sweep {
        /**
         * Longest pause between two sweeps of a replica. A sweep sleeps until the next deadline of any group
         * (as Redis reports it) or this long, whichever is sooner; keep it below the smallest TTL.
         */
        @WithDefault("100ms")
        Duration maxInterval();

        /** Groups settled by one sweep script at most (more are taken at once by the next run). */
        @WithDefault("200")
        int batch();
    }

    interface Events {
        /** Events kept in the Redis stream {@code <key-prefix>events} (approximately; older ones are trimmed). */
        @WithDefault("100000")
        int streamMaxLength();
    }

    interface Watch {
        /** Interval of SSE comment lines that keep idle connections open (0 turns them off). */
        @WithDefault("15s")
        Duration keepAlive();

        /** Items unsent to a slow watcher before its stream ends with a fell-behind event (it resumes with Last-Event-ID). */
        @WithDefault("1024")
        int buffer();
    }
}
