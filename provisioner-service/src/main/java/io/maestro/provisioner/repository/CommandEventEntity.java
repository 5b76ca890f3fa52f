package io.maestro.provisioner.repository;

import jakarta.persistence.Column;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code command_event}: one ProvisioningEvent of a command at its position {@code seq}. The table is also
 * the provisioner's outbox (migration V5): the relay publishes rows whose {@code published_at} is null.
 */
@Entity
@Table(name = "command_event")
public class CommandEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "command_id", nullable = false)
    public String commandId;
    @Column(nullable = false)
    public String type;
    @Column(nullable = false, columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String event;
}
