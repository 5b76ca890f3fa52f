package io.maestro.inventory.allocation.service;

import io.maestro.inventory.allocation.AllocationRequest;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.query.EntitySearch;
import io.maestro.inventory.query.Expression;
import io.maestro.inventory.query.SqlCompiler;
import io.maestro.inventory.repository.AllocationRow;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.ProblemException;
import io.maestro.events.EventCodec;
import io.maestro.inventory.ApiModels.Allocation;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * "4 unallocated servers in datacenter Z, each in a different rack", all or nothing, race-free.
 *
 * <p>Why no entity is handed out twice: (1) candidates are locked with {@code FOR UPDATE SKIP LOCKED} (only as
 * many as are needed: one {@code ... LIMIT n} statement without spreadBy, wave by wave with it), so two concurrent
 * allocations never hold the same row; (2) once locked, they are re-checked
 * against the query in a new statement (a new snapshot under READ COMMITTED): an allocation that
 * committed between our first snapshot and our lock is seen, because every mutation of an entity locks
 * and updates its row first; (3) entities already in the target pool are never candidates. The assignment
 * happens in the same transaction, so a failure leaves nothing behind.
 */
@ApplicationScoped
public class AllocationService {
    private static final int CONTENDED_ATTEMPTS = 100;

    private final Statements sql;
    private final EntityStore store;
    private final EntitySearch search;
    private final InventoryConfig config;
    private final Vertx vertx;

    public AllocationService(Statements sql, EntityStore store, EntitySearch search, InventoryConfig config, Vertx vertx) {
        this.sql = sql;
        this.vertx = vertx;
        this.store = store;
        this.search = search;
        this.config = config;
    }

    public Uni<Allocation> allocate(AllocationRequest request, String actor) {
        return allocate(request, actor, false);
    }

    /**
     * With {@code dryRun}, the allocation runs exactly as it would (the same locks, checks and assignment) in a
     * transaction that is then rolled back: the answer is what would be chosen now, and nothing is written.
     */
    public Uni<Allocation> allocate(AllocationRequest request, String actor, boolean dryRun) {
        Expression expression = search.parse(request.query(), "query");
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || count > config.allocation().maxCount()) {
            throw ProblemException.invalid("count", "must be between 1 and " + config.allocation().maxCount());
        }
        String spreadBy = request.spreadBy();
        String pool = request.assign() == null ? null : request.assign().pool();
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
        Wanted wanted = new Wanted(request.query(), expression, count, spreadBy, pool, attributes, key, requestJson, actor, dryRun);
        return allocateUntilUncontended(wanted, 1);
    }

    /** What an allocation asks for, checked. */
    private record Wanted(String query, Expression expression, int count, String spreadBy, String pool, List<AttributeValue> attributes,
                              String key, JsonObject requestJson, String actor, boolean dryRun) {
    }

    /**
     * One transaction per attempt; when concurrent allocations held the missing candidates, another attempt after
     * 5 to 30 ms (a Vert.x timer: the next attempt runs on this request's context), at most {@value #CONTENDED_ATTEMPTS}.
     */
    private Uni<Allocation> allocateUntilUncontended(Wanted wanted, int attempt) {
        return Transactions.inTransaction(() -> wanted.dryRun()
                        ? attempt(wanted).call(() -> Panache.currentTransaction().invoke(Mutiny.Transaction::markForRollback))
                                .map(allocation -> new Allocation(allocation.entities(), allocation.replayed(), true))
                        : attempt(wanted))
                .onFailure(ContendedException.class).recoverWithUni(e -> {
                    if (attempt == CONTENDED_ATTEMPTS) {
                        return Uni.createFrom().failure(ProblemException.conflict(e.getMessage() + "; other allocations held the missing candidates "
                                + CONTENDED_ATTEMPTS + " times in a row, retry later"));
                    }
                    long pause = ThreadLocalRandom.current().nextLong(5, 30);
                    return Uni.createFrom().<Long>emitter(timer -> vertx.setTimer(pause, timer::complete))
                            .chain(() -> allocateUntilUncontended(wanted, attempt + 1));
                });
    }

    private Uni<Allocation> attempt(Wanted wanted) {
        String key = wanted.key();
        if (key == null) {
            return allocate(wanted);
        }
        // serialises requests with the same key; the second one finds the first's result
        return sql.one("select count(*) from (select pg_advisory_xact_lock(hashtextextended(?1, 7))) locked", key) // a void column is not read
                .chain(() -> sql.first("select request = cast(cast(?2 as text) as jsonb), result::text from allocation where idempotency_key = ?1",
                        key, wanted.requestJson().encode()))
                .chain(previous -> {
                    if (previous.isPresent()) {
                        if (!previous.get().bool(0)) {
                            throw ProblemException.unprocessable("idempotencyKey '" + key + "' was used with a different request");
                        }
                        return Uni.createFrom().item(new Allocation(previous.get().as(1, Allocation.class).entities(), true, false));
                    }
                    return allocate(wanted).call(result -> {
                        AllocationRow row = new AllocationRow();
                        row.idempotencyKey = key;
                        row.request = wanted.requestJson().encode();
                        row.result = EventCodec.encodeToString(result);
                        return sql.persist(row);
                    });
                });
    }

    /** Where the waves of an allocation are: the candidates, what is chosen, whether another allocation was in the way. */
    private static final class Waves {
        final List<UUID> candidates;
        final Map<UUID, String> ancestorOf;
        final List<UUID> chosen = new ArrayList<>();
        final Set<String> usedAncestors = new HashSet<>();
        boolean contended;
        int next;

        Waves(List<UUID> candidates, Map<UUID, String> ancestorOf) {
            this.candidates = candidates;
            this.ancestorOf = ancestorOf;
        }
    }

    private Uni<Allocation> allocate(Wanted wanted) {
        List<Object> params = new ArrayList<>();
        String condition = new SqlCompiler(params).condition(wanted.expression());
        if (wanted.pool() != null) {
            params.add(wanted.pool());
            // the pool's id first (an InitPlan): a join with entity here was planned from stale statistics of a pool
            // that grows during a burst of allocations, as a scan of every member per candidate (48 ms, now 7)
            condition += " and not exists (select 1 from pool_member pm where pm.pool_id = (select p.id from entity p where p.name = ?"
                    + params.size() + ") and pm.entity_id = e.id)";
        }
        String matching = condition;
        // the expression is the caller's: its statements (and the rest of this transaction's) have a time limit
        Uni<Void> limited = Transactions.limitStatements(config.query().timeout());
        if (wanted.spreadBy() == null) {
            return limited.chain(() -> lockFirst(wanted, matching, params, new ArrayList<>(), new ArrayList<>())).chain(chosen -> assign(wanted, chosen));
        }
        int idParam = params.size() + 1;
        params.add(config.allocation().maxCandidates());
        // unlocked first: what matches now and under which ancestor
        return limited.chain(() -> sql.rows("select e.id from entity e where " + matching + " order by e.name limit ?" + idParam, params.toArray()))
                .map(rows -> rows.stream().map(r -> r.uuid(0)).toList())
                .chain(candidates -> ancestors(candidates, wanted.spreadBy()).map(ancestorOf -> new Waves(candidates, ancestorOf)))
                .call(waves -> wave(wanted, waves, matching, params, idParam))
                .chain(waves -> {
                    if (waves.chosen.size() < wanted.count()) {
                        String reason = "only " + new HashSet<>(waves.ancestorOf.values()).size() + " distinct " + wanted.spreadBy()
                                + "s hold free entities matching '" + wanted.query() + "' but " + wanted.count()
                                + " entities each in a different " + wanted.spreadBy() + " were asked for";
                        return Uni.createFrom().failure(waves.contended ? new ContendedException(reason) : nothingAllocated(reason));
                    }
                    return assign(wanted, waves.chosen.subList(0, wanted.count()));
                });
    }

    /**
     * Without spreadBy: the first free matches are locked by one statement ({@code for update skip locked limit n}:
     * rows other allocations hold are passed over), then re-checked by a second one with a fresh snapshot; those that
     * changed before we locked them are left out and the next free ones taken, until enough are chosen.
     */
    private Uni<List<UUID>> lockFirst(Wanted wanted, String condition, List<Object> params, List<UUID> chosen, List<UUID> rejected) {
        int missing = wanted.count() - chosen.size();
        List<Object> lockArgs = new ArrayList<>(params);
        lockArgs.add(Stream.concat(chosen.stream(), rejected.stream()).toArray(UUID[]::new));
        lockArgs.add(missing);
        String lock = "select e.id from entity e where " + condition + " and e.id <> all(cast(?" + (params.size() + 1) + " as uuid[]))"
                + " order by e.name for update of e skip locked limit ?" + (params.size() + 2);
        return sql.rows(lock, lockArgs.toArray()).map(rows -> rows.stream().map(r -> r.uuid(0)).toList()).chain(locked -> {
            if (locked.isEmpty()) {
                return shortOf(wanted, condition, params, chosen, rejected);
            }
            List<Object> recheckArgs = new ArrayList<>(params);
            recheckArgs.add(locked.toArray(new UUID[0]));
            return sql.rows("select e.id from entity e where " + condition + " and e.id = any(cast(?" + (params.size() + 1) + " as uuid[]))",
                    recheckArgs.toArray()).map(rows -> rows.stream().map(r -> r.uuid(0)).collect(Collectors.toSet())).chain(valid -> {
                        for (UUID id : locked) {
                            (valid.contains(id) ? chosen : rejected).add(id);
                        }
                        if (chosen.size() == wanted.count()) {
                            return Uni.createFrom().item(chosen);
                        }
                        return locked.size() < missing ? shortOf(wanted, condition, params, chosen, rejected)
                                : lockFirst(wanted, condition, params, chosen, rejected);
                    });
        });
    }

    /**
     * Too few free matches could be locked: a 409 saying how many match, or, when matches exist that other
     * allocations hold (they may be free again when those end), a retry.
     */
    private Uni<List<UUID>> shortOf(Wanted wanted, String condition, List<Object> params, List<UUID> chosen, List<UUID> rejected) {
        List<Object> args = new ArrayList<>(params);
        args.add(Stream.concat(chosen.stream(), rejected.stream()).toArray(UUID[]::new));
        return sql.one("select count(*) from entity e where " + condition + " and e.id <> all(cast(?" + (params.size() + 1) + " as uuid[]))",
                args.toArray()).map(row -> row.longValue(0)).chain(heldByOthers -> {
                    long free = chosen.size() + heldByOthers;
                    String reason = "only " + free + " free entities match '" + wanted.query() + "' but " + wanted.count() + " were asked for";
                    return Uni.createFrom().failure(heldByOthers > 0 ? new ContendedException(reason) : nothingAllocated(reason));
                });
    }

    private static ProblemException nothingAllocated(String reason) {
        return ProblemException.conflict(reason + "; nothing was allocated");
    }

    /**
     * Locks only what is needed, wave by wave: a candidate held by another allocation is skipped, one that changed
     * before we locked it fails the re-check, and the next wave replaces them.
     */
    private Uni<Void> wave(Wanted wanted, Waves waves, String condition, List<Object> params, int idParam) {
        if (waves.chosen.size() >= wanted.count() || waves.next >= waves.candidates.size()) {
            return Uni.createFrom().voidItem();
        }
        String spreadBy = wanted.spreadBy();
        List<UUID> wave = new ArrayList<>();
        Set<String> waveAncestors = new HashSet<>();
        while (wave.size() < wanted.count() - waves.chosen.size() && waves.next < waves.candidates.size()) {
            UUID candidate = waves.candidates.get(waves.next++);
            if (spreadBy != null) {
                String ancestor = waves.ancestorOf.get(candidate);
                if (ancestor == null || waves.usedAncestors.contains(ancestor) || !waveAncestors.add(ancestor)) {
                    continue;
                }
            }
            wave.add(candidate);
        }
        if (wave.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.rows("select e.id from entity e where e.id = any(cast(?1 as uuid[])) order by e.name for update of e skip locked",
                        (Object) wave.toArray(new UUID[0]))
                .map(rows -> rows.stream().map(r -> r.uuid(0)).toList())
                .chain(locked -> {
                    waves.contended |= locked.size() < wave.size();
                    if (locked.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    // re-check under our locks with a fresh snapshot (see the class comment)
                    List<Object> recheck = new ArrayList<>(params);
                    recheck.set(idParam - 1, locked.toArray(new UUID[0]));
                    return sql.rows("select e.id from entity e where " + condition + " and e.id = any(cast(?" + idParam + " as uuid[])) order by e.name",
                            recheck.toArray()).invoke(rows -> {
                                for (var row : rows) {
                                    UUID id = row.uuid(0);
                                    if (waves.usedAncestors.add(waves.ancestorOf.get(id))) {
                                        waves.chosen.add(id);
                                    }
                                }
                            }).replaceWithVoid();
                })
                .chain(() -> wave(wanted, waves, condition, params, idParam));
    }

    /** The chosen entities (locked) join the pool and get the attributes: a few set-based statements, one outbox row each. */
    private Uni<Allocation> assign(Wanted wanted, List<UUID> chosen) {
        List<String> keys = wanted.attributes().stream().map(AttributeValue::key).distinct().toList();
        UUID[] ids = chosen.toArray(new UUID[0]);
        return store.lockAll(chosen)
                .call(() -> wanted.pool() == null ? Uni.createFrom().voidItem() : store.addToPool(chosen, wanted.pool()))
                .call(() -> keys.isEmpty() ? Uni.createFrom().voidItem()
                        : sql.update("delete from attribute where entity_id = any(cast(?1 as uuid[])) and key in (?2)", ids, keys))
                .call(() -> Multi.createFrom().iterable(chosen).onItem().transformToUniAndConcatenate(id -> store.insertAttributes(id, wanted.attributes()))
                        .collect().last())
                .chain(locked -> wanted.attributes().isEmpty() ? store.relinkedAll(locked, wanted.actor()) : store.touchAll(locked, wanted.actor()))
                .map(entities -> new Allocation(entities, false, false));
    }

    /** Too few candidates while concurrent allocations held some: the transaction is rolled back and retried. */
    static final class ContendedException extends RuntimeException {
        ContendedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The nearest ancestor of type {@code type} of each candidate (candidates without one are left out). */
    private Uni<Map<UUID, String>> ancestors(List<UUID> candidates, String type) {
        return sql.rows("""
                with recursive up(child, ancestor, depth) as (
                    select c.child_id, c.parent_id, 1 from containment c where c.child_id = any(cast(?1 as uuid[]))
                    union all
                    select up.child, c.parent_id, up.depth + 1 from up join containment c on c.child_id = up.ancestor where up.depth < 64)
                select distinct on (up.child) up.child, p.name from up join entity p on p.id = up.ancestor
                where p.type = ?2 order by up.child, up.depth""", candidates.toArray(new UUID[0]), type).map(rows -> {
                    Map<UUID, String> result = new LinkedHashMap<>();
                    rows.forEach(row -> result.put(row.uuid(0), row.string(1)));
                    return result;
                });
    }
}
