package io.maestro.registry.config;

import io.maestro.support.redis.KeyspaceNotificationsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the registry-service (prefix {@code registry}). Every one can be overridden by an environment
 * variable, e.g. {@code REGISTRY_KEY_PREFIX}, {@code REGISTRY_CHANGES_MAX_LENGTH}. Redis itself (hosts, database
 * index, Sentinel) is configured through {@code quarkus.redis.*}.
 */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Prefix of every Redis key the registry writes. */
    @WithDefault("maestro:registry:")
    String keyPrefix();

    /**
     * How many shards the services are spread over (1 to 1024; service-support's KeyShards): each shard's keys share
     * one Redis Cluster slot and its changes are relayed by a relay of their own. One suits a single Redis; with a
     * Redis Cluster, a few per master. Fixed for a data set: the registry refuses to start on data written with another.
     */
    @WithDefault("1")
    int shards();

    /** Instance time-to-live. */
    Ttl ttl();

    /** The per-service change log kept in Redis (a stream): what a watch can replay. */
    History history();

    /** Keyspace notifications: {@code configure}, {@code check-interval}, {@code reconnect-delay}. */
    KeyspaceNotificationsConfig notifications();

    /** The change stream of all services, relayed to Kafka by the suite's relay ({@code maestro.relay.*}). */
    Changes changes();

    /** Server-Sent Events watches. */
    Watch watch();

    /** Health checks declared at registration and run by the registry's replicas. */
    Checks checks();

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

    interface Changes {
        /**
         * Changes of all services kept in the change stream the relay copies to Kafka (approximately; older ones are
         * trimmed). While Kafka is unreachable they wait there: at 1,000 changes/s the default covers 100 s.
         */
        @WithDefault("100000")
        int maxLength();
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

    interface Checks {
        /** Whether this replica runs checks at all (instances may declare them either way). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How replicas share the checks: {@code election} (each check shard is a key of an election group of the
         * registry's replicas, so exactly one replica probes it and a dead replica's shards move within the lease), or
         * {@code single} (this replica probes every check: for a single replica only).
         */
        @WithDefault("election")
        Coordination coordination();

        /** The election-service the replicas campaign in (coordination {@code election}). */
        Election election();

        /** Check shards: the keys the replicas campaign for; each instance's checks are in one, by a hash of its names. */
        @WithDefault("32")
        int shards();

        /** Most checks an instance may declare. */
        @WithDefault("4")
        int maxPerInstance();

        /** Most probes this replica starts per second; probes over it wait for the next interval (counted as skipped). */
        @WithDefault("2000")
        int maxProbesPerSecond();

        /**
         * Networks (CIDR, IPv4 or IPv6) checks may target besides the host of the instance's own endpoint, and the only
         * way to allow loopback (127.0.0.0/8, ::1): a single-machine setup lists them. Link-local and cloud metadata
         * addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are refused even when listed.
         */
        Optional<List<String>> allowedNetworks();

        /** How often a replica re-reads the checks of the shards it holds (new, changed and removed checks). */
        @WithDefault("1s")
        Duration refreshInterval();

        enum Coordination { ELECTION, SINGLE }

        interface Election {
            /** Base URL of the election-service, or its replicas' URLs separated by commas (a call fails over between them). */
            @WithDefault("http://127.0.0.1:8082")
            List<URI> url();

            /** The group the replicas campaign in. */
            @WithDefault("maestro.registry-checks")
            String group();

            /** Lease of a replica's shards: a dead replica's checks move to the others within it. */
            @WithDefault("5s")
            Duration lease();

            /**
             * The token to campaign with ({@code election:campaign:maestro.registry-checks}); default: the replica's
             * self-registration token ({@code maestro.self-registration.token}), which the runner mints with that scope.
             */
            Optional<String> token();
        }
    }
}
