package io.maestro.registry.store;

/**
 * One entry of a service's change log: the {@code ServiceMembershipChanged} JSON the scripts wrote (forwarded as
 * is to Kafka and to watches), with what a Kafka record's headers need.
 */
public record LogEntry(String service, long revision, String eventId, String time, long occurredAtMillis, String json) {
}
