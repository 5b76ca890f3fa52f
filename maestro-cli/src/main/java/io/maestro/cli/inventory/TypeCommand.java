package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.EntityType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro inv type}: what the inventory knows about an entity type; with --pass-through, defines it. */
@Command(name = "type", description = "Show an entity type's definition, or with --pass-through make its entities patch panels.",
        footer = {"%nExamples:%n  maestro inv type panel --pass-through front-,rear-   # port front-N is wired to rear-N",
                "  maestro inv type panel"})
public class TypeCommand extends ServiceCall {
    @Parameters(paramLabel = "TYPE")
    String type;
    @Option(names = "--pass-through", paramLabel = "FRONT,REAR", split = ",", arity = "1",
            description = "entities of the type pass connections through: port FRONT+x is wired to port REAR+x")
    String[] passThrough;
    @Mixin
    Output output;

    @Override
    public void run() {
        if (passThrough != null && passThrough.length != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pass-through takes two prefixes: FRONT,REAR (e.g. front-,rear-)");
        }
        EntityType defined = inventory(inv -> passThrough == null ? inv.type(type) : inv.definePassThrough(type, passThrough[0], passThrough[1]));
        if (output.json) {
            output.json(defined);
            return;
        }
        output.out().printf("%s (version %d): %s%n", defined.name(), defined.version(), defined.passThrough() == null ? "passes nothing through"
                : "passes connections through, " + defined.passThrough().front() + "x <-> " + defined.passThrough().rear() + "x");
        output.out().flush();
    }
}
