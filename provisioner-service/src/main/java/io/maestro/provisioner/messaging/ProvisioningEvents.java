package io.maestro.provisioner.messaging;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.maestro.support.relay.PostgresOutboxLog;
import io.maestro.support.relay.RelayLog;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A command's progress: each event is stored in {@code command_event} (for GET and SSE), in the caller's
 * transaction when there is one ({@code Sql.inTransaction}), so it commits together with the state it announces;
 * the suite's one relay publishes that table to {@code maestro.provisioning.events}, keyed by cluster, once
 * committed (no dual write). Every event names the command's {@code actor}, the subject of the token that issued it.
 */
@ApplicationScoped
public class ProvisioningEvents {
    /** command_event as an outbox; its insert trigger notifies {@code maestro_provisioner_outbox} (migration V5). */
    static final PostgresOutboxLog.Table OUTBOX = new PostgresOutboxLog.Table("command_event", "seq", "event::text as event",
            "maestro_provisioner_outbox", 0x7E0B_0C0DL);

    private final CommandRepository commands;
    private final EventRelays relays;
    private final Pool pool;
    private Optional<EventRelay> relay = Optional.empty();

    public ProvisioningEvents(CommandRepository commands, EventRelays relays, Pool pool) {
        this.commands = commands;
        this.relays = relays;
        this.pool = pool;
    }

    void start(@Observes StartupEvent startup) {
        relay = relays.start(log());
    }

    /** Records an event of {@code command}; it reaches Kafka once the surrounding transaction commits. */
    public ProvisioningEvent record(ProvisioningCommand command, ProvisioningEvent.Type type, ProvisioningEvent.Node node, String message) {
        ProvisioningEvent event = new ProvisioningEvent(UUID.randomUUID().toString(), command.commandId(), Instant.now(), command.cluster(),
                type, node, message, command.actor());
        commands.append(event);
        return event;
    }

    /** The outbox as a relay reads it (a test builds other replicas' relays from it). */
    public RelayLog log() {
        return new PostgresOutboxLog("provisioning events", pool, OUTBOX,
                row -> EventCodec.decode(row.getString("event"), ProvisioningEvent.class));
    }

    public Optional<EventRelay> relay() {
        return relay;
    }
}
