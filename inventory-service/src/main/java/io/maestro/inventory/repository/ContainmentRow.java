package io.maestro.inventory.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** A row of {@code containment}: one parent per entity, with the unit and height it takes in a rack. */
@Entity
@Table(name = "containment")
public class ContainmentRow {
    @Id
    @Column(name = "child_id")
    public UUID childId;
    @Column(name = "parent_id", nullable = false)
    public UUID parentId;
    public Integer unit;
    public Integer height;

    public static ContainmentRow of(UUID childId, UUID parentId, Integer unit, Integer height) {
        ContainmentRow row = new ContainmentRow();
        row.childId = childId;
        row.parentId = parentId;
        row.unit = unit;
        row.height = height;
        return row;
    }
}
