package io.maestro.inventory.repository;

import io.maestro.inventory.AttributeValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.util.UUID;

/** A row of {@code attribute}: one value of a key (and subkey, number) of an entity, typed, maybe a reference. */
@Entity
@Table(name = "attribute")
public class AttributeRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "entity_id", nullable = false)
    public UUID entityId;
    @Column(nullable = false)
    public String key;
    public String subkey;
    public Integer number;
    @Column(name = "value_type", nullable = false)
    public String valueType;
    @Column(name = "text_value", nullable = false)
    public String textValue;
    @Column(name = "number_value")
    public BigDecimal numberValue;
    @Column(name = "ref_id")
    public UUID refId;

    public static AttributeRow of(UUID entityId, AttributeValue value, UUID refId) {
        AttributeRow row = new AttributeRow();
        row.entityId = entityId;
        row.key = value.key();
        row.subkey = value.subkey();
        row.number = value.number();
        row.valueType = value.type();
        row.textValue = value.text();
        row.numberValue = value.numberValue();
        row.refId = refId;
        return row;
    }
}
