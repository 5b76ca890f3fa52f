package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code maestro inv allocate}: COUNT matching entities picked and assigned, all or nothing. */
@Command(name = "allocate", description = "Pick COUNT matching entities and assign them, all or nothing.",
        footer = {"%nExample:%n  maestro inv allocate 4 'type:server and pool:unallocated and in:dcz' --spread-by rack --pool web"})
public class AllocateCommand extends ServiceCall {
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("count", count);
        if (spreadBy != null) {
            body.put("spreadBy", spreadBy);
        }
        if (pool != null) {
            body.put("assign", Map.of("pool", pool));
        }
        body.put("idempotencyKey", idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        JsonNode allocation = inventory().post("/v1/allocations", body);
        if (output.json) {
            output.json(allocation);
            return;
        }
        JsonNode entities = allocation.has("entities") ? allocation.path("entities") : allocation.path("items");
        InventoryArguments.entityTable(output, entities);
    }
}
