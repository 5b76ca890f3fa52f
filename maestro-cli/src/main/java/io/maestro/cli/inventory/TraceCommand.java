package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maestro inv trace}: where a port's cable leads, through patch panels, to the far end. */
@Command(name = "trace", description = "Follow a port's connection through patch panels (types defined with 'maestro inv type NAME --pass-through') to the far end.",
        footer = {"%nExample:%n  maestro inv trace s1 eth0", "  s1 eth0 -> pp1 front-3 (panel)", "  pp1 rear-3 -> sw1 ge-1 (switch)",
                "  s1 eth0 reaches sw1 ge-1 through 1 patch panel"})
public class TraceCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "ENTITY")
    String entity;
    @Parameters(index = "1", paramLabel = "PORT")
    String port;
    @Mixin
    Output output;

    @Override
    public void run() {
        Trace trace = inventory(inv -> inv.trace(entity, port));
        if (output.json) {
            output.json(trace);
            return;
        }
        for (Trace.Segment segment : trace.segments()) {
            output.out().printf("%s %s -> %s %s (%s)%n", segment.from().entity(), segment.from().port(), segment.to().entity(),
                    segment.to().port(), segment.to().type());
        }
        int panels = trace.segments().size() - (trace.complete() ? 1 : 0);
        if (trace.complete()) {
            output.out().printf("%s %s reaches %s %s through %d patch panel%s%n", entity, port, trace.to().entity(), trace.to().port(),
                    panels, panels == 1 ? "" : "s");
        } else {
            output.out().printf("incomplete: %s%n", trace.stoppedBecause());
        }
        output.out().flush();
    }
}
