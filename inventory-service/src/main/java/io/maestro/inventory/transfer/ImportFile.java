package io.maestro.inventory.transfer;

import java.util.List;

/** An import as read: the rows that could be read, and the rows that could not (each with its line and column). */
public record ImportFile(List<ImportRow> rows, List<ImportRow.Refusal> unreadable) {
}
