package io.maestro.provisioner;

import java.time.Instant;
import java.util.List;

/** A cluster with its groups; {@code sshPublicKey} is the user's public key nodes accept for login. */
public record ClusterRecord(String name, String sshPublicKey, String launchCommandId, Instant createdAt, List<GroupRecord> groups) {
}
