package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.AttributeValue;
import io.maestro.client.inventory.Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code maestro inv add}: creates an entity (clusto's create). */
@Command(name = "add", description = "Create an entity.", footer = {"%nExamples:%n  maestro inv add server s1 --attr memory=64 --attr os=debian",
        "  maestro inv add rack rack101"})
public class AddCommand extends ServiceCall {
    @picocli.CommandLine.Mixin
    ChangeNote change;
    @Parameters(index = "0", paramLabel = "TYPE", description = "datacenter, rack, server, switch, pdu, pool, ...")
    String type;
    @Parameters(index = "1", paramLabel = "NAME", description = "a unique name")
    String name;
    @Option(names = "--attr", paramLabel = "KEY[.SUBKEY]=VALUE", description = "an attribute (repeatable)")
    Map<String, String> attributes = new LinkedHashMap<>();
    @Mixin
    Output output;

    @Override
    public void run() {
        List<AttributeValue> values = new ArrayList<>();
        attributes.forEach((k, v) -> values.add(InventoryArguments.attribute(k, v)));
        Entity created = inventory(change, inv -> inv.create(name, type, values));
        if (output.json) {
            output.json(created);
        } else {
            output.out().printf("added %s %s%n", type, name);
            output.out().flush();
        }
    }
}
