package io.maestro.inventory.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.maestro.support.relay.PostgresOutboxLog;
import io.maestro.support.relay.RelayLog;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.util.Optional;

/**
 * Relays the outbox (written in each mutation's transaction) to {@code maestro.inventory.mutations}, keyed by entity
 * id, with the suite's one relay. Per-entity order holds because every mutation of an entity locks its row, so a
 * later mutation's outbox row is inserted (and gets a higher id) only after the earlier one committed.
 */
@ApplicationScoped
public class InventoryRelay {
    /** The outbox table; its insert trigger notifies {@code maestro_inventory_outbox} (migration V5). */
    static final PostgresOutboxLog.Table OUTBOX = new PostgresOutboxLog.Table("outbox", "id",
            "event_id, occurred_at, entity_id, entity_name, version, op, before, after, actor", "maestro_inventory_outbox", 0x1A7E_0B0CL);

    private final EventRelays relays;
    private final Pool pool;
    private Optional<EventRelay> relay = Optional.empty();

    public InventoryRelay(EventRelays relays, Pool pool) {
        this.relays = relays;
        this.pool = pool;
    }

    void start(@Observes StartupEvent startup) {
        relay = relays.start(log());
    }

    /** The outbox as a relay reads it (a test builds other replicas' relays from it). */
    public RelayLog log() {
        return new PostgresOutboxLog("inventory mutations", pool, OUTBOX, InventoryRelay::mutation);
    }

    public Optional<EventRelay> relay() {
        return relay;
    }

    /** The mutation an outbox row records (how the relay reads a row). */
    static InventoryMutation mutation(Row row) {
        return new InventoryMutation(
                row.getUUID("event_id").toString(),
                row.getOffsetDateTime("occurred_at").toInstant(),
                row.getUUID("entity_id").toString(),
                row.getString("entity_name"),
                row.getLong("version"),
                InventoryMutation.Op.valueOf(row.getString("op")),
                node(row.getJsonObject("before")),
                node(row.getJsonObject("after")),
                row.getString("actor"));
    }

    private static JsonNode node(JsonObject json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readTree(json.encode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
