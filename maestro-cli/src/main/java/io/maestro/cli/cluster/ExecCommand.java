package io.maestro.cli.cluster;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;

@Command(name = "exec", description = "Run a command on every node, a group, or one node; exits 1 if any node failed.",
        footer = {"%nExamples:%n  maestro cluster exec voltron -- uptime", "  maestro cluster exec voltron worker -- df -h",
                "  maestro cluster exec voltron worker 1 -- 'cat /etc/hostname'",
                "  maestro cluster exec big --forks 64 -- uptime      # each node's output as it answers"})
public class ExecCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1..*", paramLabel = "[TAG [INDEX]] -- COMMAND", description = "optional group and node index, then -- and the command")
    List<String> rest;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "per node (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--forks", paramLabel = "N", defaultValue = "32", description = "on at most N nodes at once (default: ${DEFAULT-VALUE}, at most 256)")
    int forks;

    @Mixin
    Output output;

    @Override
    public void run() {
        // picocli consumes "--", so split where it stood in the original arguments.
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int separator = original.indexOf("--");
        List<String> all = rest == null ? List.of() : rest;
        List<String> command = separator < 0 ? List.of() : original.subList(separator + 1, original.size());
        List<String> target = all.subList(0, Math.max(0, all.size() - command.size()));
        if (command.isEmpty() || target.size() > 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "usage: maestro cluster exec NAME [TAG [INDEX]] -- COMMAND");
        }
        String tag = target.isEmpty() ? null : target.get(0);
        Integer index = null;
        if (target.size() == 2) {
            try {
                index = Integer.parseInt(target.get(1));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "INDEX must be a number: " + target.get(1));
            }
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        // The answer comes when every node has ended or timed out: wait a little longer than that.
        Tinycloud cloud = tinycloud(name).requestTimeout(timeout.plusSeconds(30)).build();
        Integer node = index;
        // Each node's output is printed as that node answers; --json prints them all at the end, in node order.
        List<ExecResult> results = provisioner(() -> cloud.execute(tag, node, String.join(" ", command), timeout, forks,
                result -> {
                    if (!output.json) {
                        print(result);
                    }
                }));
        if (output.json) {
            output.json(Map.of("results", results));
        }
        long failed = results.stream().filter(result -> !result.succeeded()).count();
        if (failed > 0) {
            throw new CliException(failed + " node(s) failed");
        }
    }

    private void print(ExecResult result) {
        output.out().printf("== %s-%s (%s)%n", result.tag(), result.index(), result.timedOut() ? "timed out"
                : result.exitCode() != null ? "exit " + result.exitCode() : result.error());
        output.out().print(result.stdout() == null ? "" : result.stdout());
        if (result.stderr() != null && !result.stderr().isEmpty()) {
            output.out().print(result.stderr());
        }
        output.out().flush();
    }
}
