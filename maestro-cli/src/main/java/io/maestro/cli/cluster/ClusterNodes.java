package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;

import java.util.ArrayList;
import java.util.List;

/** A cluster's nodes as the cluster commands print them, and how a command that changes them ends. */
final class ClusterNodes {
    private ClusterNodes() {
    }

    /** The nodes of {@code cluster} (of group {@code tag}, or all) as a table, or as JSON with {@code --json}. */
    static void print(ServiceCall call, Output output, String cluster, String tag) {
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
        print(call, output, cluster, null);
    }
}
