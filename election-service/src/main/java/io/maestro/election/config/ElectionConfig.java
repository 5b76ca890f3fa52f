package io.maestro.election.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the election-service (prefix {@code election}). Every one can be overridden by an environment
 * variable, e.g. {@code ELECTION_LEASE_DEFAULT_TTL}, {@code ELECTION_RELAY_ENABLED}. Redis itself (hosts,
 * database index, Sentinel) is configured through {@code quarkus.redis.*}; Redis keys start with
 * {@code maestro:election:}.
 */
@ConfigMapping(prefix = "election")
public interface ElectionConfig {

    /** Candidate leases. */
    Lease lease();

    /** Input limits (violations answer 400). */
    Limits limits();

    /** Finding leases that ran out. */
    Sweep sweep();

    /** Keyspace notifications. */
    Notifications notifications();

    /** The event log in Redis (a stream) that feeds Kafka and the watches. */
    Events events();

    /** The relay of the event log into Kafka. */
    Relay relay();

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

    interface Notifications {
        /**
         * Whether the service may run {@code CONFIG SET notify-keyspace-events} when the flags it needs
         * ({@code E} and {@code x}) are missing. When it may not (or Redis refuses), readiness is DOWN naming the
         * setting; the sweep still ends leases on time.
         */
        @WithDefault("true")
        boolean configure();

        /** How often the setting is checked again (someone may reset it). */
        @WithDefault("30s")
        Duration checkInterval();
    }

    interface Events {
        /** Events kept in the Redis stream {@code maestro:election:events} (approximately; older ones are trimmed). */
        @WithDefault("100000")
        int streamMaxLength();
    }

    interface Relay {
        /** Whether this replica takes part in publishing the event log to Kafka (watches work either way). */
        @WithDefault("true")
        boolean enabled();

        /** Lifetime of the Redis lease that makes one replica the relay; renewed every third of it. */
        @WithDefault("5s")
        Duration leaseTtl();

        /**
         * Time within which the relay's Kafka producer delivers or gives up on a record
         * ({@code delivery.timeout.ms} of the channel). A replica taking over from a relay that vanished waits
         * this long after the old lease ran out, so no late record of the old relay lands after its own.
         */
        @WithDefault("10s")
        Duration deliveryTimeout();

        /** Events read from the log and sent in one batch at most. */
        @WithDefault("256")
        int batch();
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
