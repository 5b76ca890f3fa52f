package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.Location;
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
        Location location = inventory(inv -> inv.locate(name));
        if (output.json) {
            output.json(location);
            return;
        }
        String current = name;
        for (Location.Link hop : location.chain()) {
            String where = hop.unit() != null ? "RU" + hop.unit() + " in " : "in ";
            output.out().printf("%s -> %s%s%n", current, where, hop.entity());
            current = hop.entity();
        }
        for (Entity.PortConnection connection : location.connections()) {
            output.out().println(name + " -> " + describe(connection));
        }
        output.out().flush();
    }

    /** {@code port 4 on switch2a (from eth0)}: each connection names this entity's port and the other end. */
    private static String describe(Entity.PortConnection connection) {
        return "port " + connection.remotePort() + " on " + connection.entity() + " (from " + connection.port() + ")";
    }
}
