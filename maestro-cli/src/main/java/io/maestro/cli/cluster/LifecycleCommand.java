package io.maestro.cli.cluster;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stop}, {@code start} and {@code destroy}: a command on the whole cluster, followed to its end. */
public abstract class LifecycleCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the cluster")
    String name;

    @Mixin
    Output output;

    /** Sends the command to the cluster and follows it to its end. */
    abstract CommandOutcome submit(Tinycloud cloud);

    Tinycloud cloud() {
        return tinycloud(name).onProgress(new ProgressPrinter(output.out(), null)).build();
    }

    @Override
    public void run() {
        Tinycloud cloud = cloud();
        ClusterNodes.finish(this, output, cloud, provisioner(() -> submit(cloud)));
    }

    @Command(name = "stop", description = "Stop every node (they keep their disks).", footer = {"%nExample:%n  maestro cluster stop voltron"})
    public static class Stop extends LifecycleCommand {
        @Override
        CommandOutcome submit(Tinycloud cloud) {
            return cloud.stop();
        }
    }

    @Command(name = "start", description = "Start the stopped nodes again.", footer = {"%nExample:%n  maestro cluster start voltron"})
    public static class Start extends LifecycleCommand {
        @Override
        CommandOutcome submit(Tinycloud cloud) {
            return cloud.start();
        }
    }

    @Command(name = "destroy", description = "Terminate every node and forget the cluster.", footer = {"%nExample:%n  maestro cluster destroy voltron"})
    public static class Destroy extends LifecycleCommand {
        @Override
        CommandOutcome submit(Tinycloud cloud) {
            return cloud.destroy();
        }

        /** A destroyed cluster is forgotten: there are no nodes left to list. */
        @Override
        public void run() {
            Tinycloud cloud = cloud();
            ClusterNodes.requireSucceeded(provisioner(() -> submit(cloud)));
            output.out().printf("destroyed %s%n", name);
            output.out().flush();
        }
    }
}
