package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stop}, {@code start} and {@code destroy}: a command on the whole cluster, followed to its end. */
public abstract class LifecycleCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the cluster")
    String name;

    @Mixin
    Output output;

    abstract JsonNode submit();

    @Override
    public void run() {
        JsonNode accepted = submit();
        JsonNode command = new CommandProgress(provisioner(), output.out()).follow(accepted.path("commandId").asText());
        ClusterNodes.finish(this, output, name, command);
    }

    /** A destroyed cluster is forgotten: there are no nodes left to list. */
    void finishDestroyed(JsonNode command) {
        if ("FAILED".equals(command.path("status").asText())) {
            ClusterNodes.finish(this, output, name, command);
        }
        output.out().printf("destroyed %s%n", name);
        output.out().flush();
    }

    @Command(name = "stop", description = "Stop every node (they keep their disks).", footer = {"%nExample:%n  maestro cluster stop voltron"})
    public static class Stop extends LifecycleCommand {
        @Override
        JsonNode submit() {
            return provisioner().post("/v1/clusters/" + Http.encode(name) + "/stop", java.util.Map.of());
        }
    }

    @Command(name = "start", description = "Start the stopped nodes again.", footer = {"%nExample:%n  maestro cluster start voltron"})
    public static class Start extends LifecycleCommand {
        @Override
        JsonNode submit() {
            return provisioner().post("/v1/clusters/" + Http.encode(name) + "/start", java.util.Map.of());
        }
    }

    @Command(name = "destroy", description = "Terminate every node and forget the cluster.", footer = {"%nExample:%n  maestro cluster destroy voltron"})
    public static class Destroy extends LifecycleCommand {
        @Override
        JsonNode submit() {
            return provisioner().delete("/v1/clusters/" + Http.encode(name));
        }

        @Override
        public void run() {
            JsonNode accepted = submit();
            finishDestroyed(new CommandProgress(provisioner(), output.out()).follow(accepted.path("commandId").asText()));
        }
    }
}
