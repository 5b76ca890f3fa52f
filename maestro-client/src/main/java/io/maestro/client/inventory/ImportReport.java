package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What an import did, or in a dry run would do, row by row ({@link Inventory#importing}). {@code written}: whether the
 * created and changed rows were (would be) written; an atomic import with a refused row writes nothing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportReport(boolean dryRun, String mode, boolean written, int created, int changed, int unchanged, int refused, List<Row> rows) {
    public ImportReport {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** One row: its first line in the file, its name, created|changed|unchanged|refused, what it changes, or why refused and where. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Row(int line, String name, String outcome, List<String> changes, String column, String error) {
        public Row {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }
}
