package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code maestro cluster list}: the clusters, or the nodes of one. */
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
            clusters.forEach(c -> {
                long running = 0;
                for (JsonNode node : c.path("nodes")) {
                    running += "running".equals(node.path("status").asText()) ? 1 : 0;
                }
                String expires = Output.text(c, "expiryCommandId") != null ? "expiring now"
                        : Output.text(c, "expiresAt") == null ? "never" : Output.text(c, "expiresAt") + " (ttl " + Output.text(c, "ttl") + ")";
                rows.add(List.of(c.path("name").asText(), running + "/" + c.path("nodes").size(), expires));
            });
            output.table(List.of("CLUSTER", "RUNNING", "EXPIRES"), rows);
            return;
        }
        ClusterNodes.print(this, output, tinycloud(name).build(), tag);
    }
}
