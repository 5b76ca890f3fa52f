package io.maestro.inventory.repository;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL every entity mutation shares. Each mutation locks the entity row first, changes what it must,
 * then {@link #touch}es it: the version goes up and an outbox row with before/after is written in the
 * same transaction. Locking the row first is what makes allocation's re-check sound (see AllocationService).
 */
@ApplicationScoped
public class EntityStore {

    public Optional<UUID> idOf(Tx tx, String name) {
        return tx.first("select id from entity where name = $1", name).map(r -> r.getUUID(0));
    }

    public UUID requireId(Tx tx, String name, String what) {
        return idOf(tx, name).orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'" + (what == null ? "" : " (" + what + ")")));
    }

    public Optional<JsonObject> json(Tx tx, String name) {
        return tx.first("select entity_json(id) from entity where name = $1", name).map(r -> r.getJsonObject(0));
    }

    /** Locks the entity for this transaction (404 when missing). */
    public LockedEntity lock(Tx tx, String name) {
        return lockOptional(tx, name).orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'"));
    }

    public Optional<LockedEntity> lockOptional(Tx tx, String name) {
        return tx.first("select id, name, type, version, entity_json(id) from entity where name = $1 for update", name).map(EntityStore::locked);
    }

    public LockedEntity lock(Tx tx, UUID id) {
        return locked(tx.one("select id, name, type, version, entity_json(id) from entity where id = $1 for update", id));
    }

    /** 412 unless {@code ifMatch} is absent, {@code *}, or the entity's current version. */
    public static void checkIfMatch(LockedEntity entity, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            String bare = tag.trim().replaceFirst("^W/", "").replace("\"", "");
            if (bare.equals(Long.toString(entity.version()))) {
                return;
            }
        }
        throw ProblemException.preconditionFailed("If-Match " + ifMatch + " does not match the current version \"" + entity.version()
                + "\" of '" + entity.name() + "'; read it again and retry");
    }

    /** Inserts the entity row; call {@link #created} once its attributes are in. */
    public UUID insert(Tx tx, String name, String type) {
        UUID id = UUID.randomUUID();
        tx.query("insert into entity (id, name, type) values ($1, $2, $3)", id, name, type);
        return id;
    }

    /**
     * Records the creation of entity {@code id} (after its attributes are in) by {@code actor} and returns its JSON.
     * The actor of every change is the subject of the token of the request that made it (or the actor of the event
     * that did); it goes into the outbox row, hence into the history and the published InventoryMutation.
     */
    public JsonObject created(Tx tx, UUID id, String actor) {
        return outbox(tx, id, "CREATED", null, actor);
    }

    /** Bumps the version, writes the outbox row with {@code actor}, returns the JSON after the change. */
    public JsonObject touch(Tx tx, LockedEntity entity, String actor) {
        tx.query("update entity set version = version + 1, updated_at = now() where id = $1", entity.id());
        return outbox(tx, entity.id(), "UPDATED", entity.before(), actor);
    }

    /** Writes the DELETED outbox row (version = last version + 1) with {@code actor}, then deletes. */
    public void delete(Tx tx, LockedEntity entity, String actor) {
        tx.query("""
                insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor)
                values ($1, $2, $3, $4, 'DELETED', $5::text::jsonb, null, $6)""",
                UUID.randomUUID(), entity.id(), entity.name(), entity.version() + 1, entity.before().encode(), actor);
        tx.query("delete from entity where id = $1", entity.id());
    }

    private JsonObject outbox(Tx tx, UUID id, String op, JsonObject before, String actor) {
        Row row = tx.one("""
                insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor)
                select $1, e.id, e.name, e.version, $2, $3::text::jsonb, entity_json(e.id), $5 from entity e where e.id = $4
                returning after""",
                UUID.randomUUID(), op, before == null ? null : before.encode(), id, actor);
        return row.getJsonObject(0);
    }

    public void insertAttributes(Tx tx, UUID entityId, List<AttributeValue> attributes) {
        for (AttributeValue a : attributes) {
            UUID ref = a.isReference() ? requireId(tx, a.text(), "referenced by attribute '" + a.key() + "'") : null;
            tx.query("""
                    insert into attribute (entity_id, key, subkey, number, value_type, text_value, number_value, ref_id)
                    values ($1, $2, $3, $4, $5, $6, $7, $8)""",
                    entityId, a.key(), a.subkey(), a.number(), a.type(), a.text(), a.numberValue(), ref);
        }
    }

    /** Puts the entity in pool {@code poolName}, creating the pool (type {@code pool}) when missing. */
    public void addToPool(Tx tx, UUID entityId, String poolName) {
        tx.query("insert into entity (id, name, type) values ($1, $2, 'pool') on conflict (name) do nothing", UUID.randomUUID(), poolName);
        Row pool = tx.one("""
                select p.id, p.type, exists (select 1 from attribute a where a.entity_id = p.id and a.key = 'exclusive' and a.text_value = 'true')
                from entity p where p.name = $1""", poolName);
        if (!"pool".equals(pool.getString(1))) {
            throw ProblemException.conflict("'" + poolName + "' is a " + pool.getString(1) + ", not a pool");
        }
        tx.query("insert into pool_member (pool_id, entity_id, exclusive) values ($1, $2, $3) on conflict (pool_id, entity_id) do nothing",
                pool.getUUID(0), entityId, pool.getBoolean(2));
    }

    private static LockedEntity locked(Row row) {
        return new LockedEntity(row.getUUID(0), row.getString(1), row.getString(2), row.getLong(3), row.getJsonObject(4));
    }
}
