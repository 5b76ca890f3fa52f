package io.maestro.provisioner;

import java.time.Instant;
import java.util.List;

/**
 * A cluster with its groups; {@code sshPublicKey} is the user's public key nodes accept for login. {@code ttl} and
 * {@code expiresAt} are null for a cluster that lives until destroyed; {@code expiryCommandId} names the DESTROY the
 * provisioner issued when the ttl ran out.
 */
public record ClusterRecord(String name, String sshPublicKey, String launchCommandId, Instant createdAt, List<GroupRecord> groups,
                            String ttl, Instant expiresAt, String expiryCommandId) {
    /** A cluster about to be created, which lives for {@code ttl} (null: until destroyed). */
    public static ClusterRecord wanted(String name, String sshPublicKey, String launchCommandId, List<GroupRecord> groups, String ttl) {
        return new ClusterRecord(name, sshPublicKey, launchCommandId, null, groups, ttl, null, null);
    }
}
