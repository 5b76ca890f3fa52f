package io.maestro.support.relay;

/**
 * A service's event log to relay to Kafka. Every bean of this type is relayed from startup by {@link EventRelays}
 * (unless {@code maestro.relay.enabled=false}); a service declares one and writes nothing else for its relay.
 */
public interface RelaySource {
    /** A new handle on the log, with its own holder identity (lease, lock connection): one per relay. */
    RelayLog open();
}
