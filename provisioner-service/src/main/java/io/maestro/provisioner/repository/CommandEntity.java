package io.maestro.provisioner.repository;

import jakarta.persistence.Column;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A row of {@code command}: the request as received, its status, and the lease of the replica running it. Inserted
 * and claimed with native statements ({@link CommandRepository}): both must be one statement to be race-free.
 */
@Entity
@Table(name = "command")
public class CommandEntity {
    @Id
    public String id;
    @Column(nullable = false)
    public String type;
    @Column(nullable = false)
    public String cluster;
    @Column(nullable = false)
    public String status;
    @Column(nullable = false, columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String request;
    @Column(columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String result;
    public String message;
    public String actor;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
    @Column(name = "updated_at", insertable = false)
    public Instant updatedAt;
}
