package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** clusto's {@code attr add|get|set|del}. */
@Command(name = "attr", description = "Add, get, set or delete attributes (clusto's attr verbs).",
        subcommands = {AttributeCommand.AddAttribute.class, AttributeCommand.GetAttribute.class, AttributeCommand.SetAttribute.class,
                AttributeCommand.DeleteAttribute.class},
        footer = {"%nExamples:%n  maestro inv attr add s1 disk 500", "  maestro inv attr get s1 disk", "  maestro inv attr set s1 os debian",
                "  maestro inv attr del s1 disk"})
public class AttributeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "add, get, set or del is required");
    }

    static void attributeTable(Output output, JsonNode attributes) {
        List<List<String>> rows = new ArrayList<>();
        attributes.forEach(a -> rows.add(List.of(a.path("key").asText(), a.path("subkey").asText("-"), a.path("number").asText("-"),
                a.path("value").isTextual() ? a.path("value").asText() : a.path("value").toString(), a.path("type").asText("-"))));
        output.table(List.of("KEY", "SUBKEY", "NUMBER", "VALUE", "TYPE"), rows);
    }

    @Command(name = "add", description = "Add a value to a key (keeps the key's other values).", footer = {"%nExample:%n  maestro inv attr add s1 disk 500"})
    public static class AddAttribute extends ServiceCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY[.SUBKEY]")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        public void run() {
            inventory().post("/v1/entities/" + Http.encode(name) + "/attributes", InventoryArguments.attribute(key, value));
            spec.commandLine().getOut().printf("%s: added %s=%s%n", name, key, value);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "get", description = "Show an entity's attributes, or one key's.", footer = {"%nExample:%n  maestro inv attr get s1 disk --json"})
    public static class GetAttribute extends ServiceCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY", arity = "0..1")
        String key;
        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode attributes = inventory().get("/v1/entities/" + Http.encode(name) + "/attributes" + (key == null ? "" : "?key=" + Http.encode(key)));
            if (output.json) {
                output.json(attributes);
            } else {
                attributeTable(output, attributes.isArray() ? attributes : attributes.path("items"));
            }
        }
    }

    @Command(name = "set", description = "Replace every value of a key with one value.", footer = {"%nExample:%n  maestro inv attr set s1 os debian"})
    public static class SetAttribute extends ServiceCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        public void run() {
            Map<String, Object> attribute = InventoryArguments.attribute(key, value);
            inventory().put("/v1/entities/" + Http.encode(name) + "/attributes/" + Http.encode((String) attribute.get("key")), attribute);
            spec.commandLine().getOut().printf("%s: set %s=%s%n", name, key, value);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "del", description = "Delete a key, or one of its values.", footer = {"%nExample:%n  maestro inv attr del s1 disk 500"})
    public static class DeleteAttribute extends ServiceCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1")
        String value;

        @Override
        public void run() {
            inventory().delete("/v1/entities/" + Http.encode(name) + "/attributes/" + Http.encode(key) + (value == null ? "" : "?value=" + Http.encode(value)));
            spec.commandLine().getOut().printf("%s: deleted %s%s%n", name, key, value == null ? "" : "=" + value);
            spec.commandLine().getOut().flush();
        }
    }
}
