package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.events.EventCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro inv query}: entities found with the expression language, page by page. */
@Command(name = "query", description = "Find entities with the expression language.",
        footer = {"%nExamples:%n  maestro inv query 'type:server and in:dcz and not pool:allocated'",
                "  maestro inv query 'name:web* or attr:memory>=64' --json"})
public class QueryCommand extends ServiceCall {
    @Parameters(paramLabel = "EXPRESSION")
    String expression;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "page size (default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--all", description = "follow the cursor through every page")
    boolean all;
    @Mixin
    Output output;

    @Override
    public void run() {
        var items = EventCodec.mapper().createArrayNode();
        String cursor = null;
        do {
            JsonNode page = inventory().get("/v1/entities?q=" + Http.encode(expression) + "&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + Http.encode(cursor)));
            page.path("items").forEach(items::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (all && cursor != null);
        if (output.json) {
            output.json(items);
        } else {
            InventoryArguments.entityTable(output, items);
        }
    }
}
