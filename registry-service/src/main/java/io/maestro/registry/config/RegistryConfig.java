package io.maestro.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the registry-service (prefix {@code registry}). Every one can be overridden by an environment
 * variable, e.g. {@code REGISTRY_KEY_PREFIX}, {@code REGISTRY_BRIDGE_LEASE_TTL}. Redis itself (hosts, database
 * index, Sentinel) is configured through {@code quarkus.redis.*}.
 */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Prefix of every Redis key the registry writes. */
    @WithDefault("maestro:registry:")
    String keyPrefix();

    /** Instance time-to-live. */
    Ttl ttl();

    /** The per-service change log kept in Redis (a stream): what a watch can replay. */
    History history();

    /** Keyspace notifications. */
    Notifications notifications();

    /** The Redis keyspace bridge into Kafka. */
    Bridge bridge();

    /** Server-Sent Events watches. */
    Watch watch();

    interface Ttl {
        /** TTL of an instance registered without {@code ttlSeconds}. */
        @WithDefault("10")
        int defaultSeconds();

        /** Smallest accepted {@code ttlSeconds}. */
        @WithDefault("1")
        int minSeconds();

        /** Largest accepted {@code ttlSeconds}. */
        @WithDefault("3600")
        int maxSeconds();

        /**
         * How often every replica looks for instances whose TTL ran out (a safety net under Redis' own
         * expiry, so an instance is announced EXPIRED within TTL + this interval at worst).
         */
        @WithDefault("250ms")
        Duration sweepInterval();
    }

    interface History {
        /** Changes kept per service (at least; the stream is trimmed approximately). */
        @WithDefault("128")
        int maxLength();
    }

    interface Notifications {
        /**
         * Whether the service may run {@code CONFIG SET notify-keyspace-events} when the flags it needs are
         * missing. When it may not (or Redis refuses), readiness is DOWN naming the setting.
         */
        @WithDefault("true")
        boolean configure();

        /** How often the setting is checked again (someone may reset it). */
        @WithDefault("30s")
        Duration checkInterval();

        /** Delay before re-subscribing after the notification connection is lost (doubles up to 5 s). */
        @WithDefault("100ms")
        Duration reconnectDelay();
    }

    interface Bridge {
        /** Whether this replica takes part in publishing to Kafka (watches work either way). */
        @WithDefault("true")
        boolean enabled();

        /** Lifetime of the Redis lease that makes one replica the active bridge; renewed every third of it. */
        @WithDefault("5s")
        Duration leaseTtl();

        /**
         * The bridge's Kafka producer gives up on a record after this long ({@code delivery.timeout.ms}).
         * A replica taking over from one that vanished waits this long after the old lease ran out, so no
         * record of the old bridge can land after its own.
         */
        @WithDefault("10s")
        Duration deliveryTimeout();

        /** Kafka {@code request.timeout.ms} of the bridge's producer (must be below the delivery timeout). */
        @WithDefault("4s")
        Duration requestTimeout();

        /** Kafka {@code linger.ms} of the bridge's producer. */
        @WithDefault("0ms")
        Duration linger();

        /** How often the active bridge compares every service's revision with what it published. */
        @WithDefault("10s")
        Duration reconcileInterval();

        /** Partitions of {@code maestro.registry.changes} when the bridge creates it (0 = broker default). */
        @WithDefault("0")
        int topicPartitions();

        /** Replication factor of {@code maestro.registry.changes} when the bridge creates it (0 = broker default). */
        @WithDefault("0")
        short topicReplicationFactor();
    }

    interface Watch {
        /** Interval of SSE comment lines that keep idle connections open (not events; 0 turns them off). */
        @WithDefault("15s")
        Duration keepAlive();

        /** Items unsent to a slow watcher before its stream ends with a fell-behind event (it resumes with afterRevision). */
        @WithDefault("1024")
        int buffer();

        /** How often a replica re-reads the revision of each watched service (a safety net under notifications). */
        @WithDefault("5s")
        Duration recheckInterval();
    }
}
