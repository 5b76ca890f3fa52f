package io.maestro.provisioner.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of {@code cluster} (migrations V2, V6): created by {@link ClusterRepository#create}; only its expiry changes. */
@Entity
@Table(name = "cluster")
public class ClusterEntity {
    @Id
    public String name;
    @Column(name = "ssh_public_key")
    public String sshPublicKey;
    @Column(name = "launch_command_id", nullable = false)
    public String launchCommandId;
    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
    public String ttl;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "expiry_command_id")
    public String expiryCommandId;
}
