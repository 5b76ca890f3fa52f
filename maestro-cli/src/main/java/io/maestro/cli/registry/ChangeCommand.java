package io.maestro.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.Output;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code maestro watch NAME --exec COMMAND}: runs the command with the service's current list after its changes (the
 * habit of {@code consul watch} and consul-template). Debounced: the command runs once no change came for the debounce
 * time, with the latest list; one run at a time, and a change during a run makes one more run after it. The command's
 * output is passed through; a failing run is reported and the watch goes on.
 */
final class ChangeCommand implements AutoCloseable {
    private final String command;
    private final long debounceMillis;
    private final Output output;
    private final AtomicReference<JsonNode> latest = new AtomicReference<>();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "maestro-watch-exec");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> pending;

    ChangeCommand(String command, long debounceMillis, Output output) {
        this.command = command;
        this.debounceMillis = Math.max(0, debounceMillis);
        this.output = output;
    }

    /** A new list (a watch event: service, revision, instances): the command runs with it once the changes settle. */
    synchronized void changed(JsonNode change) {
        latest.set(change);
        if (pending != null) {
            pending.cancel(false); // not yet started: the burst goes on, wait again
        }
        pending = runner.schedule(this::runLatest, debounceMillis, TimeUnit.MILLISECONDS);
    }

    private void runLatest() {
        JsonNode change = latest.get();
        ObjectNode input = EventCodec.mapper().createObjectNode();
        input.put("service", change.path("service").asText()).put("revision", change.path("revision").asLong());
        input.set("instances", change.path("instances"));
        List<String> endpoints = new ArrayList<>();
        change.path("instances").forEach(instance -> endpoints.add(instance.path("endpoint").asText()));
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("MAESTRO_SERVICE", input.path("service").asText());
        builder.environment().put("MAESTRO_REVISION", Long.toString(input.path("revision").asLong()));
        builder.environment().put("MAESTRO_ENDPOINTS", String.join(" ", endpoints));
        try {
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((input + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // the command did not read its input: that is its business
            }
            try (InputStream out = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                for (int n = out.read(buffer); n >= 0; n = out.read(buffer)) {
                    output.out().print(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    output.out().flush();
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                output.err().println("maestro watch: the command exited with " + exit + " (revision " + input.path("revision").asLong()
                        + "); watching on");
                output.err().flush();
            }
        } catch (IOException e) {
            output.err().println("maestro watch: cannot run the command: " + e.getMessage() + "; watching on");
            output.err().flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
