package io.maestro.cli.cluster;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

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
        Tinycloud cloud = tinycloud(name).onProgress(new ProgressPrinter(output.out(), null)).build();
        ClusterNodes.finish(this, output, cloud, provisioner(() -> cloud.scale(tag, count)));
    }
}
