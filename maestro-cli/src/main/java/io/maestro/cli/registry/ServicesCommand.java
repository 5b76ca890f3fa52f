package io.maestro.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;

@Command(name = "services", description = "List the registered services (MaestroJS names).",
        footer = {"%nExample:%n  maestro services", "  maestro services --json"})
public class ServicesCommand extends ServiceCall {
    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode services = registry().get("/v1/services");
        if (output.json) {
            output.json(services);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        services.forEach(s -> rows.add(List.of(s.path("service").asText(), s.path("instances").asText(), s.path("revision").asText())));
        output.table(List.of("SERVICE", "INSTANCES", "REVISION"), rows);
    }
}
