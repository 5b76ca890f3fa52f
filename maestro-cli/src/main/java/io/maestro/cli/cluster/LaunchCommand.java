package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Command(name = "launch", description = "Launch a cluster of one master group and one worker group, showing each node's progress.",
        footer = {"%nExamples:%n  maestro cluster launch voltron -k ~/.ssh/id_ed25519.pub",
                "  maestro cluster launch voltron -n 5 --driver aws-ec2 -o imageId=ami-0abc -o instanceType=t3.small -k mykey.pub",
                "  maestro cluster launch voltron -n 2 --dry-run"})
public class LaunchCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the cluster name")
    String name;

    @Option(names = {"-n", "--workers"}, paramLabel = "N", defaultValue = "1", description = "worker nodes (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--master", paramLabel = "N", defaultValue = "1", description = "master nodes (default: ${DEFAULT-VALUE})")
    int masters;

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = "local", description = "local or aws-ec2 (default: ${DEFAULT-VALUE})")
    String driver;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "a driver option for both groups, e.g. imageId=ami-0abc (aws-ec2)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = {"-k", "--key"}, paramLabel = "KEY.pub", description = "your SSH public key, for ./maestro cluster login")
    Path publicKey;

    @Option(names = {"-d", "--dry-run"}, description = "check everything, create nothing")
    boolean dryRun;

    @Mixin
    Output output;

    @Override
    public void run() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        List<Map<String, Object>> groups = new ArrayList<>();
        if (masters > 0) {
            groups.add(Map.of("tag", "master", "count", masters, "driver", driver, "options", options));
        }
        if (workers > 0) {
            groups.add(Map.of("tag", "worker", "count", workers, "driver", driver, "options", options));
        }
        body.put("groups", groups);
        if (publicKey != null) {
            try {
                body.put("sshPublicKey", Files.readString(publicKey).strip());
            } catch (IOException e) {
                throw new CliException("cannot read public key " + publicKey + ": " + e.getMessage());
            }
        }
        body.put("dryRun", dryRun);
        body.put("commandId", UUID.randomUUID().toString());
        JsonNode accepted = provisioner().post("/v1/clusters", body);
        String commandId = accepted.path("commandId").asText();
        if (!output.json) {
            output.out().printf("launching %s (command %s)%n", name, commandId);
        }
        JsonNode command = new CommandProgress(provisioner(), output.json ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : output.out())
                .follow(commandId);
        if (dryRun && !"FAILED".equals(command.path("status").asText())) {
            if (output.json) {
                output.json(command);
            } else {
                output.out().printf("dry run of %s: %s, nothing created%n", name, command.path("status").asText());
                output.out().flush();
            }
            return;
        }
        ClusterNodes.finish(this, output, name, command);
    }
}
