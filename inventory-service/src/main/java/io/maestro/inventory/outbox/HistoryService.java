package io.maestro.inventory.outbox;

import io.maestro.inventory.repository.OutboxRow;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code GET /v1/entities/{name}/history}: the outbox rows of an entity name, oldest first, as InventoryMutation JSON (with who made each: {@code actor}). */
@ApplicationScoped
public class HistoryService {

    public Uni<JsonArray> of(String name) {
        Names.require(name, "name");
        return Transactions.read(() -> Panache.getSession().chain(session -> session
                        .createSelectionQuery("from OutboxRow o where o.entityName = :name order by o.id", OutboxRow.class)
                        .setParameter("name", name).getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("no entity named '" + name + "' and no history for that name");
                    }
                    JsonArray history = new JsonArray();
                    rows.forEach(row -> history.add(json(row)));
                    return history;
                });
    }

    static JsonObject json(OutboxRow row) {
        return new JsonObject()
                .put("eventId", row.eventId.toString())
                .put("occurredAt", row.occurredAt.toString())
                .put("entityId", row.entityId.toString())
                .put("entityName", row.entityName)
                .put("version", row.version)
                .put("op", row.op)
                .put("before", row.before == null ? null : new JsonObject(row.before))
                .put("after", row.after == null ? null : new JsonObject(row.after))
                .put("actor", row.actor);
    }
}
