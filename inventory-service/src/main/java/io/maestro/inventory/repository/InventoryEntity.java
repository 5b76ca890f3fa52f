package io.maestro.inventory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code entity} (migration V2): clusto's generic thing, a name and a type. Its JSON, with attributes,
 * containment, ports, pools and addresses, is built by PostgreSQL ({@code entity_json}).
 */
@Entity
@Table(name = "entity")
public class InventoryEntity {
    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String name;
    @Column(nullable = false)
    public String type;
    @Column(insertable = false, updatable = false)
    public long version;
    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
    @Column(name = "updated_at", insertable = false, updatable = false)
    public Instant updatedAt;

    public static InventoryEntity of(UUID id, String name, String type) {
        InventoryEntity entity = new InventoryEntity();
        entity.id = id;
        entity.name = name;
        entity.type = type;
        return entity;
    }
}
