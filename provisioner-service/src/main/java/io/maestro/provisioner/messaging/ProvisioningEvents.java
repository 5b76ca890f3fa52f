package io.maestro.provisioner.messaging;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.relay.PostgresOutboxLog;
import io.maestro.support.relay.RelayLog;
import io.maestro.support.relay.RelaySource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A command's progress: each event is stored in {@code command_event} (for GET and SSE), in the caller's
 * transaction, so it commits together with the state it announces;
 * the suite's one relay publishes that table to {@code maestro.provisioning.events}, keyed by cluster, once
 * committed (no dual write). Every event names the command's {@code actor}, the subject of the token that issued it.
 */
@ApplicationScoped
public class ProvisioningEvents implements RelaySource {
    /** command_event as an outbox; its insert trigger notifies {@code maestro_provisioner_outbox} (migration V5). */
    static final PostgresOutboxLog.Table OUTBOX = new PostgresOutboxLog.Table("command_event", "seq", "event::text as event",
            "maestro_provisioner_outbox", 0x7E0B_0C0DL);

    private final CommandRepository commands;
    private final Pool pool;

    public ProvisioningEvents(CommandRepository commands, Pool pool) {
        this.commands = commands;
        this.pool = pool;
    }

    /** Records an event of {@code command}; it reaches Kafka once the surrounding transaction commits. */
    public Uni<ProvisioningEvent> record(ProvisioningCommand command, ProvisioningEvent.Type type, ProvisioningEvent.Node node, String message) {
        ProvisioningEvent event = new ProvisioningEvent(UUID.randomUUID().toString(), command.commandId(), Instant.now(), command.cluster(),
                type, node, message, command.actor());
        return commands.append(event).replaceWith(event);
    }

    @Override
    public List<RelayLog> open() {
        return List.of(new PostgresOutboxLog("provisioning events", pool, OUTBOX,
                row -> EventCodec.decode(row.getString("event"), ProvisioningEvent.class)));
    }
}
