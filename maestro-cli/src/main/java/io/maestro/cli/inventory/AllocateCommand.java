package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.Inventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.UUID;

/** {@code maestro inv allocate}: COUNT matching entities picked and assigned, all or nothing. */
@Command(name = "allocate", description = "Pick COUNT matching entities and assign them, all or nothing.",
        footer = {"%nExample:%n  maestro inv allocate 4 'type:server and pool:unallocated and in:dcz' --spread-by rack --pool web"})
public class AllocateCommand extends ServiceCall {
    @picocli.CommandLine.Mixin
    ChangeNote change;
    @Parameters(index = "0", paramLabel = "COUNT")
    int count;
    @Parameters(index = "1", paramLabel = "EXPRESSION")
    String query;
    @Option(names = "--spread-by", paramLabel = "TYPE", description = "each under a different ancestor of this type, e.g. rack")
    String spreadBy;
    @Option(names = "--pool", paramLabel = "POOL", description = "put the chosen entities in this pool")
    String pool;
    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "retrying with the same key returns the same result")
    String idempotencyKey;
    @Mixin
    Output output;

    @Override
    public void run() {
        List<Entity> entities = inventory(change, inv -> {
            Inventory.Allocate allocation = inv.allocate(query, count)
                    .idempotencyKey(idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
            if (spreadBy != null) {
                allocation.spreadBy(spreadBy);
            }
            if (pool != null) {
                allocation.assignToPool(pool);
            }
            return allocation.commit();
        });
        if (output.json) {
            output.json(entities);
            return;
        }
        InventoryArguments.entityTable(output, entities);
    }
}
