package io.maestro.provisioner;

import io.maestro.events.ProvisioningEvent;
import io.maestro.events.ProvisioningEvent.NodeStatus;

/** A node as the provisioner stores it. */
public record NodeRecord(String cluster, String tag, int index, String providerId, String address, String username,
                         Integer port, NodeStatus status, String hostKey) {

    /** @param provider the driver of the node's group */
    public ProvisioningEvent.Node toEventNode(String provider) {
        return new ProvisioningEvent.Node(tag, index, address, username, port, status, providerId, provider);
    }

    public NodeRecord with(NodeStatus newStatus) {
        return new NodeRecord(cluster, tag, index, providerId, address, username, port, newStatus, hostKey);
    }
}
