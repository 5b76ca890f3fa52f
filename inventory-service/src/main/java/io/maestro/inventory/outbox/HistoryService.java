package io.maestro.inventory.outbox;

import io.maestro.inventory.repository.Database;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** {@code GET /v1/entities/{name}/history}: the outbox rows of an entity name, oldest first, as InventoryMutation JSON (with who made each: {@code actor}). */
@ApplicationScoped
public class HistoryService {
    static final String COLUMNS = "id, " + OutboxRelaySource.OUTBOX.columns();

    private final Database db;

    public HistoryService(Database db) {
        this.db = db;
    }

    public JsonArray of(String name) {
        Names.require(name, "name");
        List<Row> rows = db.rows("select " + COLUMNS + " from outbox where entity_name = $1 order by id", name);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("no entity named '" + name + "' and no history for that name");
        }
        JsonArray history = new JsonArray();
        rows.forEach(r -> history.add(json(r)));
        return history;
    }

    static JsonObject json(Row r) {
        return new JsonObject()
                .put("eventId", r.getUUID("event_id").toString())
                .put("occurredAt", r.getOffsetDateTime("occurred_at").toInstant().toString())
                .put("entityId", r.getUUID("entity_id").toString())
                .put("entityName", r.getString("entity_name"))
                .put("version", r.getLong("version"))
                .put("op", r.getString("op"))
                .put("before", r.getJsonObject("before"))
                .put("after", r.getJsonObject("after"))
                .put("actor", r.getString("actor"));
    }
}
