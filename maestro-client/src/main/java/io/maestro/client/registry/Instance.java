package io.maestro.client.registry;

import java.time.Instant;
import java.util.Map;

/** One registered node of a service, as {@link Maestro#use} reports it. */
public record Instance(String instanceId, String endpoint, Map<String, String> attributes, Instant registeredAt, Instant expiresAt) {
    public Instance {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The value of one attribute, or null. */
    public String attribute(String key) {
        return attributes.get(key);
    }
}
