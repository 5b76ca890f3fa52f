package io.maestro.provisioner.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** A row of {@code node}: one node of a group, stored before its driver is asked to create it. */
@Entity
@Table(name = "node")
@IdClass(NodeEntity.Key.class)
public class NodeEntity {
    /** The primary key (cluster, tag, index). */
    public record Key(String cluster, String tag, int index) implements Serializable {
    }

    @Id
    public String cluster;
    @Id
    public String tag;
    @Id
    @Column(name = "idx")
    public int index;
    @Column(name = "provider_id")
    public String providerId;
    public String address;
    public String username;
    public Integer port;
    @Column(nullable = false)
    public String status;
    @Column(name = "host_key")
    public String hostKey;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
