package io.maestro.inventory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code allocation}: the request and result of an allocation made with an idempotency key. */
@Entity
@Table(name = "allocation")
public class AllocationRow {
    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(nullable = false, columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String request;
    @Column(nullable = false, columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String result;
}
