package io.maestro.cli.cluster;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Node;
import io.maestro.client.provisioner.Tinycloud;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A cluster's nodes as the cluster commands print them, and how a command that changes them ends. */
final class ClusterNodes {
    private ClusterNodes() {
    }

    /** The nodes of {@code cloud}'s cluster (of group {@code tag}, or all) as a table, or as JSON with {@code --json}. */
    static void print(ServiceCall call, Output output, Tinycloud cloud, String tag) {
        List<Node> nodes = call.provisioner(() -> cloud.list(tag));
        if (output.json) {
            output.json(nodes);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        nodes.forEach(n -> rows.add(Arrays.asList(n.tag(), Integer.toString(n.index()), n.status(),
                (n.address() == null ? "-" : n.address()) + ":" + (n.port() == null ? "-" : n.port()),
                n.username() == null ? "-" : n.username(), n.providerId() == null ? "-" : n.providerId())));
        output.table(List.of("TAG", "INDEX", "STATUS", "ADDRESS", "USER", "PROVIDER ID"), rows);
    }

    /** Ends a launch, scale or lifecycle command: the node table, or the failure as one line with exit code 1. */
    static void finish(ServiceCall call, Output output, Tinycloud cloud, CommandOutcome outcome) {
        requireSucceeded(outcome);
        print(call, output, cloud, null);
    }

    /** A command that failed, or whose events ended before it did, as the CLI's one-line error. */
    static void requireSucceeded(CommandOutcome outcome) {
        if ("FAILED".equals(outcome.status())) {
            throw new CliException("command " + outcome.commandId() + " failed" + (outcome.message() != null ? ": " + outcome.message() : ""));
        }
        if (!outcome.succeeded()) {
            throw new CliException("the event stream of command " + outcome.commandId() + " ended before the command did ("
                    + outcome.status() + "); see `maestro events maestro.provisioning.events`");
        }
    }
}
