package io.maestro.inventory.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.support.relay.PostgresOutboxLog;
import io.maestro.support.relay.RelayLog;
import io.maestro.support.relay.RelaySource;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;

/**
 * The outbox (written in each mutation's transaction), relayed by the suite's one relay to
 * {@code maestro.inventory.mutations}, keyed by entity id. Per-entity order holds because every mutation of an
 * entity locks its row, so a later mutation's outbox row is inserted (and gets a higher id) only after the earlier
 * one committed.
 */
@ApplicationScoped
public class OutboxRelaySource implements RelaySource {
    /** The outbox table; its insert trigger notifies {@code maestro_inventory_outbox} (migration V5). */
    static final PostgresOutboxLog.Table OUTBOX = new PostgresOutboxLog.Table("outbox", "id",
            "event_id, occurred_at, entity_id, entity_name, version, op, before, after, actor, note", "maestro_inventory_outbox", 0x1A7E_0B0CL);

    private final Pool pool;

    public OutboxRelaySource(Pool pool) {
        this.pool = pool;
    }

    @Override
    public List<RelayLog> open() {
        return List.of(new PostgresOutboxLog("inventory mutations", pool, OUTBOX, OutboxRelaySource::mutation));
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
                row.getString("actor"),
                row.getString("note"));
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
