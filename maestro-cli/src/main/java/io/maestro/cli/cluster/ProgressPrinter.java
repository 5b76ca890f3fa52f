package io.maestro.cli.cluster;

import io.maestro.client.provisioner.Progress;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A cluster command's progress as the cluster commands print it, told by the SDK's {@code Tinycloud} step by step: a
 * bar per node as it goes, the command's other steps by name; the end is the command's to say.
 */
final class ProgressPrinter implements Consumer<Progress> {
    private static final Set<String> DONE = Set.of("SUCCEEDED", "FAILED");
    private static final Map<String, Integer> STEPS = Map.of("pending", 3, "running", 10, "stopped", 10, "terminated", 10);

    private final PrintWriter out;
    private final String heading;
    private boolean started;

    /** @param heading printed before the first step, with the command id for {@code %s} (null: none) */
    ProgressPrinter(PrintWriter out, String heading) {
        this.out = out;
        this.heading = heading;
    }

    @Override
    public void accept(Progress step) {
        if (!started && heading != null) {
            out.printf(heading + "%n", step.commandId());
        }
        started = true;
        if (step.tag() != null) {
            String status = step.status() != null ? step.status() : step.type().replace("NODE_", "").toLowerCase();
            int steps = STEPS.getOrDefault(status, 1);
            out.printf("%-16s [%s%s] %s%s%n", step.tag() + "-" + step.index(), "#".repeat(steps), "-".repeat(10 - steps), status,
                    step.address() != null ? " " + step.address() + ":" + step.port() : "");
        } else if (!DONE.contains(step.type())) {
            out.printf("%s%s%n", step.type().toLowerCase(), step.message() != null ? ": " + step.message() : "");
        }
        out.flush();
    }
}
