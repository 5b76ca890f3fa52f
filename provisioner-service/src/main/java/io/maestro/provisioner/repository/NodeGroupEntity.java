package io.maestro.provisioner.repository;

import jakarta.persistence.Column;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/** A row of {@code node_group}: tinycloud's {@code {tag, count, driver}} of a cluster, with the driver's options. */
@Entity
@Table(name = "node_group")
@IdClass(NodeGroupEntity.Key.class)
public class NodeGroupEntity {
    /** The primary key (cluster, tag). */
    public record Key(String cluster, String tag) implements Serializable {
    }

    @Id
    public String cluster;
    @Id
    public String tag;
    @Column(nullable = false)
    public String driver;
    @Column(nullable = false, columnDefinition = "jsonb")
    @JdbcTypeCode(SqlTypes.JSON)
    public String options;
    @Column(nullable = false)
    public int count;
}
