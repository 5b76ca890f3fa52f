package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maestro inv locate}: an entity's containment chain and its port connections. */
@Command(name = "locate", description = "Where an entity is: its containment chain and its port connections.",
        footer = {"%nExample:%n  maestro inv locate s1", "  s1 -> RU13 in rack101", "  s1 -> port 4 on switch2a"})
public class LocateCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME")
    String name;
    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode location = inventory().get("/v1/entities/" + Http.encode(name) + "/location");
        if (output.json) {
            output.json(location);
            return;
        }
        String current = name;
        for (JsonNode hop : location.path("chain")) {
            String where = hop.path("unit").isNumber() ? "RU" + hop.path("unit").asText() + " in " : "in ";
            output.out().printf("%s -> %s%s%n", current, where, hop.path("entity").asText());
            current = hop.path("entity").asText();
        }
        for (JsonNode connection : location.path("connections")) {
            output.out().println(name + " -> " + describe(connection));
        }
        output.out().flush();
    }

    /** {@code port 4 on switch2a (from eth0)}: each connection names this entity's port and the other end. */
    private static String describe(JsonNode connection) {
        return "port " + connection.path("remotePort").asText() + " on " + connection.path("entity").asText()
                + " (from " + connection.path("port").asText() + ")";
    }
}
