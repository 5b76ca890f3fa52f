package io.maestro.cli.cluster;

import picocli.CommandLine.Command;

@Command(name = "cluster", description = "Launch, list, exec on, copy files to, log in to, scale, stop, start, expire and destroy clusters (tinycloud).",
        subcommands = {LaunchCommand.class, ListCommand.class, ExecCommand.class, LoginCommand.class, ScaleCommand.class, TtlCommand.class, CopyCommand.class,
                LifecycleCommand.Stop.class, LifecycleCommand.Start.class, LifecycleCommand.Destroy.class},
        footer = {"%nExamples:%n  maestro cluster launch voltron -n 2 -k ~/.ssh/id_ed25519.pub",
                "  maestro cluster list voltron --tag worker",
                "  maestro cluster exec voltron worker -- uptime",
                "  maestro cluster copy voltron ./app.conf /etc/app/app.conf",
                "  maestro cluster ttl voltron 8h",
                "  maestro cluster destroy voltron"})
public class ClusterCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a cluster command is required");
    }
}
