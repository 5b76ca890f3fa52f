package io.maestro.inventory.entity.service;

import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.EntityRequests.BulkCreate;
import io.maestro.inventory.entity.EntityRequests.CreateEntity;
import io.maestro.inventory.entity.EntityRequests.PatchEntity;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonObject;
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
    public static final int MAX_ATTRIBUTES = 1000;
    public static final int MAX_BULK = 5000;

    private final Database db;
    private final EntityStore store;

    public EntityService(Database db, EntityStore store) {
        this.db = db;
        this.store = store;
    }

    public JsonObject create(CreateEntity request, String actor) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        String name = Names.require(request.name(), "name");
        String type = Names.require(request.type(), "type");
        List<AttributeValue> attributes = attributes(request.attributes(), "attributes");
        return db.inTransaction(tx -> {
            UUID id = store.insert(tx, name, type);
            store.insertAttributes(tx, id, attributes);
            return store.created(tx, id, actor);
        });
    }

    /** Creates all or none, with a few set-based statements (the bulk path of the benchmark); returns how many. */
    public int createAll(BulkCreate request, String actor) {
        if (request == null || request.entities() == null || request.entities().isEmpty() || request.entities().size() > MAX_BULK) {
            throw ProblemException.invalid("entities", "must hold 1 to " + MAX_BULK + " entities");
        }
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
            if (entity == null) {
                throw ProblemException.invalid(field, "must be an entity");
            }
            ids[i] = UUID.randomUUID();
            names[i] = Names.require(entity.name(), field + ".name");
            types[i] = Names.require(entity.type(), field + ".type");
            if (!seen.add(names[i])) {
                throw ProblemException.invalid(field + ".name", "appears twice in this request");
            }
            for (AttributeValue a : attributes(entity.attributes(), field + ".attributes")) {
                attrEntity.add(ids[i]);
                attrs.add(a);
            }
        }
        return db.inTransaction(tx -> {
            tx.query("insert into entity (id, name, type) select * from unnest($1::uuid[], $2::text[], $3::text[])", ids, names, types);
            if (!attrs.isEmpty()) {
                String[] references = attrs.stream().filter(AttributeValue::isReference).map(AttributeValue::text).distinct().toArray(String[]::new);
                if (references.length > 0) {
                    tx.first("select n from unnest($1::text[]) n where not exists (select 1 from entity e where e.name = n) limit 1",
                            (Object) references).ifPresent(missing -> {
                                throw ProblemException.notFound("no entity named '" + missing.getString(0) + "' (referenced by an attribute)");
                            });
                }
                tx.query(BULK_ATTRIBUTES,
                        attrEntity.toArray(new UUID[0]),
                        attrs.stream().map(AttributeValue::key).toArray(String[]::new),
                        attrs.stream().map(AttributeValue::subkey).toArray(String[]::new),
                        attrs.stream().map(AttributeValue::number).toArray(Integer[]::new),
                        attrs.stream().map(AttributeValue::type).toArray(String[]::new),
                        attrs.stream().map(AttributeValue::text).toArray(String[]::new),
                        attrs.stream().map(a -> a.numberValue() == null ? null : a.numberValue().toPlainString()).toArray(String[]::new));
            }
            tx.query(BULK_OUTBOX, ids, actor);
            return n;
        });
    }

    private static final String BULK_ATTRIBUTES = """
            insert into attribute (entity_id, key, subkey, number, value_type, text_value, number_value, ref_id)
            select t.eid, t.key, t.subkey, t.num, t.vt, t.tv, t.nv::numeric, r.id
            from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
                 with ordinality as t(eid, key, subkey, num, vt, tv, nv, ord)
            left join entity r on t.vt = 'reference' and r.name = t.tv
            order by t.ord""";

    private static final String BULK_OUTBOX = """
            insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor)
            select gen_random_uuid(), e.id, e.name, e.version, 'CREATED', null, entity_json(e.id), $2
            from unnest($1::uuid[]) with ordinality as u(id, ord) join entity e on e.id = u.id order by u.ord""";

    public JsonObject get(String name) {
        Names.require(name, "name");
        return db.inTransaction(tx -> store.json(tx, name)).orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'"));
    }

    public JsonObject patch(String name, String ifMatch, PatchEntity request, String actor) {
        Names.require(name, "name");
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        if (request.name() != null && !request.name().equals(name)) {
            throw ProblemException.invalid("name", "is immutable; create a new entity instead");
        }
        String type = request.type() == null ? null : Names.require(request.type(), "type");
        List<AttributeValue> attributes = request.attributes() == null ? null : attributes(request.attributes(), "attributes");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            if (type != null) {
                tx.query("update entity set type = $2 where id = $1", entity.id(), type);
            }
            if (attributes != null) {
                tx.query("delete from attribute where entity_id = $1", entity.id());
                store.insertAttributes(tx, entity.id(), attributes);
            }
            return store.touch(tx, entity, actor);
        });
    }

    public void delete(String name, String ifMatch, String actor) {
        Names.require(name, "name");
        db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            store.delete(tx, entity, actor);
            return null;
        });
    }

    private static List<AttributeValue> attributes(List<AttributeInput> inputs, String field) {
        if (inputs == null) {
            return List.of();
        }
        if (inputs.size() > MAX_ATTRIBUTES) {
            throw ProblemException.invalid(field, "at most " + MAX_ATTRIBUTES + " attributes per request");
        }
        List<AttributeValue> values = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            values.add(AttributeValue.of(inputs.get(i), field + "[" + i + "]"));
        }
        return values;
    }
}
