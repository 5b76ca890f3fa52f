package io.maestro.cli.inventory;

import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code maestro inv connect}: connects a port of one entity to a port of another. */
@Command(name = "connect", description = "Connect a port of one entity to a port of another.",
        footer = {"%nExample:%n  maestro inv connect s1:eth0 switch2a:4"})
public class ConnectCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "ENTITY:PORT")
    String a;
    @Parameters(index = "1", paramLabel = "ENTITY:PORT")
    String b;

    @Override
    public void run() {
        inventory().post("/v1/connections", Map.of("a", port(a), "b", port(b)));
        spec.commandLine().getOut().printf("%s <-> %s%n", a, b);
        spec.commandLine().getOut().flush();
    }

    private Map<String, String> port(String ref) {
        int colon = ref.lastIndexOf(':');
        if (colon <= 0 || colon == ref.length() - 1) {
            throw new ParameterException(spec.commandLine(), "expected ENTITY:PORT but got '" + ref + "'");
        }
        return Map.of("entity", ref.substring(0, colon), "port", ref.substring(colon + 1));
    }
}
