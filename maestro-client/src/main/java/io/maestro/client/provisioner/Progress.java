package io.maestro.client.provisioner;

/**
 * A step of a cluster command as it happens: its {@code type} ({@code ACCEPTED}, {@code NODE_PENDING},
 * {@code NODE_RUNNING}, ..., {@code SUCCEEDED} or {@code FAILED}), the node it concerns (null for the command as a
 * whole: {@code tag}, {@code index} and the rest then null too), where the node answers SSH once known, and the
 * step's message.
 */
public record Progress(String commandId, String type, String tag, Integer index, String status, String address, Integer port,
                       String message) {
}
