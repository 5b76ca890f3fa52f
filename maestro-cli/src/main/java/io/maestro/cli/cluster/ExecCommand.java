package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "exec", description = "Run a command on every node, a group, or one node; exits 1 if any node failed.",
        footer = {"%nExamples:%n  maestro cluster exec voltron -- uptime", "  maestro cluster exec voltron worker -- df -h",
                "  maestro cluster exec voltron worker 1 -- 'cat /etc/hostname'"})
public class ExecCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1..*", paramLabel = "[TAG [INDEX]] -- COMMAND", description = "optional group and node index, then -- and the command")
    List<String> rest;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "per node (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

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
        Map<String, Object> body = new LinkedHashMap<>();
        if (!target.isEmpty()) {
            body.put("tag", target.get(0));
        }
        if (target.size() == 2) {
            try {
                body.put("index", Integer.parseInt(target.get(1)));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "INDEX must be a number: " + target.get(1));
            }
        }
        body.put("command", String.join(" ", command));
        body.put("timeoutSeconds", timeoutSeconds);
        JsonNode answer = provisioner().post("/v1/clusters/" + Http.encode(name) + "/exec", body);
        if (output.json) {
            output.json(answer);
        } else {
            for (JsonNode result : answer.path("results")) {
                output.out().printf("== %s-%s (exit %s)%n", result.path("tag").asText(), result.path("index").asText(), result.path("exitCode").asText());
                output.out().print(result.path("stdout").asText(""));
                if (!result.path("stderr").asText("").isEmpty()) {
                    output.out().print(result.path("stderr").asText());
                }
            }
            output.out().flush();
        }
        long failed = 0;
        for (JsonNode result : answer.path("results")) {
            if (result.path("exitCode").asInt(-1) != 0) {
                failed++;
            }
        }
        if (failed > 0) {
            throw new CliException(failed + " node(s) failed");
        }
    }
}
