package io.maestro.client.provisioner;

/** How a cluster command ended: {@code SUCCEEDED} or {@code FAILED}, with the provisioner's message. */
public record CommandOutcome(String commandId, String status, String message) {
    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
