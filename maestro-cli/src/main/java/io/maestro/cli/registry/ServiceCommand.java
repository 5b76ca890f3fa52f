package io.maestro.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Command(name = "service", description = "Show the live instances of one service.",
        footer = {"%nExamples:%n  maestro service billing", "  maestro service billing --attr version=2 --json"})
public class ServiceCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the service name")
    String name;

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "only instances with this attribute (repeatable)")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Mixin
    Output output;

    @Override
    public void run() {
        String query = attributes.entrySet().stream()
                .map(e -> "attr." + Http.encode(e.getKey()) + "=" + Http.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        JsonNode service = registry().get("/v1/services/" + Http.encode(name) + (query.isEmpty() ? "" : "?" + query));
        if (output.json) {
            output.json(service);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        service.path("instances").forEach(i -> rows.add(List.of(i.path("instanceId").asText(), i.path("endpoint").asText(),
                attributesOf(i.path("attributes")), i.path("expiresAt").asText("-"))));
        output.table(List.of("INSTANCE", "ENDPOINT", "ATTRIBUTES", "EXPIRES"), rows);
    }

    static String attributesOf(JsonNode attributes) {
        List<String> pairs = new ArrayList<>();
        attributes.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return pairs.isEmpty() ? "-" : String.join(",", pairs);
    }
}
