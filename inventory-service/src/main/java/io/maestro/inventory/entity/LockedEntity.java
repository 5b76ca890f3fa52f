package io.maestro.inventory.entity;

import java.util.UUID;

/** An entity row locked by the current transaction, with its JSON before the change (as {@code entity_json} wrote it). */
public record LockedEntity(UUID id, String name, String type, long version, String beforeJson) {
}
