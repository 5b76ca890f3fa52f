package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;

@Command(name = "scale", description = "Set the number of nodes of a group.",
        footer = {"%nExample:%n  maestro cluster scale voltron worker 8"})
public class ScaleCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1", paramLabel = "TAG", description = "the group")
    String tag;

    @Parameters(index = "2", paramLabel = "COUNT", description = "the new number of nodes")
    int count;

    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode accepted = provisioner().put("/v1/clusters/" + Http.encode(name) + "/groups/" + Http.encode(tag) + "/count", Map.of("count", count));
        JsonNode command = new CommandProgress(provisioner(), output.out()).follow(accepted.path("commandId").asText());
        ClusterNodes.finish(this, output, name, command);
    }
}
