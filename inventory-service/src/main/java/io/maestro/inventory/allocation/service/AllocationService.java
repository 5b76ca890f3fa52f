package io.maestro.inventory.allocation.service;

import io.maestro.inventory.allocation.AllocationRequest;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.query.EntitySearch;
import io.maestro.inventory.query.Expression;
import io.maestro.inventory.query.SqlCompiler;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.Tx;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * "4 unallocated servers in datacenter Z, each in a different rack", all or nothing, race-free.
 *
 * <p>Why no entity is handed out twice: (1) candidates are locked with {@code FOR UPDATE SKIP LOCKED} (only as
 * many as are needed, wave by wave), so two concurrent allocations never hold the same row; (2) once locked, they are re-checked
 * against the query in a new statement (a new snapshot under READ COMMITTED): an allocation that
 * committed between our first snapshot and our lock is seen, because every mutation of an entity locks
 * and updates its row first; (3) entities already in the target pool are never candidates. The assignment
 * happens in the same transaction, so a failure leaves nothing behind.
 */
@ApplicationScoped
public class AllocationService {
    private static final int CONTENDED_ATTEMPTS = 100;

    private final Database db;
    private final EntityStore store;
    private final EntitySearch search;
    private final InventoryConfig config;

    public AllocationService(Database db, EntityStore store, EntitySearch search, InventoryConfig config) {
        this.db = db;
        this.store = store;
        this.search = search;
        this.config = config;
    }

    public JsonObject allocate(AllocationRequest request, String actor) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        if (request.query() == null || request.query().isBlank()) {
            throw ProblemException.invalid("query", "is required");
        }
        Expression expression = search.parse(request.query(), "query");
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || count > config.allocation().maxCount()) {
            throw ProblemException.invalid("count", "must be between 1 and " + config.allocation().maxCount());
        }
        String spreadBy = request.spreadBy() == null ? null : Names.require(request.spreadBy(), "spreadBy");
        String pool = request.assign() == null || request.assign().pool() == null ? null : Names.require(request.assign().pool(), "assign.pool");
        List<AttributeValue> attributes = new ArrayList<>();
        if (request.assign() != null && request.assign().attributes() != null) {
            for (int i = 0; i < request.assign().attributes().size(); i++) {
                attributes.add(AttributeValue.of(request.assign().attributes().get(i), "assign.attributes[" + i + "]"));
            }
        }
        String key = request.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw ProblemException.invalid("idempotencyKey", "must be 1 to 200 characters");
        }
        JsonObject requestJson = JsonObject.mapFrom(request);
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(request, expression, count, spreadBy, pool, attributes, key, requestJson, actor);
            } catch (ContendedException e) {
                if (attempt == CONTENDED_ATTEMPTS) {
                    throw ProblemException.conflict(e.getMessage() + "; other allocations held the missing candidates "
                            + CONTENDED_ATTEMPTS + " times in a row, retry later");
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 30));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ProblemException.conflict(e.getMessage());
                }
            }
        }
    }

    private JsonObject attempt(AllocationRequest request, Expression expression, int count, String spreadBy, String pool,
                               List<AttributeValue> attributes, String key, JsonObject requestJson, String actor) {
        return db.inTransaction(tx -> {
            if (key != null) {
                // serialises requests with the same key; the second one finds the first's result
                tx.query("select pg_advisory_xact_lock(hashtextextended($1, 7))", key);
                var previous = tx.first("select request = $2::text::jsonb, result from allocation where idempotency_key = $1",
                        key, requestJson.encode());
                if (previous.isPresent()) {
                    if (!previous.get().getBoolean(0)) {
                        throw ProblemException.unprocessable("idempotencyKey '" + key + "' was used with a different request");
                    }
                    return previous.get().getJsonObject(1).put("replayed", true);
                }
            }
            JsonObject result = allocate(tx, request.query(), expression, count, spreadBy, pool, attributes, actor);
            if (key != null) {
                tx.query("insert into allocation (idempotency_key, request, result) values ($1, $2::text::jsonb, $3::text::jsonb)",
                        key, requestJson.encode(), result.encode());
            }
            return result.put("replayed", false);
        });
    }

    private JsonObject allocate(Tx tx, String query, Expression expression, int count, String spreadBy, String pool,
                                List<AttributeValue> attributes, String actor) {
        List<Object> params = new ArrayList<>();
        String condition = new SqlCompiler(params).condition(expression);
        if (pool != null) {
            params.add(pool);
            condition += " and not exists (select 1 from pool_member pm join entity p on p.id = pm.pool_id where pm.entity_id = e.id and p.name = $"
                    + params.size() + ")";
        }
        int idParam = params.size() + 1;
        params.add(config.allocation().maxCandidates());
        // unlocked first: what matches now (and, with spreadBy, under which ancestor)
        List<UUID> candidates = tx.rows("select e.id from entity e where " + condition + " order by e.name limit $" + idParam,
                params.toArray()).stream().map(r -> r.getUUID(0)).toList();
        Map<UUID, String> ancestorOf = spreadBy == null ? Map.of() : ancestors(tx, candidates, spreadBy);

        // then lock only what is needed, wave by wave: a candidate held by another allocation is skipped, one
        // that changed before we locked it fails the re-check, and the next wave replaces them
        List<UUID> chosen = new ArrayList<>();
        Set<String> usedAncestors = new HashSet<>();
        boolean contended = false;
        int next = 0;
        while (chosen.size() < count && next < candidates.size()) {
            List<UUID> wave = new ArrayList<>();
            Set<String> waveAncestors = new HashSet<>();
            while (wave.size() < count - chosen.size() && next < candidates.size()) {
                UUID candidate = candidates.get(next++);
                if (spreadBy != null) {
                    String ancestor = ancestorOf.get(candidate);
                    if (ancestor == null || usedAncestors.contains(ancestor) || !waveAncestors.add(ancestor)) {
                        continue;
                    }
                }
                wave.add(candidate);
            }
            if (wave.isEmpty()) {
                break;
            }
            List<UUID> locked = tx.rows("select e.id from entity e where e.id = any($1) order by e.name for update of e skip locked",
                    (Object) wave.toArray(new UUID[0])).stream().map(r -> r.getUUID(0)).toList();
            contended |= locked.size() < wave.size();
            if (locked.isEmpty()) {
                continue;
            }
            // re-check under our locks with a fresh snapshot (see the class comment)
            params.set(idParam - 1, locked.toArray(new UUID[0]));
            for (Row row : tx.rows("select e.id from entity e where " + condition + " and e.id = any($" + idParam + ") order by e.name",
                    params.toArray())) {
                UUID id = row.getUUID(0);
                if (spreadBy == null || usedAncestors.add(ancestorOf.get(id))) {
                    chosen.add(id);
                }
            }
        }
        if (chosen.size() < count) {
            String reason = spreadBy == null
                    ? "only " + candidates.size() + " free entities match '" + query + "' but " + count + " were asked for"
                    : "only " + new HashSet<>(ancestorOf.values()).size() + " distinct " + spreadBy + "s hold free entities matching '"
                    + query + "' but " + count + " entities each in a different " + spreadBy + " were asked for";
            if (contended) {
                // candidates held by other allocations may be free again when those end: try again then
                throw new ContendedException(reason);
            }
            throw ProblemException.conflict(reason + "; nothing was allocated");
        }
        chosen = chosen.subList(0, count);
        JsonArray entities = new JsonArray();
        for (UUID id : chosen) {
            LockedEntity entity = store.lock(tx, id);
            if (pool != null) {
                store.addToPool(tx, id, pool);
            }
            for (String key : attributes.stream().map(AttributeValue::key).distinct().toList()) {
                tx.query("delete from attribute where entity_id = $1 and key = $2", id, key);
            }
            store.insertAttributes(tx, id, attributes);
            entities.add(store.touch(tx, entity, actor));
        }
        return new JsonObject().put("entities", entities);
    }

    /** Too few candidates while concurrent allocations held some: the transaction is rolled back and retried. */
    static final class ContendedException extends RuntimeException {
        ContendedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The nearest ancestor of type {@code type} of each candidate (candidates without one are left out). */
    private static Map<UUID, String> ancestors(Tx tx, List<UUID> candidates, String type) {
        Map<UUID, String> result = new LinkedHashMap<>();
        for (Row row : tx.rows("""
                with recursive up(child, ancestor, depth) as (
                    select c.child_id, c.parent_id, 1 from containment c where c.child_id = any($1)
                    union all
                    select up.child, c.parent_id, up.depth + 1 from up join containment c on c.child_id = up.ancestor where up.depth < 64)
                select distinct on (up.child) up.child, p.name from up join entity p on p.id = up.ancestor
                where p.type = $2 order by up.child, up.depth""", candidates.toArray(new UUID[0]), type)) {
            result.put(row.getUUID(0), row.getString(1));
        }
        return result;
    }
}
