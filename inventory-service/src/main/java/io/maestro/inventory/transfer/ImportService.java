package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.PlannerStatistics;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.inventory.transfer.ImportPlan.Decision;
import io.maestro.inventory.transfer.ImportRow.AttributeKey;
import io.maestro.inventory.transfer.ImportRow.Link;
import io.maestro.inventory.transfer.StoredState.Port;
import io.maestro.inventory.transfer.StoredState.Stored;
import io.maestro.inventory.transfer.StoredState.StoredValue;
import io.maestro.inventory.types.SchemaViolation;
import io.maestro.support.problem.Problem;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code POST /v1/import}: one transaction that locks the entities the rows name, reads what is stored of them,
 * decides every row ({@link ImportPlan}) and writes the accepted ones with a few set-based statements, whatever the
 * number of rows; the outbox rows (CREATED, UPDATED with before and after) are written like any other mutation's.
 * Atomic: a refused row refuses the import (400 naming each row's line and column). Per row: the refused rows are
 * left out and reported. A dry run decides and writes in full, then rolls back.
 */
@ApplicationScoped
public class ImportService {
    public enum Mode {
        ATOMIC("atomic"), PER_ROW("per-row");

        final String text;

        Mode(String text) {
            this.text = text;
        }

        public static Mode of(String text) {
            if (text == null || text.isBlank() || text.equals("atomic")) {
                return ATOMIC;
            }
            if (text.equals("per-row")) {
                return PER_ROW;
            }
            throw ProblemException.invalid("mode", "must be atomic or per-row");
        }
    }

    private final Statements sql;
    private final EntityStore store;
    private final PlannerStatistics statistics;
    private final InventoryConfig config;

    public ImportService(Statements sql, EntityStore store, PlannerStatistics statistics, InventoryConfig config) {
        this.sql = sql;
        this.store = store;
        this.statistics = statistics;
        this.config = config;
    }

    /** Thrown at the end of a dry run to roll its transaction back; carries the report. */
    private static final class RolledBack extends RuntimeException {
        final transient ImportReport report;

        RolledBack(ImportReport report) {
            super("dry run", null, false, false);
            this.report = report;
        }
    }

    public Uni<ImportReport> importFile(ImportFile file, Mode mode, boolean dryRun, String actor) {
        if (file.rows().isEmpty() && file.unreadable().isEmpty()) {
            throw ProblemException.invalid("body", "holds no rows");
        }
        return Transactions.inTransaction(() -> stored(file).chain(stored -> attempt(file, stored, mode, dryRun, actor, Map.of())))
                .onFailure(RolledBack.class).recoverWithItem(e -> ((RolledBack) e).report)
                .invoke(report -> {
                    if (!dryRun) {
                        statistics.written(report.created() + report.changed());
                    }
                });
    }

    /**
     * Decides the rows (all but {@code broken}) and writes them after a savepoint. When what is written breaks the
     * attribute rules of a row's type (the check every write passes, {@link SchemaViolation}), the rows at fault join
     * {@code broken}, the writing is rolled back to the savepoint and the rows decided and written again.
     */
    private Uni<ImportReport> attempt(ImportFile file, StoredState stored, Mode mode, boolean dryRun, String actor, Map<Integer, ImportRow.Refusal> broken) {
        ImportPlan plan = ImportPlan.of(file, stored, config.defaultRackHeight(), broken);
        boolean refusals = plan.decisions.stream().anyMatch(d -> !d.accepted());
        if (mode == Mode.ATOMIC && refusals && !dryRun) {
            throw refused(plan);
        }
        boolean write = mode == Mode.PER_ROW || !refusals;
        Uni<ImportReport> written = !write ? Uni.createFrom().item(report(plan, mode, dryRun, false))
                : sql.update("savepoint import_rows").chain(() -> write(plan, stored, actor)).map(v -> report(plan, mode, dryRun, true))
                .onFailure(SchemaViolation.class).recoverWithUni(failure -> {
                    Map<Integer, ImportRow.Refusal> more = new HashMap<>(broken);
                    Map<String, Decision> rows = new HashMap<>();
                    plan.decisions.stream().filter(Decision::accepted).forEach(d -> rows.put(d.name, d));
                    for (SchemaViolation.Broken rule : ((SchemaViolation) failure).broken()) {
                        Decision row = rows.get(rule.entity());
                        if (row == null) {
                            return Uni.createFrom().failure(failure); // an entity no row names (a cable's far end) breaks its rules already
                        }
                        more.putIfAbsent(row.line, new ImportRow.Refusal(row.line, row.name, "attr." + rule.key(), rule.rule()));
                    }
                    return sql.update("rollback to savepoint import_rows").chain(() -> attempt(file, stored, mode, dryRun, actor, more));
                });
        return written.map(report -> {
            if (dryRun) {
                throw new RolledBack(report);
            }
            return report;
        });
    }

    private static ProblemException refused(ImportPlan plan) {
        List<Problem.FieldError> errors = plan.decisions.stream().filter(d -> !d.accepted())
                .map(d -> new Problem.FieldError("line " + d.line + (d.column == null || d.column.isEmpty() ? "" : ", " + d.column), d.error)).toList();
        return new ProblemException(400, "Bad Request", errors.size() + " of " + plan.decisions.size()
                + " rows are refused, so nothing was written (mode atomic); the first " + Math.min(errors.size(), 50)
                + " follow. ?dryRun=true reports every row, ?mode=per-row writes the others", errors);
    }

    private static ImportReport report(ImportPlan plan, Mode mode, boolean dryRun, boolean written) {
        int created = 0;
        int changed = 0;
        int unchanged = 0;
        int refused = 0;
        for (Decision d : plan.decisions) {
            switch (d.outcome) {
                case ImportPlan.CREATED -> created++;
                case ImportPlan.CHANGED -> changed++;
                case ImportPlan.UNCHANGED -> unchanged++;
                default -> refused++;
            }
        }
        return new ImportReport(dryRun, mode.text, written, created, changed, unchanged, refused,
                plan.decisions.stream().map(Decision::outcome).toList());
    }

    // ---- what is stored

    private Uni<StoredState> stored(ImportFile file) {
        Set<String> rows = new TreeSet<>();
        Set<String> farEnds = new TreeSet<>();
        Set<String> mentioned = new TreeSet<>();
        for (ImportRow row : file.rows()) {
            rows.add(row.name());
            if (row.position() != null) {
                mentioned.add(row.position().parent());
            }
            if (row.pools() != null) {
                mentioned.addAll(row.pools());
            }
            row.attributes().values().forEach(values -> values.stream().filter(AttributeValue::isReference).forEach(v -> mentioned.add(v.text())));
            row.connections().forEach(link -> farEnds.add(link.entity()));
        }
        Set<String> locked = new TreeSet<>(rows);
        locked.addAll(farEnds);
        mentioned.removeAll(locked);
        Set<String> all = new TreeSet<>(locked);
        all.addAll(mentioned);
        // rows and far ends change: locked for update, in name order; parents and references must stay: for share
        return sql.rows("select id from entity where name = any(cast(?1 as text[])) order by name for update", (Object) names(locked))
                .chain(() -> sql.rows("select id from entity where name = any(cast(?1 as text[])) order by name for share", (Object) names(mentioned)))
                .chain(() -> sql.rows("""
                        select e.id, e.name, e.type, e.version, p.name, c.unit, c.height, rack_height(e.id, ?2)
                        from entity e left join containment c on c.child_id = e.id left join entity p on p.id = c.parent_id
                        where e.name = any(cast(?1 as text[]))""", names(all), config.defaultRackHeight()))
                .chain(entityRows -> {
                    Map<String, Stored> entities = new HashMap<>();
                    for (Row r : entityRows) {
                        entities.put(r.string(1), new Stored(r.uuid(0), r.string(1), r.string(2), r.longValue(3), r.string(4), r.integer(5), r.integer(6), r.integer(7)));
                    }
                    UUID[] rowIds = rows.stream().map(entities::get).filter(s -> s != null).map(Stored::id).toArray(UUID[]::new);
                    UUID[] linkIds = file.rows().stream().filter(r -> !r.connections().isEmpty())
                            .flatMap(r -> java.util.stream.Stream.concat(java.util.stream.Stream.of(r.name()), r.connections().stream().map(Link::entity)))
                            .distinct().map(entities::get).filter(s -> s != null).map(Stored::id).toArray(UUID[]::new);
                    UUID[] parentIds = file.rows().stream().filter(r -> r.position() != null).map(r -> entities.get(r.position().parent()))
                            .filter(s -> s != null).map(Stored::id).distinct().toArray(UUID[]::new);
                    UUID[] allIds = entities.values().stream().map(Stored::id).toArray(UUID[]::new);
                    Map<UUID, List<StoredValue>> attributes = new HashMap<>();
                    Map<UUID, Set<String>> pools = new HashMap<>();
                    Map<Port, Port> connections = new HashMap<>();
                    Map<String, Map<Integer, String>> units = new HashMap<>();
                    Map<String, String> parents = new HashMap<>();
                    Map<String, Set<String>> declaredPorts = new HashMap<>();
                    Map<String, Set<String>> typePorts = new HashMap<>();
                    return sql.rows("select entity_id, key, subkey, number, value_type, text_value from attribute where entity_id = any(cast(?1 as uuid[]))", (Object) rowIds)
                            .invoke(found -> found.forEach(r -> attributes.computeIfAbsent(r.uuid(0), id -> new ArrayList<>())
                                    .add(new StoredValue(r.string(1), r.string(2), r.integer(3), r.string(4), r.string(5)))))
                            .chain(() -> sql.rows("select pm.entity_id, pe.name from pool_member pm join entity pe on pe.id = pm.pool_id where pm.entity_id = any(cast(?1 as uuid[]))", (Object) rowIds))
                            .invoke(found -> found.forEach(r -> pools.computeIfAbsent(r.uuid(0), id -> new HashSet<>()).add(r.string(1))))
                            .chain(() -> linkIds.length == 0 ? Uni.createFrom().item(List.<Row>of()) : sql.rows("""
                                    select e.name, c.port, peer.name, c.peer_port from cable_peer c join entity e on e.id = c.entity_id
                                    join entity peer on peer.id = c.peer_id where c.entity_id = any(cast(?1 as uuid[]))""", (Object) linkIds))
                            .invoke(found -> found.forEach(r -> connections.put(new Port(r.string(0), r.string(1)), new Port(r.string(2), r.string(3)))))
                            .chain(() -> parentIds.length == 0 ? Uni.createFrom().item(List.<Row>of()) : sql.rows("""
                                    select p.name, ru.unit, ch.name from rack_unit ru join entity p on p.id = ru.rack_id join entity ch on ch.id = ru.child_id
                                    where ru.rack_id = any(cast(?1 as uuid[]))""", (Object) parentIds))
                            .invoke(found -> found.forEach(r -> units.computeIfAbsent(r.string(0), n -> new HashMap<>()).put(r.integer(1), r.string(2))))
                            .chain(() -> sql.rows("""
                                    with recursive up(child_id, parent_id, depth) as (
                                        select child_id, parent_id, 1 from containment where child_id = any(cast(?1 as uuid[]))
                                        union all
                                        select c.child_id, c.parent_id, up.depth + 1 from containment c join up on c.child_id = up.parent_id where up.depth < 128)
                                    select distinct ch.name, p.name from up join entity ch on ch.id = up.child_id join entity p on p.id = up.parent_id""", (Object) allIds))
                            .invoke(found -> found.forEach(r -> parents.put(r.string(0), r.string(1))))
                            .chain(() -> sql.rows("""
                                    select false, e.name, p.name from port p join entity e on e.id = p.entity_id where p.entity_id = any(cast(?1 as uuid[]))
                                    union all
                                    select true, t.name, unnest(t.port_names) from entity_type t where t.port_names is not null""", (Object) linkIds))
                            .invoke(found -> found.forEach(r -> (r.bool(0) ? typePorts : declaredPorts)
                                    .computeIfAbsent(r.string(1), n -> new HashSet<>()).add(r.string(2))))
                            .map(v -> new StoredState(entities, attributes, pools, connections, units, parents, declaredPorts, typePorts));
                });
    }

    private static String[] names(Collection<String> names) {
        return names.toArray(String[]::new);
    }

    // ---- what is written

    private Uni<Void> write(ImportPlan plan, StoredState stored, String actor) {
        List<Decision> accepted = plan.decisions.stream().filter(d -> d.accepted() && !d.outcome.equals(ImportPlan.UNCHANGED)).toList();
        if (accepted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, UUID> ids = new HashMap<>();
        stored.entities().forEach((name, entity) -> ids.put(name, entity.id()));
        List<Decision> created = accepted.stream().filter(d -> d.outcome.equals(ImportPlan.CREATED)).toList();
        created.forEach(d -> ids.put(d.name, UUID.randomUUID()));
        UUID[] createdIds = created.stream().map(d -> ids.get(d.name)).toArray(UUID[]::new);
        // the entities changed in place (rows and far ends of new cables), with their JSON before the change
        Set<String> touchedNames = new TreeSet<>(plan.touchedFarEnds);
        accepted.stream().filter(d -> d.outcome.equals(ImportPlan.CHANGED)).forEach(d -> touchedNames.add(d.name));
        UUID[] touchedIds = touchedNames.stream().map(ids::get).toArray(UUID[]::new);
        // the type's attribute rules are checked for those whose attributes or type change (EntityStore.touchAll)
        Set<String> ruled = new TreeSet<>();
        accepted.stream().filter(d -> d.typeChanged || !d.replacedAttributes.isEmpty()).filter(d -> d.outcome.equals(ImportPlan.CHANGED))
                .forEach(d -> ruled.add(d.name));
        Set<String> relinked = new TreeSet<>(touchedNames);
        relinked.removeAll(ruled);

        List<Decision> retyped = accepted.stream().filter(d -> d.typeChanged).toList();
        List<UUID> valueOwners = new ArrayList<>();
        List<AttributeValue> values = new ArrayList<>();
        List<UUID> replacedOwners = new ArrayList<>();
        List<AttributeKey> replacedKeys = new ArrayList<>();
        for (Decision d : accepted) {
            for (var entry : d.replacedAttributes.entrySet()) {
                if (!d.outcome.equals(ImportPlan.CREATED)) {
                    replacedOwners.add(ids.get(d.name));
                    replacedKeys.add(entry.getKey());
                }
                for (AttributeValue value : entry.getValue()) {
                    valueOwners.add(ids.get(d.name));
                    values.add(value);
                }
            }
        }
        List<Decision> moved = accepted.stream().filter(d -> d.moved).toList();
        Map<String, List<UUID>> joins = new LinkedHashMap<>();
        accepted.forEach(d -> d.joinedPools.forEach(pool -> joins.computeIfAbsent(pool, p -> new ArrayList<>()).add(ids.get(d.name))));
        List<Link> links = new ArrayList<>();
        List<UUID> linkOwners = new ArrayList<>();
        accepted.forEach(d -> d.newLinks.forEach(link -> {
            links.add(link);
            linkOwners.add(ids.get(d.name));
        }));

        return beforeJson(touchedIds).chain(before -> insertEntities(created, ids)
                .chain(() -> retyped.isEmpty() ? done() : sql.update("update entity e set type = t.type from unnest(cast(?1 as uuid[]), cast(?2 as text[])) t(id, type) where e.id = t.id",
                        retyped.stream().map(d -> ids.get(d.name)).toArray(UUID[]::new), retyped.stream().map(d -> d.row.type()).toArray(String[]::new)).replaceWithVoid())
                .chain(() -> replacedKeys.isEmpty() ? done() : sql.update("""
                        delete from attribute a using unnest(cast(?1 as uuid[]), cast(?2 as text[]), cast(?3 as text[])) d(eid, key, subkey)
                        where a.entity_id = d.eid and a.key = d.key and a.subkey is not distinct from d.subkey""",
                        replacedOwners.toArray(new UUID[0]), replacedKeys.stream().map(AttributeKey::key).toArray(String[]::new),
                        replacedKeys.stream().map(AttributeKey::subkey).toArray(String[]::new)).replaceWithVoid())
                .chain(() -> store.insertAttributes(valueOwners, values))
                .chain(() -> place(moved, ids))
                .chain(() -> Multi.createFrom().iterable(joins.entrySet())
                        .onItem().transformToUniAndConcatenate(join -> store.addToPool(join.getValue(), join.getKey())).collect().last().replaceWithVoid())
                .chain(() -> connect(links, linkOwners, ids))
                .chain(() -> store.createdAll(createdIds, actor))
                .chain(() -> store.touchAll(locked(ruled, ids, before), actor))
                .chain(() -> store.relinkedAll(locked(relinked, ids, before), actor))
                .replaceWithVoid());
    }

    private static List<LockedEntity> locked(Set<String> names, Map<String, UUID> ids, Map<UUID, String> before) {
        return names.stream().map(name -> new LockedEntity(ids.get(name), name, null, 0, before.get(ids.get(name)))).toList();
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }

    private Uni<Map<UUID, String>> beforeJson(UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return sql.rows("select j.id, j.json::text from entities_json(cast(?1 as uuid[])) j", (Object) ids).map(rows -> {
            Map<UUID, String> before = new HashMap<>();
            rows.forEach(r -> before.put(r.uuid(0), r.string(1)));
            return before;
        });
    }

    private Uni<Void> insertEntities(List<Decision> created, Map<String, UUID> ids) {
        if (created.isEmpty()) {
            return done();
        }
        return sql.update("insert into entity (id, name, type) select * from unnest(cast(?1 as uuid[]), cast(?2 as text[]), cast(?3 as text[]))",
                created.stream().map(d -> ids.get(d.name)).toArray(UUID[]::new), created.stream().map(d -> d.name).toArray(String[]::new),
                created.stream().map(d -> d.row.type()).toArray(String[]::new)).replaceWithVoid();
    }

    /** Takes the moved entities out of where they are (their rack units go with it) and puts them where the rows say. */
    private Uni<Void> place(List<Decision> moved, Map<String, UUID> ids) {
        if (moved.isEmpty()) {
            return done();
        }
        UUID[] children = moved.stream().map(d -> ids.get(d.name)).toArray(UUID[]::new);
        UUID[] parents = moved.stream().map(d -> ids.get(d.row.position().parent())).toArray(UUID[]::new);
        Integer[] units = moved.stream().map(d -> d.row.position().unit()).toArray(Integer[]::new);
        Integer[] heights = moved.stream().map(d -> d.row.position().height()).toArray(Integer[]::new);
        return sql.update("delete from containment where child_id = any(cast(?1 as uuid[]))", (Object) children)
                .chain(() -> sql.update("insert into containment (child_id, parent_id, unit, height) select * from unnest(cast(?1 as uuid[]), cast(?2 as uuid[]), cast(?3 as int[]), cast(?4 as int[]))",
                        children, parents, units, heights))
                .chain(() -> sql.update("""
                        insert into rack_unit (rack_id, unit, child_id)
                        select c.parent, u, c.child from unnest(cast(?1 as uuid[]), cast(?2 as uuid[]), cast(?3 as int[]), cast(?4 as int[])) c(child, parent, unit, height)
                        cross join lateral generate_series(c.unit, c.unit + c.height - 1) u where c.unit is not null""", children, parents, units, heights))
                .replaceWithVoid();
    }

    private Uni<Void> connect(List<Link> links, List<UUID> owners, Map<String, UUID> ids) {
        if (links.isEmpty()) {
            return done();
        }
        return sql.rows("select nextval(pg_get_serial_sequence('connection', 'id')) from generate_series(1, ?1)", links.size())
                .chain(rows -> {
                    Long[] connectionIds = rows.stream().map(r -> r.longValue(0)).toArray(Long[]::new);
                    int n = links.size();
                    UUID[] entities = new UUID[2 * n];
                    String[] ports = new String[2 * n];
                    Long[] connections = new Long[2 * n];
                    for (int i = 0; i < n; i++) {
                        entities[2 * i] = owners.get(i);
                        ports[2 * i] = links.get(i).port();
                        entities[2 * i + 1] = ids.get(links.get(i).entity());
                        ports[2 * i + 1] = links.get(i).remotePort();
                        connections[2 * i] = connectionIds[i];
                        connections[2 * i + 1] = connectionIds[i];
                    }
                    return sql.update("insert into connection (id) select unnest(cast(?1 as bigint[]))", (Object) connectionIds)
                            .chain(() -> sql.update("insert into connection_end (entity_id, port, connection_id) select * from unnest(cast(?1 as uuid[]), cast(?2 as text[]), cast(?3 as bigint[]))",
                                    entities, ports, connections));
                })
                .replaceWithVoid();
    }
}
