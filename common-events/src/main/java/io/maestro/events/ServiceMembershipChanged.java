package io.maestro.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole current instance list of a service after one change, like MaestroJS's {@code use()} callback.
 * {@code revision} strictly increases per service.
 */
public record ServiceMembershipChanged(
        String eventId,
        Instant occurredAt,
        String service,
        @JsonProperty(required = true) long revision,
        Change change,
        List<ServiceInstance> instances,
        String actor) implements MaestroEvent {

    public ServiceMembershipChanged {
        Require.text(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.name(service, "service");
        Require.nonNegative(revision, "revision");
        Require.present(change, "change");
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    @Override
    public String subject() {
        return service;
    }

    public enum ChangeType { REGISTERED, UPDATED, DEREGISTERED, EXPIRED }

    public record Change(ChangeType type, String instanceId) {
        public Change {
            Require.present(type, "change.type");
            Require.text(instanceId, "change.instanceId");
        }
    }

    public record ServiceInstance(
            String instanceId,
            String endpoint,
            Map<String, String> attributes,
            Instant registeredAt,
            Instant expiresAt) {
        public ServiceInstance {
            Require.text(instanceId, "instances[].instanceId");
            Require.text(endpoint, "instances[].endpoint");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }
}
