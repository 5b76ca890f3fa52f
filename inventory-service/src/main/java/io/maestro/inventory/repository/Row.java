package io.maestro.inventory.repository;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * One row of a native statement ({@link Statements}), its columns by position. The getters accept what Hibernate
 * Reactive reads for a column without a declared type (a uuid as UUID, a count as Long or Integer...); jsonb comes
 * cast to text in the statement and is parsed here.
 */
public record Row(Object[] values) {

    static Row of(Object result) {
        return new Row(result instanceof Object[] columns ? columns : new Object[] {result});
    }

    public boolean isNull(int column) {
        return values[column] == null;
    }

    public String string(int column) {
        Object value = values[column];
        return value == null ? null : value.toString();
    }

    public UUID uuid(int column) {
        Object value = values[column];
        return value == null || value instanceof UUID ? (UUID) value : UUID.fromString(value.toString());
    }

    public Long longValue(int column) {
        Object value = values[column];
        return value == null ? null : ((Number) value).longValue();
    }

    public Integer integer(int column) {
        Object value = values[column];
        return value == null ? null : ((Number) value).intValue();
    }

    public BigDecimal decimal(int column) {
        Object value = values[column];
        return value == null || value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(value.toString());
    }

    public Boolean bool(int column) {
        return (Boolean) values[column];
    }

    @SuppressWarnings("unchecked")
    public JsonObject json(int column) {
        Object value = values[column];
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        return value instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : new JsonObject(value.toString());
    }
}
