package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code maestro inv query}: entities found with the expression language, page by page. */
@Command(name = "query", description = "Find entities with the expression language.",
        footer = {"%nExamples:%n  maestro inv query 'type:server and in:dcz and not pool:allocated'",
                "  maestro inv query 'name:web* or attr:memory>=64' --json"})
public class QueryCommand extends ServiceCall {
    @Parameters(paramLabel = "EXPRESSION")
    String expression;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "show at most N (default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--all", description = "show every match (read page by page)")
    boolean all;
    @Mixin
    Output output;

    @Override
    public void run() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1 but was " + limit);
        }
        List<Entity> items = inventory(inv -> (all ? inv.query(expression) : inv.query(expression).limit(limit)).toList());
        if (output.json) {
            output.json(items);
        } else {
            InventoryArguments.entityTable(output, items);
        }
    }
}
