package io.maestro.inventory.entity.service;

import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.ApiModels.BulkCreated;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.EntityRequests.BulkCreate;
import io.maestro.inventory.entity.EntityRequests.CreateEntity;
import io.maestro.inventory.entity.EntityRequests.PatchEntity;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.PlannerStatistics;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;

/**
 * An entity's life: create (one or in bulk), get, patch and delete. The other clusto verbs have a service each:
 * attributes ({@link AttributeService}), containment and locate ({@link ContainmentService}), connections
 * ({@link ConnectionService}) and pools ({@link PoolService}). Every change takes its {@code actor} (the subject of the
 * caller's token), recorded in the entity's history and in the published InventoryMutation.
 */
@ApplicationScoped
public class EntityService {

    private final Statements sql;
    private final EntityStore store;
    private final PlannerStatistics statistics;

    public EntityService(Statements sql, EntityStore store, PlannerStatistics statistics) {
        this.statistics = statistics;
        this.sql = sql;
        this.store = store;
    }

    /** Creates one entity; {@code request} passed Bean Validation at the edge (names, sizes). */
    public Uni<EntityView> create(CreateEntity request, String actor) {
        String name = request.name();
        String type = request.type();
        List<AttributeValue> attributes = attributes(request.attributes(), "attributes");
        return Transactions.inTransaction(() -> store.insert(name, type)
                .call(id -> store.insertAttributes(id, attributes))
                .chain(id -> store.created(id, actor)));
    }

    /** Creates all or none, with a few set-based statements (the bulk path of the benchmark); returns how many. */
    public Uni<BulkCreated> createAll(BulkCreate request, String actor) {
        int n = request.entities().size();
        UUID[] ids = new UUID[n];
        String[] names = new String[n];
        String[] types = new String[n];
        List<UUID> attrEntity = new ArrayList<>();
        List<AttributeValue> attrs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            CreateEntity entity = request.entities().get(i);
            String field = "entities[" + i + "]";
            ids[i] = UUID.randomUUID();
            names[i] = entity.name();
            types[i] = entity.type();
            if (!seen.add(names[i])) {
                throw ProblemException.invalid(field + ".name", "appears twice in this request");
            }
            for (AttributeValue a : attributes(entity.attributes(), field + ".attributes")) {
                attrEntity.add(ids[i]);
                attrs.add(a);
            }
        }
        String[] references = attrs.stream().filter(AttributeValue::isReference).map(AttributeValue::text).distinct().toArray(String[]::new);
        return Transactions.inTransaction(() -> sql.update("insert into entity (id, name, type) select * from unnest(cast(?1 as uuid[]), cast(?2 as text[]), cast(?3 as text[]))", ids, names, types)
                .chain(() -> references.length == 0 ? Uni.createFrom().voidItem()
                        : sql.first("select n from unnest(cast(?1 as text[])) n where not exists (select 1 from entity e where e.name = n) limit 1",
                        (Object) references).invoke(missing -> missing.ifPresent(row -> {
                            throw ProblemException.notFound("no entity named '" + row.string(0) + "' (referenced by an attribute)");
                        })).replaceWithVoid())
                .chain(() -> store.insertAttributes(attrEntity, attrs))
                .chain(() -> store.createdAll(ids, actor))
                .replaceWith(new BulkCreated(n)))
                .invoke(() -> statistics.written(n + attrs.size())); // committed: the planner learns of the new rows
    }

    /** The entity; with {@code effective}, its attributes are its effective ones, each inherited one saying from where. */
    public Uni<EntityView> get(String name, boolean effective) {
        return Transactions.read(() -> effective ? store.effectiveView(name) : store.view(name))
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'")));
    }

    public Uni<EntityView> patch(String name, String ifMatch, PatchEntity request, String actor) {
        if (request.name() != null && !request.name().equals(name)) {
            throw ProblemException.invalid("name", "is immutable; create a new entity instead");
        }
        String type = request.type();
        List<AttributeValue> attributes = request.attributes() == null ? null : attributes(request.attributes(), "attributes");
        return Transactions.inTransaction(() -> store.lock(name)
                .invoke(entity -> EntityStore.checkIfMatch(entity, ifMatch))
                .call(entity -> type == null ? Uni.createFrom().voidItem() : sql.update("update entity set type = ?2 where id = ?1", entity.id(), type))
                .call(entity -> attributes == null ? Uni.createFrom().voidItem()
                        : sql.update("delete from attribute where entity_id = ?1", entity.id()).chain(() -> store.insertAttributes(entity.id(), attributes)))
                .chain(entity -> store.touch(entity, actor)));
    }

    public Uni<Void> delete(String name, String ifMatch, String actor) {
        return Transactions.inTransaction(() -> store.lock(name)
                .invoke(entity -> EntityStore.checkIfMatch(entity, ifMatch))
                .chain(entity -> store.delete(entity, actor)));
    }

    private static List<AttributeValue> attributes(List<AttributeInput> inputs, String field) {
        if (inputs == null) {
            return List.of();
        }
        List<AttributeValue> values = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            values.add(AttributeValue.of(inputs.get(i), field + "[" + i + "]"));
        }
        return values;
    }
}
