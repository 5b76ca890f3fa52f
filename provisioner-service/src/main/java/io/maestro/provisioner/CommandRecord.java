package io.maestro.provisioner;

import io.maestro.events.ProvisioningCommand;

import java.time.Instant;

/**
 * A stored command: the request as received, where it is, the replica that claimed it last ({@code runner}, its
 * registry instance id; null while queued) and its result (JSON) once finished.
 */
public record CommandRecord(String id, ProvisioningCommand request, CommandStatus status, String runner, String message,
                            String resultJson, Instant createdAt, Instant updatedAt) {
}
