package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * A cluster as the provisioner has it: when it was launched, by which command, its groups and every node; {@code ttl}
 * and {@code expiresAt} (null: it lives until destroyed), and the DESTROY the provisioner issued once the ttl ran out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(String name, String createdAt, String launchCommandId, List<Group> groups, List<Node> nodes,
                      String ttl, String expiresAt, String expiryCommandId) {
    public Cluster {
        groups = groups == null ? List.of() : List.copyOf(groups);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** A group: its tag, how many nodes it should have, and the driver (with its options) that runs them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(String tag, int count, String driver, Map<String, String> options) {
    }
}
