package io.maestro.client.provisioner;

/**
 * A step of a cluster command as it happens: its {@code type} ({@code ACCEPTED}, {@code NODE_PENDING},
 * {@code NODE_RUNNING}, ..., {@code SUCCEEDED} or {@code FAILED}), the node it concerns (null for the command as a
 * whole: {@code tag} and {@code index} then null too) and its message.
 */
public record Progress(String commandId, String type, String tag, Integer index, String status, String message) {
}
