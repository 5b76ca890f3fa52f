package io.maestro.inventory.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.maestro.events.EventCodec;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One row of a native statement ({@link Statements}), its columns by position. The getters accept what Hibernate
 * Reactive reads for a column without a declared type (a uuid as UUID, a count as Long or Integer...); jsonb comes
 * cast to text in the statement and is read by Jackson ({@link #as}).
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

    /** A JSON column (cast to text in the statement) read as {@code type}, e.g. an {@code entity_json} as an EntityView. */
    public <T> T as(int column, Class<T> type) {
        Object value = values[column];
        if (value == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(value.toString(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("column " + column + " is not a " + type.getSimpleName(), e);
        }
    }
}
