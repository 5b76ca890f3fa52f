package io.maestro.inventory.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What an import did (or, in a dry run, would do) row by row. */
@Schema(name = "ImportReport", description = "An import's outcome row by row. With mode atomic, a refused row means nothing is written (written false).")
public record ImportReport(boolean dryRun, @Schema(enumeration = {"atomic", "per-row"}) String mode,
                           @Schema(description = "true when the created and changed rows were written (in a dry run: would be)") boolean written,
                           int created, int changed, int unchanged, int refused, List<RowOutcome> rows) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ImportRowOutcome")
    public record RowOutcome(@Schema(description = "The row's first line in the file") int line,
                             @Schema(nullable = true) String name,
                             @Schema(enumeration = {"created", "changed", "unchanged", "refused"}) String outcome,
                             @Schema(nullable = true, description = "What a changed row changes: type, attributes, parent, pools, connections") List<String> changes,
                             @Schema(nullable = true, description = "A refused row: the column (CSV) or field (YAML) at fault") String column,
                             @Schema(nullable = true, description = "A refused row: why") String error) {
    }
}
