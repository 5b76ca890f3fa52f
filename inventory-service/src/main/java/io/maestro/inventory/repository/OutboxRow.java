package io.maestro.inventory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code outbox}: one change of an entity with its JSON before and after, in the mutation's transaction.
 * It is the entity's history ({@code GET .../history}) and what the relay publishes as an InventoryMutation. Rows
 * are written by native statements ({@link EntityStore}): the JSON after is {@code entity_json} of the same statement.
 */
@Entity
@Table(name = "outbox")
public class OutboxRow {
    @Id
    public Long id;
    @Column(name = "event_id", nullable = false)
    public UUID eventId;
    @Column(name = "entity_id", nullable = false)
    public UUID entityId;
    @Column(name = "entity_name", nullable = false)
    public String entityName;
    @Column(nullable = false)
    public long version;
    @Column(nullable = false)
    public String op;
    @Column(columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String before;
    @Column(columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String after;
    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
    public String actor;
    /** Why, as the request said ({@code ?note=}); null when it said nothing. */
    public String note;
}
