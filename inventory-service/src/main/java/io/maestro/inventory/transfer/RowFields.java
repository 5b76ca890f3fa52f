package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.transfer.ImportRow.AttributeKey;
import io.maestro.inventory.transfer.ImportRow.Link;
import io.maestro.inventory.transfer.ImportRow.Position;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of an import row's fields, the same for CSV and YAML and the same as the REST bodies': names, a rack
 * position, attribute values ({@link AttributeValue}). A broken rule is a {@link BadField} naming the column.
 */
final class RowFields {
    /** The REST API's position rule (EntityRequests.Position). */
    static final int MAX_HEIGHT = 100;
    static final int MAX_UNIT = 10_000;

    private RowFields() {
    }

    /** A field of one row that breaks a rule; the row is refused, the others are read on. */
    static final class BadField extends RuntimeException {
        final String column;

        BadField(String column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    /** The whole file is refused: a 400 naming where the parser stopped (a file that is not CSV, or not YAML). */
    static RuntimeException unreadable(java.io.IOException e, String what) {
        if (!(e instanceof com.fasterxml.jackson.core.JsonProcessingException parsing)) {
            return new java.io.UncheckedIOException(e); // reading a String: does not happen
        }
        var where = parsing.getLocation();
        return ProblemException.invalid("line " + (where == null ? "?" : where.getLineNr()) + ", column " + (where == null ? "?" : where.getColumnNr()),
                "is not " + what + ": " + parsing.getOriginalMessage());
    }

    static String name(String value, String column) {
        try {
            return Names.require(value, column);
        } catch (ProblemException e) {
            throw new BadField(column, Names.RULE);
        }
    }

    static Integer number(String text, String column, int max) {
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadField(column, "must be an integer between 1 and " + max);
    }

    /** A position from its parts, each optional; a unit needs a parent, a height needs a unit (the default height is 1). */
    static Position position(String parent, Integer unit, Integer height) {
        if (parent == null) {
            if (unit != null) {
                throw new BadField("unit", "needs a parent");
            }
            if (height != null) {
                throw new BadField("height", "needs a parent and a unit");
            }
            return null;
        }
        if (height != null && unit == null) {
            throw new BadField("height", "needs a unit");
        }
        return new Position(parent, unit, unit == null ? null : height == null ? 1 : height);
    }

    /** An attribute value checked as the REST API checks it; its rule's words are the refusal's. */
    static AttributeValue attribute(AttributeInput input, String column) {
        try {
            return AttributeValue.of(input, column);
        } catch (ProblemException e) {
            var error = e.errors().isEmpty() ? null : e.errors().get(0);
            throw new BadField(error == null ? column : error.field(), error == null ? e.getMessage() : error.rule());
        }
    }

    /** Groups values by key and subkey, in the order first named. */
    static Map<AttributeKey, List<AttributeValue>> byKey(List<AttributeValue> values) {
        Map<AttributeKey, List<AttributeValue>> byKey = new LinkedHashMap<>();
        for (AttributeValue value : values) {
            byKey.computeIfAbsent(new AttributeKey(value.key(), value.subkey()), k -> new ArrayList<>()).add(value);
        }
        return byKey;
    }

    static Link link(String port, String entity, String remotePort, String column) {
        return new Link(name(port, column), name(entity, column), name(remotePort, column), column);
    }
}
