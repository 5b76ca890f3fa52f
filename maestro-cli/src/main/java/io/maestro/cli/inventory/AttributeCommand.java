package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

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

    @Command(name = "add", description = "Add a value to a key (keeps the key's other values).", footer = {"%nExample:%n  maestro inv attr add s1 disk 500"})
    public static class AddAttribute extends ServiceCall {
        @picocli.CommandLine.Mixin
        ChangeNote change;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY[.SUBKEY]")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        public void run() {
            inventory(change, inv -> inv.addAttribute(name, InventoryArguments.attribute(key, value)));
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
            List<Entity.Attribute> attributes = inventory(inv -> inv.get(name)).attributes().stream()
                    .filter(a -> key == null || a.key().equals(key)).toList();
            if (output.json) {
                output.json(attributes);
            } else {
                InventoryArguments.attributeTable(output, attributes);
            }
        }
    }

    @Command(name = "set", description = "Replace every value of a key with one value.", footer = {"%nExample:%n  maestro inv attr set s1 os debian"})
    public static class SetAttribute extends ServiceCall {
        @picocli.CommandLine.Mixin
        ChangeNote change;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        public void run() {
            inventory(change, inv -> inv.setAttribute(name, InventoryArguments.attribute(key, value)));
            spec.commandLine().getOut().printf("%s: set %s=%s%n", name, key, value);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "del", description = "Delete a key, or one of its values.", footer = {"%nExample:%n  maestro inv attr del s1 disk 500"})
    public static class DeleteAttribute extends ServiceCall {
        @picocli.CommandLine.Mixin
        ChangeNote change;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1")
        String value;

        @Override
        public void run() {
            inventory(change, inv -> value == null ? inv.deleteAttribute(name, key) : inv.deleteAttribute(name, key, value));
            spec.commandLine().getOut().printf("%s: deleted %s%s%n", name, key, value == null ? "" : "=" + value);
            spec.commandLine().getOut().flush();
        }
    }
}
