package io.maestro.events;

import java.time.Instant;

/** What every record on a Maestro topic has: an id for idempotent consumers, a time, and a Kafka key. */
public interface MaestroEvent {
    /** Unique id of this record; the CloudEvents {@code ce_id}. For commands it is the command id. */
    String eventId();

    Instant occurredAt();

    /** The Kafka record key and CloudEvents {@code ce_subject}; order holds per key. */
    String subject();
}
