package io.maestro.provisioner.driver;

import java.security.PublicKey;
import java.util.Map;

/**
 * What a driver gets to know about a cluster.
 *
 * @param cluster          cluster name
 * @param launchId         id of the command that launched the cluster: stable across retries, new for a new cluster of
 *                         the same name, so drivers derive idempotency tokens from it
 * @param userPublicKey    the user's {@code sshPublicKey} (OpenSSH line) nodes accept for login, or null
 * @param servicePublicKey the provisioner's own public key nodes accept for exec
 * @param options          the group's driver options
 */
public record DriverContext(String cluster, String launchId, String userPublicKey, PublicKey servicePublicKey, Map<String, String> options) {
    public DriverContext {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
