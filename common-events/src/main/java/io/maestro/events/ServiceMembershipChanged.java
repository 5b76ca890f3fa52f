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

    /**
     * What changed. {@code CHECK_PASSING} and {@code CHECK_CRITICAL}: the instance's health (its checks, run by the
     * registry) changed to passing or critical; {@code STATE_CHANGED}: its state (active, draining, maintenance).
     */
    public enum ChangeType { REGISTERED, UPDATED, DEREGISTERED, EXPIRED, CHECK_PASSING, CHECK_CRITICAL, STATE_CHANGED }

    public record Change(ChangeType type, String instanceId) {
        public Change {
            Require.present(type, "change.type");
            Require.text(instanceId, "change.instanceId");
        }
    }

    /**
     * One instance. {@code health}: {@link InstanceHealth#PASSING} or {@link InstanceHealth#CRITICAL} when it has
     * checks, null when it has none; {@code healthOutput}: what the failing check saw (at most 4 KiB), null when
     * passing; {@code state}: {@link InstanceHealth#STATES} (absent in events of older registries: active).
     */
    public record ServiceInstance(
            String instanceId,
            String endpoint,
            Map<String, String> attributes,
            Instant registeredAt,
            Instant expiresAt,
            String health,
            String healthOutput,
            String state) {
        public ServiceInstance {
            Require.text(instanceId, "instances[].instanceId");
            Require.text(endpoint, "instances[].endpoint");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
            state = state == null ? InstanceHealth.ACTIVE : state;
        }

        /** An active instance without checks. */
        public ServiceInstance(String instanceId, String endpoint, Map<String, String> attributes, Instant registeredAt, Instant expiresAt) {
            this(instanceId, endpoint, attributes, registeredAt, expiresAt, null, null, InstanceHealth.ACTIVE);
        }

        /** Whether it should get traffic: no failing check, and active ({@link InstanceHealth#serving}). */
        public boolean serving() {
            return InstanceHealth.serving(health, state);
        }
    }
}
