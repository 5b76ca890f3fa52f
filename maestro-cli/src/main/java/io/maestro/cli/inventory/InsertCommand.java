package io.maestro.cli.inventory;

import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro inv insert}: puts an entity inside another, at a rack unit. */
@Command(name = "insert", description = "Put an entity inside another, at a rack unit.",
        footer = {"%nExample:%n  maestro inv insert rack101 s1 --unit 13 --height 2"})
public class InsertCommand extends ServiceCall {
    @picocli.CommandLine.Mixin
    ChangeNote change;
    @Parameters(index = "0", paramLabel = "PARENT")
    String parent;
    @Parameters(index = "1", paramLabel = "CHILD")
    String child;
    @Option(names = "--unit", paramLabel = "U", description = "the lowest rack unit it occupies")
    Integer unit;
    @Option(names = "--height", paramLabel = "H", description = "rack units it occupies (default 1)")
    Integer height;

    @Override
    public void run() {
        inventory(change, inv -> {
            if (unit == null) {
                inv.insert(parent, child);
            } else {
                inv.insert(parent, child, unit, height == null ? 1 : height);
            }
            return null;
        });
        spec.commandLine().getOut().printf("%s -> %s%s%n", child, parent, unit == null ? "" : " at RU" + unit);
        spec.commandLine().getOut().flush();
    }
}
