package io.maestro.support.redis;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings of a service's keyspace notifications, the same in every service: its {@code @ConfigMapping} has a
 * group that extends this one, e.g. {@code registry.notifications.*}, {@code election.notifications.*}.
 */
public interface KeyspaceNotificationsConfig {
    /**
     * Whether the service may run {@code CONFIG SET notify-keyspace-events} when the flags it needs are missing.
     * When it may not (or Redis refuses), readiness is DOWN naming the setting and the value to set.
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
