package io.maestro.client.registry;

import io.maestro.events.InstanceHealth;

import java.time.Instant;
import java.util.Map;

/**
 * One registered node of a service, as {@link Maestro#use} reports it. {@code health}: passing or critical when the
 * registry runs checks for it, null when it has none; {@code healthOutput}: what a failing check saw; {@code state}:
 * active, draining or maintenance.
 */
public record Instance(String instanceId, String endpoint, Map<String, String> attributes, Instant registeredAt, Instant expiresAt,
                       String health, String healthOutput, String state) {
    public Instance {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        state = state == null ? InstanceHealth.ACTIVE : state;
    }

    /** An active instance without checks. */
    public Instance(String instanceId, String endpoint, Map<String, String> attributes, Instant registeredAt, Instant expiresAt) {
        this(instanceId, endpoint, attributes, registeredAt, expiresAt, null, null, InstanceHealth.ACTIVE);
    }

    /** The value of one attribute, or null. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    /** Whether it should get traffic: no failing check and active (the registry's {@code ?healthy=true}). */
    public boolean serving() {
        return InstanceHealth.serving(health, state);
    }
}
