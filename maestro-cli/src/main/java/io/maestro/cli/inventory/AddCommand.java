package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code maestro inv add}: creates an entity (clusto's create). */
@Command(name = "add", description = "Create an entity.", footer = {"%nExamples:%n  maestro inv add server s1 --attr memory=64 --attr os=debian",
        "  maestro inv add rack rack101"})
public class AddCommand extends ServiceCall {
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
        List<Map<String, Object>> list = new ArrayList<>();
        attributes.forEach((k, v) -> list.add(InventoryArguments.attribute(k, v)));
        JsonNode created = inventory().post("/v1/entities", Map.of("name", name, "type", type, "attributes", list));
        if (output.json) {
            output.json(created);
        } else {
            output.out().printf("added %s %s%n", type, name);
            output.out().flush();
        }
    }
}
