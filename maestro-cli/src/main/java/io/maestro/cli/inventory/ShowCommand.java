package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro inv show}: an entity with its attributes. */
@Command(name = "show", description = "Show an entity with its attributes.", footer = {"%nExamples:%n  maestro inv show s1 --json", "  maestro inv show s1 --effective   # with what it inherits from its pools and containers"})
public class ShowCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--effective", description = "its effective attributes: its own, then its pools', then its containers' (FROM says whose)")
    boolean effective;
    @Mixin
    Output output;

    @Override
    public void run() {
        Entity entity = inventory(inv -> effective ? inv.effective(name) : inv.get(name));
        if (output.json) {
            output.json(entity);
            return;
        }
        output.out().printf("%s (%s, version %s)%n", entity.name(), entity.type(), entity.version());
        InventoryArguments.attributeTable(output, entity.attributes());
    }
}
