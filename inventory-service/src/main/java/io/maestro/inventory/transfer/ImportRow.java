package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * One row of an import, checked for its own sake (names, numbers, attribute values) as it was read. What it does not
 * name is left alone: {@code type} null keeps the type (a new entity needs one), {@code position} null leaves the
 * entity where it is, {@code pools} are joined (never left), {@code attributes} replace the values of the keys they
 * name (and no other), {@code connections} are made (never unmade).
 *
 * @param line where the row starts in the file (1 is the first line)
 */
public record ImportRow(int line, String name, String type, Position position, List<String> pools,
                        Map<AttributeKey, List<AttributeValue>> attributes, List<Link> connections) {

    /** Inside {@code parent}, at rack units {@code unit .. unit + height - 1} when {@code unit} is set. */
    public record Position(String parent, Integer unit, Integer height) {
    }

    /** A key and subkey of attributes; the values of one are replaced together. */
    public record AttributeKey(String key, String subkey) {
    }

    /** A cable from this row's {@code port} to {@code entity}'s {@code remotePort}; {@code column} is where the row named it. */
    public record Link(String port, String entity, String remotePort, String column) {
    }

    /** A row that could not be read, or that the import refuses: where, and why, in the API's words. */
    public record Refusal(int line, String name, String column, String message) {
    }
}
