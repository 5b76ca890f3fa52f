package io.maestro.cli.registry;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.registry.Registry;
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
        List<Registry.ServiceSummary> services = registry(Registry::services);
        if (output.json) {
            output.json(services);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        services.forEach(s -> rows.add(List.of(s.service(), Long.toString(s.instances()), Long.toString(s.revision()))));
        output.table(List.of("SERVICE", "INSTANCES", "REVISION"), rows);
    }
}
