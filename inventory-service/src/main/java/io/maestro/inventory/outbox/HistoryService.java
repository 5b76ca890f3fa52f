package io.maestro.inventory.outbox;

import io.maestro.inventory.repository.OutboxRow;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.maestro.events.EventCodec;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.ApiModels.Mutation;

import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code GET /v1/entities/{name}/history}: the outbox rows of an entity name, oldest first, as InventoryMutation JSON (with who made each: {@code actor}). */
@ApplicationScoped
public class HistoryService {

    public Uni<List<Mutation>> of(String name) {
        return Transactions.read(() -> Panache.getSession().chain(session -> session
                        .createSelectionQuery("from OutboxRow o where o.entityName = :name order by o.id", OutboxRow.class)
                        .setParameter("name", name).getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("no entity named '" + name + "' and no history for that name");
                    }
                    return rows.stream().map(HistoryService::mutation).toList();
                });
    }

    /** An outbox row as the history (and a dry run) answers it. */
    public static Mutation mutation(OutboxRow row) {
        return new Mutation(row.eventId.toString(), row.occurredAt.toString(), row.entityId.toString(), row.entityName, row.version, row.op,
                view(row.before), view(row.after), row.actor, row.note);
    }

    private static EntityView view(String json) {
        try {
            return json == null ? null : EventCodec.mapper().readValue(json, EntityView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox row holds no entity", e);
        }
    }
}
