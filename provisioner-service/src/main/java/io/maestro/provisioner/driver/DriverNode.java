package io.maestro.provisioner.driver;

import io.maestro.events.ProvisioningEvent.NodeStatus;

/**
 * A node as a driver reports it: tinycloud's {@code {address, username, port}} plus identity, status and the SSH
 * host key (OpenSSH public key line) the service records and then verifies on every connection.
 */
public record DriverNode(String tag, int index, String providerId, String address, String username, int port,
                         NodeStatus status, String hostKey) {
}
