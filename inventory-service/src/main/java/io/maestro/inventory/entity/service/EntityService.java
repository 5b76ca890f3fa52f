package io.maestro.inventory.entity.service;

import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.entity.AttributeValue;
import io.maestro.inventory.entity.EntityRequests.AddContent;
import io.maestro.inventory.entity.EntityRequests.BulkCreate;
import io.maestro.inventory.entity.EntityRequests.Connect;
import io.maestro.inventory.entity.EntityRequests.CreateEntity;
import io.maestro.inventory.entity.EntityRequests.PatchEntity;
import io.maestro.inventory.entity.EntityRequests.PortRef;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.Tx;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;

/**
 * clusto's verbs over entities: create/patch/delete, attr add/get/set/del, insert/remove, connect, locate, pools.
 * Every change takes its {@code actor} (the subject of the caller's token), recorded in the entity's history and in
 * the published InventoryMutation.
 */
@ApplicationScoped
public class EntityService {
    public static final int MAX_ATTRIBUTES = 1000;
    public static final int MAX_BULK = 5000;

    @Inject
    Database db;

    @Inject
    EntityStore store;

    @Inject
    InventoryConfig config;

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

    // --- attributes (clusto attr add/get/set/del) ---

    public JsonObject addAttribute(String name, String ifMatch, AttributeInput input, String actor) {
        Names.require(name, "name");
        AttributeValue attribute = AttributeValue.of(input, "attribute");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            store.insertAttributes(tx, entity.id(), List.of(attribute));
            return store.touch(tx, entity, actor);
        });
    }

    public JsonObject setAttribute(String name, String key, String ifMatch, AttributeInput input, String actor) {
        Names.require(name, "name");
        AttributeValue.requireKey(key, "key");
        if (input == null) {
            throw ProblemException.invalid("body", "is required");
        }
        if (input.key() != null && !input.key().equals(key)) {
            throw ProblemException.invalid("key", "must equal the key in the path");
        }
        AttributeValue attribute = AttributeValue.of(new AttributeInput(key, input.subkey(), input.number(), input.value(), input.type()), "attribute");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            tx.query("delete from attribute where entity_id = $1 and key = $2", entity.id(), key);
            store.insertAttributes(tx, entity.id(), List.of(attribute));
            return store.touch(tx, entity, actor);
        });
    }

    /** Deletes every value of {@code key}, or only those whose text is {@code value}; 404 when nothing matched. */
    public JsonObject deleteAttribute(String name, String key, String value, String ifMatch, String actor) {
        Names.require(name, "name");
        AttributeValue.requireKey(key, "key");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            int deleted = value == null
                    ? tx.query("delete from attribute where entity_id = $1 and key = $2", entity.id(), key).rowCount()
                    : tx.query("delete from attribute where entity_id = $1 and key = $2 and text_value = $3", entity.id(), key, value).rowCount();
            if (deleted == 0) {
                throw ProblemException.notFound("'" + name + "' has no attribute '" + key + "'" + (value == null ? "" : " with value '" + value + "'"));
            }
            return store.touch(tx, entity, actor);
        });
    }

    public JsonArray attributes(String name, String key) {
        JsonObject entity = get(name);
        if (key != null) {
            AttributeValue.requireKey(key, "key");
        }
        JsonArray all = entity.getJsonArray("attributes");
        JsonArray result = new JsonArray();
        all.forEach(a -> {
            if (key == null || key.equals(((JsonObject) a).getString("key"))) {
                result.add(a);
            }
        });
        return result;
    }

    // --- containment ---

    public JsonObject addContent(String parentName, String ifMatch, AddContent request, String actor) {
        Names.require(parentName, "parent");
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        String childName = Names.require(request.child(), "child");
        if (childName.equals(parentName)) {
            throw ProblemException.invalid("child", "must differ from the parent");
        }
        Integer unit = request.position() == null ? null : request.position().unit();
        Integer height = request.position() == null ? null : request.position().height();
        if (request.position() != null) {
            if (unit == null || unit < 1) {
                throw ProblemException.invalid("position.unit", "must be >= 1");
            }
            if (height == null) {
                height = 1;
            }
            if (height < 1 || height > 100) {
                throw ProblemException.invalid("position.height", "must be between 1 and 100");
            }
        }
        int finalHeight = height == null ? 0 : height;
        return db.inTransaction(tx -> {
            LockedEntity child = store.lock(tx, childName);
            EntityStore.checkIfMatch(child, ifMatch);
            // FOR SHARE on the parent serialises two inserts that would otherwise build a cycle together
            Row parent = tx.first("select id, type from entity where name = $1 for share", parentName)
                    .orElseThrow(() -> ProblemException.notFound("no entity named '" + parentName + "'"));
            UUID parentId = parent.getUUID(0);
            boolean cycle = tx.first("""
                    with recursive up(id) as (
                        select parent_id from containment where child_id = $1
                        union select c.parent_id from containment c join up on c.child_id = up.id)
                    select 1 from up where id = $2""", parentId, child.id()).isPresent();
            if (cycle) {
                throw ProblemException.conflict("'" + parentName + "' is inside '" + childName + "'; containment can't form a cycle");
            }
            tx.query("insert into containment (child_id, parent_id, unit, height) values ($1, $2, $3, $4)",
                    child.id(), parentId, unit, unit == null ? null : finalHeight);
            if (unit != null) {
                int rackHeight = rackHeight(tx, parentId);
                if (unit + finalHeight - 1 > rackHeight) {
                    throw ProblemException.invalid("position.unit", "units " + unit + ".." + (unit + finalHeight - 1)
                            + " do not fit in '" + parentName + "' of height " + rackHeight);
                }
                // one row per unit: the primary key (rack_id, unit) refuses a taken unit, whatever the race
                tx.query("insert into rack_unit (rack_id, unit, child_id) select $1, u, $2 from generate_series($3::int, $4::int) u",
                        parentId, child.id(), unit, unit + finalHeight - 1);
            }
            return store.touch(tx, child, actor);
        });
    }

    public JsonObject removeContent(String parentName, String childName, String ifMatch, String actor) {
        Names.require(parentName, "parent");
        Names.require(childName, "child");
        return db.inTransaction(tx -> {
            LockedEntity child = store.lock(tx, childName);
            EntityStore.checkIfMatch(child, ifMatch);
            int removed = tx.query("delete from containment c using entity p where c.child_id = $1 and p.id = c.parent_id and p.name = $2",
                    child.id(), parentName).rowCount();
            if (removed == 0) {
                throw ProblemException.notFound("'" + childName + "' is not in '" + parentName + "'");
            }
            return store.touch(tx, child, actor);
        });
    }

    int rackHeight(Tx tx, UUID rackId) {
        return tx.first("select number_value from attribute where entity_id = $1 and key = 'height' and number_value is not null order by id limit 1", rackId)
                .map(r -> r.getBigDecimal(0).intValue()).orElse(config.defaultRackHeight());
    }

    // --- connections ---

    public JsonObject connect(Connect request, String actor) {
        if (request == null || request.a() == null || request.b() == null) {
            throw ProblemException.invalid(request == null || request.a() == null ? "a" : "b", "is required: {\"entity\", \"port\"}");
        }
        PortRef a = port(request.a(), "a");
        PortRef b = port(request.b(), "b");
        if (a.equals(b)) {
            throw ProblemException.invalid("b", "must be another port than a");
        }
        return db.inTransaction(tx -> {
            List<LockedEntity> locked = lockInOrder(tx, a.entity(), b.entity());
            UUID aId = store.requireId(tx, a.entity(), "a.entity");
            UUID bId = store.requireId(tx, b.entity(), "b.entity");
            long id = tx.one("insert into connection default values returning id").getLong(0);
            tx.query("insert into connection_end (entity_id, port, connection_id) values ($1, $2, $3), ($4, $5, $3)",
                    aId, a.port(), id, bId, b.port());
            locked.forEach(e -> store.touch(tx, e, actor));
            return new JsonObject().put("id", id)
                    .put("a", new JsonObject().put("entity", a.entity()).put("port", a.port()))
                    .put("b", new JsonObject().put("entity", b.entity()).put("port", b.port()));
        });
    }

    public void disconnect(String entityName, String port, String actor) {
        Names.require(entityName, "entity");
        Names.require(port, "port");
        db.inTransaction(tx -> {
            Row end = tx.first("""
                    select other.connection_id, o.name from connection_end mine
                    join entity e on e.id = mine.entity_id
                    join connection_end other on other.connection_id = mine.connection_id and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
                    join entity o on o.id = other.entity_id
                    where e.name = $1 and mine.port = $2""", entityName, port)
                    .orElseThrow(() -> ProblemException.notFound("port '" + port + "' of '" + entityName + "' is not connected"));
            String otherName = end.getString(1);
            List<LockedEntity> locked = lockInOrder(tx, entityName, otherName);
            int deleted = tx.query("delete from connection where id = $1", end.getLong(0)).rowCount();
            if (deleted == 0) {
                throw ProblemException.notFound("port '" + port + "' of '" + entityName + "' is not connected");
            }
            locked.forEach(e -> store.touch(tx, e, actor));
            return null;
        });
    }

    private static PortRef port(PortRef ref, String field) {
        return new PortRef(Names.require(ref.entity(), field + ".entity"), Names.require(ref.port(), field + ".port"));
    }

    /** Locks in name order, so two transactions on the same pair never deadlock. */
    private List<LockedEntity> lockInOrder(Tx tx, String... names) {
        List<String> sorted = new ArrayList<>(List.of(names));
        sorted.sort(Comparator.naturalOrder());
        List<LockedEntity> locked = new ArrayList<>();
        for (String n : sorted.stream().distinct().toList()) {
            store.lockOptional(tx, n).ifPresent(locked::add);
        }
        return locked;
    }

    // --- pools ---

    public JsonObject addToPool(String poolName, String entityName, String actor) {
        Names.require(poolName, "pool");
        Names.require(entityName, "entity");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, entityName);
            store.addToPool(tx, entity.id(), poolName);
            return store.touch(tx, entity, actor);
        });
    }

    public JsonObject removeFromPool(String poolName, String entityName, String actor) {
        Names.require(poolName, "pool");
        Names.require(entityName, "entity");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, entityName);
            int removed = tx.query("delete from pool_member pm using entity p where p.id = pm.pool_id and p.name = $1 and pm.entity_id = $2",
                    poolName, entity.id()).rowCount();
            if (removed == 0) {
                throw ProblemException.notFound("'" + entityName + "' is not in pool '" + poolName + "'");
            }
            return store.touch(tx, entity, actor);
        });
    }

    // --- locate ---

    public JsonObject location(String name) {
        Names.require(name, "name");
        return db.inTransaction(tx -> {
            JsonObject entity = store.json(tx, name).orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'"));
            JsonArray chain = new JsonArray();
            for (Row row : tx.rows("""
                    with recursive up(child_id, parent_id, unit, height, depth) as (
                        select child_id, parent_id, unit, height, 1 from containment where child_id = $1
                        union all
                        select c.child_id, c.parent_id, c.unit, c.height, up.depth + 1 from containment c join up on c.child_id = up.parent_id
                        where up.depth < 64)
                    select p.name, p.type, up.unit, up.height from up join entity p on p.id = up.parent_id order by up.depth""",
                    UUID.fromString(entity.getString("id")))) {
                chain.add(new JsonObject().put("entity", row.getString(0)).put("type", row.getString(1))
                        .put("unit", row.getInteger(2)).put("height", row.getInteger(3)));
            }
            return new JsonObject().put("entity", name).put("type", entity.getString("type"))
                    .put("chain", chain).put("connections", entity.getJsonArray("connections"));
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
