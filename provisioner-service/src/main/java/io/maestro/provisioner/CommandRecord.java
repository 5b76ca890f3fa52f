package io.maestro.provisioner;

import io.maestro.events.ProvisioningCommand;

import java.time.Instant;

/** A stored command: the request as received, where it is, and its result (JSON) once finished. */
public record CommandRecord(String id, ProvisioningCommand request, CommandStatus status, String message, String resultJson,
                            Instant createdAt, Instant updatedAt) {
}
