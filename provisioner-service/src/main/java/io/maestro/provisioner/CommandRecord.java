package io.maestro.provisioner;

import io.maestro.events.ProvisioningCommand;

import java.time.Instant;

/**
 * A stored command: the request as received, where it is, the replica that claimed it last ({@code runner}, its
 * registry instance id; null while queued) and its result (JSON) once finished. The request carries its
 * {@code actor}, the subject of the token that issued it, as stored in the command's own column.
 */
public record CommandRecord(String id, ProvisioningCommand request, CommandStatus status, String runner, String message,
                            String resultJson, Instant createdAt, Instant updatedAt) {
    /** Who issued the command (the subject of its token); null for commands stored before access control. */
    public String actor() {
        return request.actor();
    }
}
