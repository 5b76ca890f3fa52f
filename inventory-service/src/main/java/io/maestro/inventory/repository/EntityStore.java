package io.maestro.inventory.repository;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.mutation.MutationOptions;
import io.maestro.inventory.types.SchemaViolation;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.ApiModels.EntityView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What every entity mutation shares, in the caller's session and transaction ({@link Transactions}). Each mutation
 * locks the entity row first, changes what it must, then {@link #touch}es it: the version goes up and an outbox row
 * with before/after is written in the same transaction. Locking the row first is what makes allocation's re-check
 * sound (see AllocationService).
 */
@ApplicationScoped
public class EntityStore {
    private static final String LOCKED = "select id, name, type, version, entity_json(id)::text from entity ";

    private final Statements sql;

    public EntityStore(Statements sql) {
        this.sql = sql;
    }

    public Uni<Optional<UUID>> idOf(String name) {
        return sql.first("select id from entity where name = ?1", name).map(row -> row.map(r -> r.uuid(0)));
    }

    public Uni<UUID> requireId(String name, String what) {
        return idOf(name).map(id -> id.orElseThrow(() ->
                ProblemException.notFound("no entity named '" + name + "'" + (what == null ? "" : " (" + what + ")"))));
    }

    public Uni<Optional<EntityView>> view(String name) {
        return sql.first("select entity_json(id)::text from entity where name = ?1", name).map(row -> row.map(r -> r.as(0, EntityView.class)));
    }

    /** The entity with its effective attributes: its own, then its pools', then its containers' (V9's effective_attributes). */
    public Uni<Optional<EntityView>> effectiveView(String name) {
        return sql.first("select (entity_json(id) || jsonb_build_object('attributes', effective_attributes_json(id)))::text from entity where name = ?1",
                name).map(row -> row.map(r -> r.as(0, EntityView.class)));
    }

    /** Locks the entity for this transaction (404 when missing). */
    public Uni<LockedEntity> lock(String name) {
        return lockOptional(name).map(found -> found.orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'")));
    }

    public Uni<Optional<LockedEntity>> lockOptional(String name) {
        return sql.first(LOCKED + "where name = ?1 for update", name).map(row -> row.map(EntityStore::locked));
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
    public Uni<UUID> insert(String name, String type) {
        UUID id = UUID.randomUUID();
        return sql.persist(InventoryEntity.of(id, name, type)).replaceWith(id);
    }

    /**
     * Records the creation of entity {@code id} (after its attributes are in) by {@code actor} and returns its JSON.
     * The actor of every change is the subject of the token of the request that made it (or the actor of the event
     * that did); it goes into the outbox row, hence into the history and the published InventoryMutation.
     */
    public Uni<EntityView> created(UUID id, String actor) {
        return checkRules(new UUID[] {id}).chain(() -> outbox(id, "CREATED", null, actor));
    }

    /**
     * Bumps the version, writes the outbox row with {@code actor}, returns the JSON after the change; first checks the
     * attribute rules of the entity's type ({@link #checkRules}), as a change of its attributes or type must.
     */
    public Uni<EntityView> touch(LockedEntity entity, String actor) {
        return checkRules(new UUID[] {entity.id()}).chain(() -> touched(entity, actor));
    }

    /**
     * {@link #touch} for a change of what the entity is linked to (its container, pools, cables, addresses): its
     * attributes and type are as they were, so its type's rules are not checked again (an entity that broke rules set
     * after it was written can still be moved, cabled, pooled).
     */
    public Uni<EntityView> relinked(LockedEntity entity, String actor) {
        return touched(entity, actor);
    }

    private Uni<EntityView> touched(LockedEntity entity, String actor) {
        return sql.update("update entity set version = version + 1, updated_at = now() where id = ?1", entity.id())
                .chain(() -> outbox(entity.id(), "UPDATED", entity.beforeJson(), actor));
    }

    /** Writes the DELETED outbox row (version = last version + 1) with {@code actor}, then deletes. */
    public Uni<Void> delete(LockedEntity entity, String actor) {
        return sql.update("""
                        insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor, note)
                        values (?1, ?2, ?3, ?4, 'DELETED', cast(cast(?5 as text) as jsonb), null, ?6, cast(?7 as text))""",
                        UUID.randomUUID(), entity.id(), entity.name(), entity.version() + 1, entity.beforeJson(), actor, note())
                .chain(() -> sql.update("delete from entity where id = ?1", entity.id()))
                .replaceWithVoid();
    }

    private Uni<EntityView> outbox(UUID id, String op, String beforeJson, String actor) {
        return sql.one("""
                        insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor, note)
                        select ?1, e.id, e.name, e.version, ?2, cast(cast(?3 as text) as jsonb), entity_json(e.id), ?5, cast(?6 as text) from entity e where e.id = ?4
                        returning after::text""",
                        UUID.randomUUID(), op, beforeJson, id, actor, note())
                .map(row -> row.as(0, EntityView.class));
    }

    /**
     * Fails with {@link SchemaViolation} when an entity of {@code ids} breaks an attribute rule of its type (migration
     * V11's {@code schema_violations}, which locks the unique values it checks). Every creation and every change of
     * attributes or type passes here before its outbox row ({@link #created}, {@link #touch}, {@link #createdAll},
     * {@link #touchAll}); only {@link #relinked} and {@link #relinkedAll} (containment, pools, cables, addresses) do not.
     */
    public Uni<Void> checkRules(UUID[] ids) {
        return sql.rows("select entity, key, rule, conflict from schema_violations(cast(?1 as uuid[]), true) order by entity, key, rule", (Object) ids)
                .invoke(rows -> {
                    if (!rows.isEmpty()) {
                        throw new SchemaViolation(rows.stream().map(r -> new SchemaViolation.Broken(r.string(0), r.string(1), r.string(2), r.bool(3))).toList());
                    }
                }).replaceWithVoid();
    }

    /** The request's note for the outbox row (a typed null when none, so the parameter binds as text). */
    public static String note() {
        return MutationOptions.current().note();
    }

    /** Adds attribute values to an entity; a reference must name an existing entity (404 naming the attribute). */
    public Uni<Void> insertAttributes(UUID entityId, List<AttributeValue> attributes) {
        if (attributes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(attributes)
                .onItem().transformToUniAndConcatenate(a -> (a.isReference()
                        ? requireId(a.text(), "referenced by attribute '" + a.key() + "'")
                        : Uni.createFrom().<UUID>nullItem())
                        .map(ref -> AttributeRow.of(entityId, a, ref)))
                .collect().asList()
                .chain(rows -> sql.persist(rows.toArray()));
    }

    /**
     * Adds the values {@code attributes} (value i to entity {@code entityIds} i) in one set-based statement; a
     * reference's target must exist (the caller checked: the check constraint refuses a reference without one).
     */
    public Uni<Void> insertAttributes(List<UUID> entityIds, List<AttributeValue> attributes) {
        if (attributes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.update(BULK_ATTRIBUTES,
                entityIds.toArray(new UUID[0]),
                attributes.stream().map(AttributeValue::key).toArray(String[]::new),
                attributes.stream().map(AttributeValue::subkey).toArray(String[]::new),
                attributes.stream().map(AttributeValue::number).toArray(Integer[]::new),
                attributes.stream().map(AttributeValue::type).toArray(String[]::new),
                attributes.stream().map(AttributeValue::text).toArray(String[]::new),
                attributes.stream().map(a -> a.numberValue() == null ? null : a.numberValue().toPlainString()).toArray(String[]::new))
                .replaceWithVoid();
    }

    private static final String BULK_ATTRIBUTES = """
            insert into attribute (entity_id, key, subkey, number, value_type, text_value, number_value, ref_id)
            select t.eid, t.key, t.subkey, t.num, t.vt, t.tv, t.nv::numeric, r.id
            from unnest(cast(?1 as uuid[]), cast(?2 as text[]), cast(?3 as text[]), cast(?4 as int[]), cast(?5 as text[]),
                        cast(?6 as text[]), cast(?7 as text[]))
                 with ordinality as t(eid, key, subkey, num, vt, tv, nv, ord)
            left join entity r on t.vt = 'reference' and r.name = t.tv
            order by t.ord""";

    /** {@link #created} for many entities in one statement, one outbox row each in the order given. */
    public Uni<Void> createdAll(UUID[] ids, String actor) {
        if (ids.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return checkRules(ids).chain(() -> sql.update("""
                insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor, note)
                select gen_random_uuid(), e.id, e.name, e.version, 'CREATED', null, j.json, ?2, cast(?3 as text)
                from unnest(cast(?1 as uuid[])) with ordinality as u(id, ord) join entity e on e.id = u.id
                join entities_json(cast(?1 as uuid[])) j on j.id = u.id order by u.ord""", ids, actor, note())).replaceWithVoid();
    }

    /** Locks entities already known to exist (e.g. chosen by an allocation), in name order, with their JSON before the change. */
    public Uni<List<LockedEntity>> lockAll(List<UUID> ids) {
        return sql.rows(LOCKED + "where id = any(cast(?1 as uuid[])) order by name for update", (Object) ids.toArray(new UUID[0]))
                .map(rows -> rows.stream().map(EntityStore::locked).toList());
    }

    /**
     * {@link #touch} for many entities in two statements: the versions go up, one outbox row each (in the order
     * given); answers their JSON after the change in that order.
     */
    public Uni<List<EntityView>> touchAll(List<LockedEntity> entities, String actor) {
        UUID[] ids = entities.stream().map(LockedEntity::id).toArray(UUID[]::new);
        return (ids.length == 0 ? Uni.createFrom().voidItem() : checkRules(ids)).chain(() -> relinkedAll(entities, actor));
    }

    /** {@link #touchAll} for changes of what the entities are linked to: see {@link #relinked}. */
    public Uni<List<EntityView>> relinkedAll(List<LockedEntity> entities, String actor) {
        if (entities.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] ids = entities.stream().map(LockedEntity::id).toArray(UUID[]::new);
        String[] before = entities.stream().map(LockedEntity::beforeJson).toArray(String[]::new);
        return sql.update("update entity set version = version + 1, updated_at = now() where id = any(cast(?1 as uuid[]))", (Object) ids)
                .chain(() -> sql.rows("""
                        insert into outbox (event_id, entity_id, entity_name, version, op, before, after, actor, note)
                        select gen_random_uuid(), e.id, e.name, e.version, 'UPDATED', cast(b.before as jsonb), j.json, ?3, cast(?4 as text)
                        from unnest(cast(?1 as uuid[]), cast(?2 as text[])) with ordinality as b(id, before, ord) join entity e on e.id = b.id
                        join entities_json(cast(?1 as uuid[])) j on j.id = b.id
                        order by b.ord
                        returning id, after::text""", ids, before, actor, note()))
                .map(rows -> rows.stream().sorted(java.util.Comparator.comparing(row -> row.longValue(0)))
                        .map(row -> row.as(1, EntityView.class)).toList());
    }

    /** Puts the entity in pool {@code poolName}, creating the pool (type {@code pool}) when missing. */
    public Uni<Void> addToPool(UUID entityId, String poolName) {
        return addToPool(List.of(entityId), poolName);
    }

    /** Puts entities in pool {@code poolName} (one statement), creating the pool (type {@code pool}) when missing. */
    public Uni<Void> addToPool(List<UUID> entityIds, String poolName) {
        return sql.update("insert into entity (id, name, type) values (?1, ?2, 'pool') on conflict (name) do nothing", UUID.randomUUID(), poolName)
                .chain(() -> sql.one("""
                        select p.id, p.type, exists (select 1 from attribute a where a.entity_id = p.id and a.key = 'exclusive' and a.text_value = 'true')
                        from entity p where p.name = ?1""", poolName))
                .chain(pool -> {
                    if (!"pool".equals(pool.string(1))) {
                        throw ProblemException.conflict("'" + poolName + "' is a " + pool.string(1) + ", not a pool");
                    }
                    return sql.update("insert into pool_member (pool_id, entity_id, exclusive) select ?1, unnest(cast(?2 as uuid[])), ?3 "
                            + "on conflict (pool_id, entity_id) do nothing", pool.uuid(0), entityIds.toArray(new UUID[0]), pool.bool(2));
                })
                .replaceWithVoid();
    }

    private static LockedEntity locked(Row row) {
        return new LockedEntity(row.uuid(0), row.string(1), row.string(2), row.longValue(3), row.string(4));
    }
}
