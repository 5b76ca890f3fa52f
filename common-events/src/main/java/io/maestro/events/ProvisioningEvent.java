package io.maestro.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** Progress of a provisioning command: accepted, each node's state change, then succeeded or failed. */
public record ProvisioningEvent(
        String eventId,
        String commandId,
        Instant occurredAt,
        String cluster,
        Type type,
        Node node,
        String message,
        String actor) implements MaestroEvent {

    public ProvisioningEvent {
        Require.text(eventId, "eventId");
        Require.text(commandId, "commandId");
        Require.present(occurredAt, "occurredAt");
        Require.name(cluster, "cluster");
        Require.present(type, "type");
        if (type.isNodeEvent()) {
            Require.present(node, "node");
        }
    }

    @Override
    public String subject() {
        return cluster;
    }

    public enum Type {
        ACCEPTED, EXPIRING, NODE_PENDING, NODE_RUNNING, NODE_STOPPED, NODE_TERMINATED, SUCCEEDED, FAILED;

        public boolean isNodeEvent() {
            return name().startsWith("NODE_");
        }
    }

    public enum NodeStatus { pending, running, stopped, terminated }

    /**
     * A node as the provisioner lists it, tinycloud's {@code {address, username, port}} plus identity, status and
     * {@code provider}, the driver that runs it ({@code local}, {@code aws-ec2}).
     */
    public record Node(String tag, @JsonProperty(required = true) int index, String address, String username, Integer port, NodeStatus status,
                       String providerId, String provider) {
        public Node {
            Require.name(tag, "node.tag");
            if (index < 0) {
                throw new InvalidEventException("field 'node.index' must be >= 0 but was " + index);
            }
        }
    }
}
