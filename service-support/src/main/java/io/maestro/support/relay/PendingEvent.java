package io.maestro.support.relay;

import io.maestro.events.EventType;
import io.maestro.events.MaestroEvent;

/**
 * An event waiting in a durable log for Kafka, and where it sits in that log (a stream entry id, an outbox row id):
 * what {@link RelayLog#acknowledge} moves past once Kafka has it.
 */
public record PendingEvent(String position, MaestroEvent event) {
    /** The event's home topic. */
    public String topic() {
        return EventType.of(event.getClass()).topic();
    }
}
