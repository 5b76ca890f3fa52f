package io.maestro.provisioner.service;

import io.maestro.provisioner.ExecResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Each node's exec result as it comes, for a caller streaming them ({@code POST /v1/clusters/{name}/exec/stream}).
 * In memory on the replica that runs the exec, which is the one that accepted it; output never goes to Kafka or
 * the command's events (it may hold secrets), only to the caller and the command's stored result.
 */
@ApplicationScoped
public class ExecStreams {
    private final Map<String, Consumer<ExecResult>> listeners = new ConcurrentHashMap<>();

    /** Tells {@code listener} each result of command {@code commandId} from now until {@link #stop}. */
    public void listen(String commandId, Consumer<ExecResult> listener) {
        listeners.put(commandId, listener);
    }

    public void stop(String commandId) {
        listeners.remove(commandId);
    }

    void deliver(String commandId, ExecResult result) {
        Consumer<ExecResult> listener = listeners.get(commandId);
        if (listener != null) {
            listener.accept(result);
        }
    }
}
