package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "list", description = "List clusters, or the nodes of one cluster.",
        footer = {"%nExamples:%n  maestro cluster list", "  maestro cluster list voltron --tag worker --json"})
public class ListCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "a cluster: list its nodes")
    String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "only the nodes of this group")
    String tag;

    @Mixin
    Output output;

    @Override
    public void run() {
        if (name == null) {
            JsonNode clusters = provisioner().get("/v1/clusters");
            if (output.json) {
                output.json(clusters);
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            clusters.forEach(c -> rows.add(List.of(c.path("name").asText(), c.path("status").asText("-"),
                    Output.text(c, "nodes") == null ? "-" : Output.text(c, "nodes"))));
            output.table(List.of("CLUSTER", "STATUS", "NODES"), rows);
            return;
        }
        printNodes(this, output, name, tag);
    }

    static void printNodes(ServiceCall call, Output output, String cluster, String tag) {
        JsonNode nodes = call.provisioner().get("/v1/clusters/" + Http.encode(cluster) + "/nodes" + (tag == null ? "" : "?tag=" + Http.encode(tag)));
        if (output.json) {
            output.json(nodes);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        nodes.forEach(n -> rows.add(List.of(n.path("tag").asText(), n.path("index").asText(), n.path("status").asText(),
                n.path("address").asText("-") + ":" + n.path("port").asText("-"), n.path("username").asText("-"),
                n.path("providerId").asText("-"))));
        output.table(List.of("TAG", "INDEX", "STATUS", "ADDRESS", "USER", "PROVIDER ID"), rows);
    }

    /** Ends a launch, scale or lifecycle command: the node table, or the failure as one line with exit code 1. */
    static void finish(ServiceCall call, Output output, String cluster, JsonNode command) {
        if ("FAILED".equals(command.path("status").asText())) {
            throw new CliException("command " + command.path("commandId").asText() + " failed"
                    + (command.path("message").isTextual() ? ": " + command.path("message").asText() : ""));
        }
        printNodes(call, output, cluster, null);
    }
}
