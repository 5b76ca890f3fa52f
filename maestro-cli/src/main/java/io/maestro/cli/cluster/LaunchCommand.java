package io.maestro.cli.cluster;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.LaunchPlan;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "launch", description = "Launch a cluster of one master group and one worker group, showing each node's progress.",
        footer = {"%nExamples:%n  maestro cluster launch voltron -k ~/.ssh/id_ed25519.pub",
                "  maestro cluster launch voltron -n 5 --driver aws-ec2 -o imageId=ami-0abc -o instanceType=t3.small -k mykey.pub",
                "  maestro cluster launch voltron -n 2 --dry-run",
                "  maestro cluster launch scratch -n 4 --ttl 8h   # destroyed 8 hours after launch",
                "  maestro cluster launch batch -n 20 --min-workers 12 --driver aws-ec2 -o imageId=ami-0abc \\",
                "      -o instanceTypes=c6i.large,c5.large -o market=spot   # whatever EC2 has room for, at least 12"})
public class LaunchCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the cluster name")
    String name;

    @Option(names = {"-n", "--workers"}, paramLabel = "N", defaultValue = "1", description = "worker nodes (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--min-workers", paramLabel = "N",
            description = "launch even if the provider has room for only N of the workers (default: all of them)")
    Integer minWorkers;

    @Option(names = "--master", paramLabel = "N", defaultValue = "1", description = "master nodes (default: ${DEFAULT-VALUE})")
    int masters;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "local", description = "local or aws-ec2 (default: ${DEFAULT-VALUE})")
    String driver;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "a driver option for both groups, e.g. imageId=ami-0abc (aws-ec2)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = {"-k", "--key"}, paramLabel = "KEY.pub", description = "your SSH public key, for ./maestro cluster login")
    Path publicKey;

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "destroy the cluster this long after launch: 15s, 30m, 8h, 1h30m, 7d (extend with 'maestro cluster ttl')")
    String ttl;

    @Option(names = {"-d", "--dry-run"}, description = "check everything, create nothing")
    boolean dryRun;

    @Mixin
    Output output;

    @Override
    public void run() {
        if (masters <= 0 && workers <= 0) {
            throw new ParameterException(spec.commandLine(), "nothing to launch: --master and --workers are both 0");
        }
        Driver nodes = new Driver(driver, options);
        Tinycloud.Builder builder = tinycloud(name)
                .onProgress(output.json ? step -> { } : new ProgressPrinter(output.out(), "launching " + name + " (command %s)"));
        if (ttl != null) {
            builder.ttl(ttl);
        }
        if (masters > 0) {
            builder.group("master", masters, nodes);
        }
        if (workers > 0) {
            if (minWorkers == null) {
                builder.group("worker", workers, nodes);
            } else {
                builder.group("worker", workers, minWorkers, nodes);
            }
        }
        if (publicKey != null) {
            try {
                builder.sshPublicKey(Files.readString(publicKey).strip());
            } catch (IOException e) {
                throw new CliException("cannot read public key " + publicKey + ": " + e.getMessage());
            }
        }
        Tinycloud cloud = builder.build();
        if (dryRun) {
            printPlan(provisioner(cloud::plan));
            return;
        }
        CommandOutcome outcome = provisioner(() -> cloud.launch(false));
        ClusterNodes.finish(this, output, cloud, outcome);
    }

    /** The plan: a row per group with what it costs, the total, then each group's calls. */
    private void printPlan(LaunchPlan plan) {
        if (output.json) {
            output.json(plan);
            return;
        }
        output.out().printf("dry run of %s: nothing created%n", name);
        List<List<String>> rows = new ArrayList<>();
        for (LaunchPlan.GroupPlan group : plan.groups()) {
            rows.add(List.of(group.tag(), Integer.toString(group.count()), group.driver(), group.instanceType() == null ? "-" : group.instanceType(),
                    group.pricePerHour() == null ? "?" : group.pricePerHour().toPlainString(),
                    group.costPerHour() == null ? "?" : group.costPerHour().toPlainString(), group.priceSource()));
        }
        output.table(List.of("GROUP", "NODES", "DRIVER", "TYPE", "USD/H EACH", "USD/H", "PRICE FROM"), rows);
        output.out().printf("%d nodes, %s%s%n", plan.nodes(), plan.costPerHour() == null
                        ? "cost unknown for " + String.join(", ", plan.unpriced())
                        : "USD " + plan.costPerHour().setScale(4, java.math.RoundingMode.HALF_UP).toPlainString() + " per hour",
                plan.costOverTtl() == null ? "" : ", USD " + plan.costOverTtl().setScale(4, java.math.RoundingMode.HALF_UP).toPlainString()
                        + " over its ttl of " + plan.ttl());
        for (LaunchPlan.GroupPlan group : plan.groups()) {
            output.out().printf("%s would call:%n", group.tag());
            group.calls().forEach(call -> output.out().printf("  %s%n", call));
        }
        output.out().flush();
    }
}
