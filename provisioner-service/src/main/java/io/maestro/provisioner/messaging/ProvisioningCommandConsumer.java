package io.maestro.provisioner.messaging;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.Topics;
import io.maestro.provisioner.service.CommandService;
import io.maestro.support.problem.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Commands from Kafka go through the same handler as REST ones. A command id seen before changes nothing; a record
 * that cannot be decoded or fails validation is nacked, which sends it to {@code maestro.provisioning.commands.dlq}
 * (failure-strategy in application.properties), and the consumer keeps going.
 */
@ApplicationScoped
public class ProvisioningCommandConsumer {

    @Inject
    CommandService commands;

    @Incoming(Topics.PROVISIONING_COMMANDS)
    @Blocking
    public void consume(String payload) {
        ProvisioningCommand command = EventCodec.decode(payload, ProvisioningCommand.class);
        try {
            commands.submit(command);
        } catch (ProblemException e) {
            Log.warnf("command %s rejected: %s", command.commandId(), e.getMessage());
            throw new IllegalArgumentException("invalid command " + command.commandId() + ": " + e.getMessage(), e);
        }
    }
}
