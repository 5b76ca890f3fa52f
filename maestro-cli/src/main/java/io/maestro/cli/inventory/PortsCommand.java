package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Ports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code maestro inv ports}: an entity's ports (those its type declared and those it is cabled on) and where each leads. */
@Command(name = "ports", description = "List an entity's ports: those its type declared (maestro inv type NAME --ports) and those it is cabled on.",
        footer = {"%nExample:%n  maestro inv ports sw1"})
public class PortsCommand extends ServiceCall {
    @Parameters(paramLabel = "ENTITY")
    String entity;
    @Mixin
    Output output;

    @Override
    public void run() {
        Ports ports = inventory(inv -> inv.ports(entity));
        if (output.json) {
            output.json(ports);
            return;
        }
        output.table(List.of("PORT", "DECLARED", "CONNECTED TO"), ports.ports().stream().map(port -> List.of(port.port(),
                port.declared() ? "yes" : "-", port.connectedTo() == null ? "-" : port.connectedTo().entity() + " " + port.connectedTo().port())).toList());
        long cabled = ports.ports().stream().filter(port -> port.connectedTo() != null).count();
        output.out().printf("%s: %d port%s, %d cabled%s%n", entity, ports.ports().size(), ports.ports().size() == 1 ? "" : "s", cabled,
                ports.declaredOnly() ? "; cabled on its declared ports only" : "");
        output.out().flush();
    }
}
