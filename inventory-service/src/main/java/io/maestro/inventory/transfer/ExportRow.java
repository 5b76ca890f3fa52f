package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;

import java.util.List;

/** An entity as an export writes it: the fields of an import row, all named, so that export then import changes nothing. */
public record ExportRow(String name, String type, String parent, Integer unit, Integer height, List<String> pools,
                        List<ImportRow.Link> connections, List<AttributeValue> attributes) {
}
