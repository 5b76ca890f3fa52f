package io.maestro.provisioner.messaging;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.messaging.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;
import java.util.UUID;

/**
 * Records a command's progress (for GET and SSE) and publishes it on {@link Topics#PROVISIONING_EVENTS}, keyed by
 * cluster. Called from worker threads only; one at a time so the stored and the published order agree. Every event
 * names the command's {@code actor}, the subject of the token that issued it.
 */
@ApplicationScoped
public class ProvisioningEventPublisher {
    private static final String SOURCE = EventMessages.sourceOf("provisioner-service");

    @Inject
    @Channel(Topics.PROVISIONING_EVENTS)
    MutinyEmitter<String> emitter;

    @Inject
    CommandRepository commands;

    public synchronized ProvisioningEvent publish(ProvisioningCommand command, ProvisioningEvent.Type type,
                                                  ProvisioningEvent.Node node, String message) {
        ProvisioningEvent event = new ProvisioningEvent(UUID.randomUUID().toString(), command.commandId(), Instant.now(), command.cluster(),
                type, node, message, command.actor());
        commands.append(event);
        emitter.sendMessageAndAwait(EventMessages.of(event, SOURCE));
        return event;
    }
}
