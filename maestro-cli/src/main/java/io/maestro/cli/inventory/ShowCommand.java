package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maestro inv show}: an entity with its attributes. */
@Command(name = "show", description = "Show an entity with its attributes.", footer = {"%nExample:%n  maestro inv show s1 --json"})
public class ShowCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME")
    String name;
    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode entity = inventory().get("/v1/entities/" + Http.encode(name));
        if (output.json) {
            output.json(entity);
            return;
        }
        output.out().printf("%s (%s, version %s)%n", entity.path("name").asText(), entity.path("type").asText(), entity.path("version").asText());
        AttributeCommand.attributeTable(output, entity.path("attributes"));
    }
}
