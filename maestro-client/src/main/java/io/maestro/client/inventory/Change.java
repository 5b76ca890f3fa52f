package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One change of an entity, as its history keeps it (the {@code InventoryMutation} the inventory also publishes):
 * {@code op} is {@code CREATED}, {@code UPDATED} or {@code DELETED}, with the entity before and after (null where
 * there is none), who made it and why ({@code note}, as the request said; null when it said nothing).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Change(String eventId, String occurredAt, String entityId, String entityName, long version, String op,
                     Entity before, Entity after, String actor, String note) {
}
