package io.maestro.cli.inventory;

import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code maestro inv connect}: connects a port of one entity to a port of another. */
@Command(name = "connect", description = "Connect a port of one entity to a port of another.",
        footer = {"%nExample:%n  maestro inv connect s1:eth0 switch2a:4"})
public class ConnectCommand extends ServiceCall {
    @picocli.CommandLine.Mixin
    ChangeNote change;
    @Parameters(index = "0", paramLabel = "ENTITY:PORT")
    String a;
    @Parameters(index = "1", paramLabel = "ENTITY:PORT")
    String b;

    @Override
    public void run() {
        String[] from = port(a);
        String[] to = port(b);
        inventory(change, inv -> {
            inv.connect(from[0], from[1], to[0], to[1]);
            return null;
        });
        spec.commandLine().getOut().printf("%s <-> %s%n", a, b);
        spec.commandLine().getOut().flush();
    }

    /** {@code switch1:4} -> {switch1, 4}. */
    private String[] port(String ref) {
        int colon = ref.lastIndexOf(':');
        if (colon <= 0 || colon == ref.length() - 1) {
            throw new ParameterException(spec.commandLine(), "expected ENTITY:PORT but got '" + ref + "'");
        }
        return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
    }
}
