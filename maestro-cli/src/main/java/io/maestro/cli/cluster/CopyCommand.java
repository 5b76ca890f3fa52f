package io.maestro.cli.cluster;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code maestro cluster copy}: flintrock's copy-file, through the provisioner. */
@Command(name = "copy", description = "Copy a local file to every node of a cluster, or of one group; exits 1 if any node failed.",
        footer = {"%nExamples:%n  maestro cluster copy voltron ./app.conf /etc/app/app.conf",
                "  maestro cluster copy voltron worker ./run.sh bin/run.sh --mode 755"})
public class CopyCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1..3", arity = "2..3", paramLabel = "[TAG] LOCAL REMOTE",
            description = "optional group, the local file, and where it goes on each node (relative: under the node user's home)")
    List<String> rest;

    @Option(names = "--mode", paramLabel = "MODE", description = "file mode on the nodes, octal (default 0644)")
    String mode;

    @Option(names = "--forks", paramLabel = "N", description = "on at most N nodes at once (default 32, at most 256)")
    Integer forks;

    @Mixin
    Output output;

    @Override
    public void run() {
        String tag = rest.size() == 3 ? rest.get(0) : null;
        Path local = Path.of(rest.get(rest.size() - 2));
        String remote = rest.get(rest.size() - 1);
        byte[] content;
        try {
            content = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + local + ": " + e.getMessage());
        }
        Tinycloud cloud = tinycloud(name).build();
        List<ExecResult> results = provisioner(() -> cloud.copy(tag, null, content, remote, mode, forks));
        if (output.json) {
            output.json(Map.of("path", remote, "bytes", content.length, "results", results));
        } else {
            for (ExecResult result : results) {
                output.out().printf("%s-%s: %s%n", result.tag(), result.index(), result.succeeded() ? "copied " + content.length + " bytes to " + remote
                        : result.error() != null ? result.error() : "failed: " + result.stderr().strip());
            }
            output.out().flush();
        }
        long failed = results.stream().filter(result -> !result.succeeded()).count();
        if (failed > 0) {
            throw new CliException(failed + " node(s) failed");
        }
    }
}
