package io.maestro.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One committed change of an inventory entity, relayed from the outbox. {@code before}/{@code after} are the entity's JSON;
 * {@code note} is why, as the request that made it said ({@code ?note=}), or null.
 */
public record InventoryMutation(
        String eventId,
        Instant occurredAt,
        String entityId,
        String entityName,
        @JsonProperty(required = true) long version,
        Op op,
        JsonNode before,
        JsonNode after,
        String actor,
        String note) implements MaestroEvent {

    public InventoryMutation {
        Require.text(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.text(entityId, "entityId");
        Require.text(entityName, "entityName");
        Require.nonNegative(version, "version");
        Require.present(op, "op");
        // JSON null arrives as a NullNode; keep one representation of "absent".
        before = before == null || before.isNull() ? null : before;
        after = after == null || after.isNull() ? null : after;
    }

    /** A change without a note. */
    public InventoryMutation(String eventId, Instant occurredAt, String entityId, String entityName, long version, Op op,
                             JsonNode before, JsonNode after, String actor) {
        this(eventId, occurredAt, entityId, entityName, version, op, before, after, actor, null);
    }

    @Override
    public String subject() {
        return entityId;
    }

    public enum Op { CREATED, UPDATED, DELETED }
}
