package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How to log in to a node: the ssh command line, and its parts (host, port, user); {@code hostKey} and the
 * {@code knownHosts} line let ssh verify the node rather than trust it on first use.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Login(String host, int port, String username, String command, String hostKey, String knownHosts) {
}
