package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code maestro inv history}: the recorded changes of an entity. */
@Command(name = "history", description = "The recorded changes of an entity, oldest first.", footer = {"%nExample:%n  maestro inv history s1"})
public class HistoryCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME")
    String name;
    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode history = inventory().get("/v1/entities/" + Http.encode(name) + "/history");
        if (output.json) {
            output.json(history);
            return;
        }
        JsonNode items = history.isArray() ? history : history.path("items");
        List<List<String>> rows = new ArrayList<>();
        items.forEach(m -> rows.add(List.of(m.path("version").asText(), m.path("op").asText(), m.path("occurredAt").asText("-"))));
        output.table(List.of("VERSION", "OP", "AT"), rows);
    }
}
