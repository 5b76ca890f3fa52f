package io.maestro.support.relay;

import java.util.List;

/**
 * A service's event logs to relay to Kafka. Every bean of this type is relayed from startup by {@link EventRelays}
 * (unless {@code maestro.relay.enabled=false}); a service declares one and writes nothing else for its relay.
 */
public interface RelaySource {
    /**
     * New handles on the logs, each with its own holder identity (lease, lock connection): one relay per log. Most
     * sources have one log; a sharded Redis source has one per shard (each its own stream, lease and cursor).
     */
    List<RelayLog> open();
}
