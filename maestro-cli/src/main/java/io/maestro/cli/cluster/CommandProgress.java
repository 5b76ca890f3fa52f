package io.maestro.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Http;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Follows a provisioning command through its Server-Sent Events: one progress line per node change
 * ({@code worker-1 [######----] running}), until the command succeeds or fails.
 */
final class CommandProgress {
    private static final Set<String> DONE = Set.of("SUCCEEDED", "FAILED");
    private static final Map<String, Integer> STEPS = Map.of("pending", 3, "running", 10, "stopped", 10, "terminated", 10);

    private final Http provisioner;
    private final PrintWriter out;
    private final Map<String, String> nodes = new LinkedHashMap<>();

    CommandProgress(Http provisioner, PrintWriter out) {
        this.provisioner = provisioner;
        this.out = out;
    }

    /** Returns the final status, SUCCEEDED or FAILED (with its message), after printing the progress. */
    JsonNode follow(String commandId) {
        String[] outcome = new String[2];
        provisioner.streamWhile("/v1/commands/" + Http.encode(commandId) + "/events", data -> {
            JsonNode event = Http.read(data);
            String type = event.path("type").asText();
            JsonNode node = event.path("node");
            if (node.isObject()) {
                String name = node.path("tag").asText() + "-" + node.path("index").asText();
                String status = node.path("status").asText(type.replace("NODE_", "").toLowerCase());
                nodes.put(name, status);
                int steps = STEPS.getOrDefault(status, 1);
                out.printf("%-16s [%s%s] %s%s%n", name, "#".repeat(steps), "-".repeat(10 - steps), status,
                        node.path("address").isTextual() ? " " + node.path("address").asText() + ":" + node.path("port").asText() : "");
            } else if (!DONE.contains(type)) {
                out.printf("%s%s%n", type.toLowerCase(), event.path("message").isTextual() ? ": " + event.path("message").asText() : "");
            }
            out.flush();
            if (DONE.contains(type)) {
                outcome[0] = type;
                outcome[1] = event.path("message").asText("");
                return false;
            }
            return true;
        });
        JsonNode command = provisioner.get("/v1/commands/" + Http.encode(commandId));
        if (outcome[0] == null && !DONE.contains(command.path("status").asText())) {
            throw new CliException("the event stream of command " + commandId + " ended before the command did; "
                    + "see maestro-cli's `maestro events maestro.provisioning.events`");
        }
        if (outcome[0] != null && command instanceof ObjectNode object) {
            // The outcome is announced a moment before it is recorded: the stream's word is final.
            object.put("status", outcome[0]);
            object.put("message", outcome[1]);
        }
        return command;
    }
}
