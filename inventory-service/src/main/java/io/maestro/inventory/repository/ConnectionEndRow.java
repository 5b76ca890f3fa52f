package io.maestro.inventory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** A row of {@code connection_end}: a port of an entity in a connection; a port is in one connection at most. */
@Entity
@Table(name = "connection_end")
@IdClass(ConnectionEndRow.Key.class)
public class ConnectionEndRow {
    /** The primary key (entity, port). */
    public record Key(UUID entityId, String port) implements Serializable {
    }

    @Id
    @Column(name = "entity_id")
    public UUID entityId;
    @Id
    public String port;
    @Column(name = "connection_id", nullable = false)
    public long connectionId;

    public static ConnectionEndRow of(UUID entityId, String port, long connectionId) {
        ConnectionEndRow row = new ConnectionEndRow();
        row.entityId = entityId;
        row.port = port;
        row.connectionId = connectionId;
        return row;
    }
}
