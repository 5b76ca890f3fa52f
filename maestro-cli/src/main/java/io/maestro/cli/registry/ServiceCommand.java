package io.maestro.cli.registry;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.registry.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Command(name = "service", description = "Show the live instances of one service.",
        footer = {"%nExamples:%n  maestro service billing", "  maestro service billing --healthy",
                "  maestro service billing --attr version=2 --json",
                "%nHEALTH is what the registry's checks found (- without checks); STATE is active, draining or maintenance."})
public class ServiceCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the service name")
    String name;

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "only instances with this attribute (repeatable)")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--healthy", description = "only instances that should get traffic: no failing check, state active")
    boolean healthy;

    @Mixin
    Output output;

    @Override
    public void run() {
        Registry.Service service = registry(registry -> registry.service(name, attributes, healthy));
        if (output.json) {
            output.json(service);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        service.instances().forEach(i -> rows.add(List.of(i.instanceId(), i.endpoint(), attributesOf(i.attributes()),
                i.health() == null ? "-" : i.health(), i.state(), i.expiresAt() == null ? "-" : i.expiresAt().toString())));
        output.table(List.of("INSTANCE", "ENDPOINT", "ATTRIBUTES", "HEALTH", "STATE", "EXPIRES"), rows);
        service.instances().stream().filter(i -> i.healthOutput() != null).forEach(i ->
                output.out().println(i.instanceId() + ": " + i.healthOutput().lines().findFirst().orElse("")));
    }

    static String attributesOf(Map<String, String> attributes) {
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(attributes).forEach((key, value) -> pairs.add(key + "=" + value));
        return pairs.isEmpty() ? "-" : String.join(",", pairs);
    }
}
