package io.maestro.inventory.entity;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** An entity row locked by the current transaction, with its JSON before the change. */
public record LockedEntity(UUID id, String name, String type, long version, JsonObject before) {
}
