package io.maestro.inventory.mutation;

import io.maestro.inventory.ApiModels.Mutation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A dry run's end: the mutation ran in full (locks, checks, constraints, outbox rows) and is rolled back by this
 * exception, which carries the changes it would have made; answered as 200 {@link Answer} by {@link DryRunMapper}.
 */
public final class DryRun extends RuntimeException {
    private final transient List<Mutation> changes;

    public DryRun(List<Mutation> changes) {
        super("dry run", null, false, false);
        this.changes = List.copyOf(changes);
    }

    @Schema(name = "DryRunAnswer", description = "?dryRun=true: what the mutation would change (each entity's change, as in its "
            + "history: op, before, after); nothing was written")
    public record Answer(boolean dryRun, List<Mutation> changes) {
    }

    public List<Mutation> changes() {
        return changes;
    }
}
