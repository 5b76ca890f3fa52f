package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.transfer.ImportRow.AttributeKey;
import io.maestro.inventory.port.EntityPorts;
import io.maestro.inventory.transfer.ImportRow.Link;
import io.maestro.inventory.transfer.StoredState.Port;
import io.maestro.inventory.transfer.StoredState.Stored;
import io.maestro.inventory.transfer.StoredState.StoredValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an import does to each row, decided in Java from the rows and what is stored ({@link StoredState}), before
 * anything is written: the same rules the REST API's checks and constraints apply (a new entity needs a type; a
 * parent exists and is not inside the child; units fit the rack and are free; a pool is a pool; a reference's target
 * exists; a port is in one connection and, on an entity with declared ports, one of them), with the row and column at fault. A row that needs an entity another row
 * would have created, but which is refused, is refused too; the rows are decided again until no more are refused.
 * The attribute rules of the types are not decided here: they are checked where every write is (EntityStore), and
 * a row they refuse comes back as {@code broken}.
 */
final class ImportPlan {
    static final String CREATED = "created";
    static final String CHANGED = "changed";
    static final String UNCHANGED = "unchanged";
    static final String REFUSED = "refused";
    private static final int MAX_DEPTH = 128;

    /** One row's fate; for an accepted row, what to write. */
    static final class Decision {
        final int line;
        final String name;
        final ImportRow row;
        String outcome;
        final Set<String> changes = new LinkedHashSet<>();
        String column;
        String error;
        boolean typeChanged;
        boolean moved;
        final Map<AttributeKey, List<AttributeValue>> replacedAttributes = new LinkedHashMap<>();
        final List<String> joinedPools = new ArrayList<>();
        final List<Link> newLinks = new ArrayList<>();

        Decision(int line, String name, ImportRow row) {
            this.line = line;
            this.name = name;
            this.row = row;
        }

        boolean accepted() {
            return !REFUSED.equals(outcome);
        }

        ImportReport.RowOutcome outcome() {
            return new ImportReport.RowOutcome(line, name, outcome, changes.isEmpty() ? null : List.copyOf(changes), column, error);
        }
    }

    /** A rule a row breaks. */
    private static final class Refuse extends RuntimeException {
        final String column;

        Refuse(String column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    final List<Decision> decisions;
    /** Existing entities that are not rows but whose connections change (the far ends of new cables). */
    final Set<String> touchedFarEnds;

    private ImportPlan(List<Decision> decisions, Set<String> touchedFarEnds) {
        this.decisions = decisions;
        this.touchedFarEnds = touchedFarEnds;
    }

    /** {@code broken}: rows refused by what only writing them showed (their type's attribute rules, ImportService). */
    static ImportPlan of(ImportFile file, StoredState stored, int defaultRackHeight, Map<Integer, ImportRow.Refusal> broken) {
        Map<Integer, ImportRow.Refusal> refused = new HashMap<>(broken);
        file.unreadable().forEach(r -> refused.put(r.line(), r));
        Map<String, Integer> firstLine = new HashMap<>();
        for (ImportRow row : file.rows()) {
            Integer earlier = firstLine.putIfAbsent(row.name(), row.line());
            if (earlier != null) {
                refused.put(row.line(), new ImportRow.Refusal(row.line(), row.name(), "name", "appears at line " + earlier + " too"));
            }
        }
        while (true) {
            ImportPlan plan = decide(file, stored, refused, defaultRackHeight);
            boolean more = false;
            for (Decision d : plan.decisions) {
                if (!d.accepted() && !refused.containsKey(d.line)) {
                    refused.put(d.line, new ImportRow.Refusal(d.line, d.name, d.column, d.error));
                    more = true;
                }
            }
            if (!more) {
                return plan;
            }
        }
    }

    private static ImportPlan decide(ImportFile file, StoredState stored, Map<Integer, ImportRow.Refusal> refused, int defaultRackHeight) {
        Map<String, Integer> refusedNew = new HashMap<>();
        refused.values().forEach(r -> {
            if (r.name() != null && !stored.entities().containsKey(r.name())) {
                refusedNew.putIfAbsent(r.name(), r.line());
            }
        });
        Map<String, ImportRow> accepted = new HashMap<>();
        for (ImportRow row : file.rows()) {
            if (!refused.containsKey(row.line())) {
                accepted.put(row.name(), row);
            }
        }
        Context context = new Context(stored, accepted, refusedNew, defaultRackHeight);
        List<Decision> decisions = new ArrayList<>();
        for (ImportRow.Refusal r : refused.values()) {
            Decision d = new Decision(r.line(), r.name(), null);
            d.outcome = REFUSED;
            d.column = r.column();
            d.error = r.message();
            decisions.add(d);
        }
        for (ImportRow row : file.rows()) {
            if (refused.containsKey(row.line())) {
                continue;
            }
            Decision d = new Decision(row.line(), row.name(), row);
            try {
                context.decide(row, d);
            } catch (Refuse r) {
                d.outcome = REFUSED;
                d.column = r.column;
                d.error = r.getMessage();
                d.changes.clear();
            }
            decisions.add(d);
        }
        decisions.sort(Comparator.comparingInt(d -> d.line));
        // a row whose cable reaches a row of the file that changes nothing else changes that row's connections
        Map<String, Decision> byName = new HashMap<>();
        decisions.stream().filter(Decision::accepted).forEach(d -> byName.put(d.name, d));
        Set<String> farEnds = new LinkedHashSet<>();
        for (Decision d : decisions) {
            if (!d.accepted()) {
                continue;
            }
            for (Link link : d.newLinks) {
                Decision far = byName.get(link.entity());
                if (far == null) {
                    farEnds.add(link.entity());
                } else if (!far.outcome.equals(CREATED)) {
                    far.outcome = CHANGED;
                    far.changes.add("connections");
                }
            }
        }
        return new ImportPlan(decisions, farEnds);
    }

    /** The state of one pass over the rows: what they claim so far (units, ports) on top of what is stored. */
    private static final class Context {
        final StoredState stored;
        final Map<String, ImportRow> accepted;
        final Map<String, Integer> refusedNew;
        final int defaultRackHeight;
        final Map<String, Map<Integer, String>> units = new HashMap<>();
        final Set<String> vacating = new HashSet<>();
        final Map<Port, Port> claimed = new HashMap<>();
        final Map<Port, Integer> claimedAt = new HashMap<>();

        Context(StoredState stored, Map<String, ImportRow> accepted, Map<String, Integer> refusedNew, int defaultRackHeight) {
            this.stored = stored;
            this.accepted = accepted;
            this.refusedNew = refusedNew;
            this.defaultRackHeight = defaultRackHeight;
            accepted.values().stream().filter(r -> r.position() != null).forEach(r -> vacating.add(r.name()));
        }

        void decide(ImportRow row, Decision d) {
            Stored entity = stored.entities().get(row.name());
            if (entity == null && row.type() == null) {
                throw new Refuse("type", "is required for a new entity");
            }
            if (entity != null && row.type() != null && !row.type().equals(entity.type())) {
                d.typeChanged = true;
                d.changes.add("type");
            }
            List<Map.Entry<Integer, String>> takenUnits = new ArrayList<>();
            if (row.position() != null) {
                position(row, entity, d, takenUnits);
            }
            attributes(row, entity, d);
            pools(row, entity, d);
            List<Port[]> claims = connections(row, d);
            // the row is accepted: what it takes is taken for the rows after it
            takenUnits.forEach(u -> units.get(row.position().parent()).put(u.getKey(), u.getValue()));
            for (Port[] claim : claims) {
                claimed.put(claim[0], claim[1]);
                claimed.put(claim[1], claim[0]);
                claimedAt.put(claim[0], row.line());
                claimedAt.put(claim[1], row.line());
            }
            d.outcome = entity == null ? CREATED : d.changes.isEmpty() ? UNCHANGED : CHANGED;
            if (entity == null) {
                d.changes.clear();
            }
        }

        private void position(ImportRow row, Stored entity, Decision d, List<Map.Entry<Integer, String>> takenUnits) {
            var position = row.position();
            String parent = position.parent();
            if (parent.equals(row.name())) {
                throw new Refuse("parent", "must differ from the entity");
            }
            requireEntity(parent, "parent");
            String above = parent;
            for (int depth = 0; above != null && depth < MAX_DEPTH; depth++) {
                if (above.equals(row.name())) {
                    throw new Refuse("parent", "'" + parent + "' is inside '" + row.name() + "'; containment can't form a cycle");
                }
                above = parentOf(above);
            }
            if (position.unit() != null) {
                int last = position.unit() + position.height() - 1;
                int height = rackHeight(parent);
                if (last > height) {
                    throw new Refuse("unit", "units " + position.unit() + ".." + last + " do not fit in '" + parent + "' of height " + height);
                }
                Map<Integer, String> taken = unitsOf(parent);
                for (int unit = position.unit(); unit <= last; unit++) {
                    String holder = taken.get(unit);
                    if (holder != null && !holder.equals(row.name())) {
                        throw new Refuse("unit", "unit " + unit + " of '" + parent + "' is taken by '" + holder + "'");
                    }
                    takenUnits.add(Map.entry(unit, row.name()));
                }
            }
            if (entity == null || !parent.equals(entity.parent()) || !Objects.equals(position.unit(), entity.unit())
                    || !Objects.equals(position.height(), entity.height())) {
                d.moved = true;
                d.changes.add("parent");
            }
        }

        private void attributes(ImportRow row, Stored entity, Decision d) {
            for (var named : row.attributes().entrySet()) {
                for (AttributeValue value : named.getValue()) {
                    if (value.isReference()) {
                        requireEntity(value.text(), column(named.getKey()));
                    }
                }
                if (entity == null || !sameValues(named.getValue(), storedValues(entity, named.getKey()))) {
                    d.replacedAttributes.put(named.getKey(), named.getValue());
                    d.changes.add("attributes");
                }
            }
        }

        private void pools(ImportRow row, Stored entity, Decision d) {
            if (row.pools() == null) {
                return;
            }
            Set<String> current = entity == null ? Set.of() : stored.pools().getOrDefault(entity.id(), Set.of());
            for (String pool : row.pools()) {
                if (pool.equals(row.name())) {
                    throw new Refuse("pools", "an entity can't be in a pool of its own name");
                }
                ImportRow poolRow = accepted.get(pool);
                Stored storedPool = stored.entities().get(pool);
                String type = poolRow != null && poolRow.type() != null ? poolRow.type() : storedPool == null ? null : storedPool.type();
                if (type != null && !type.equals("pool")) {
                    throw new Refuse("pools", "'" + pool + "' is a " + type + ", not a pool");
                }
                if (!current.contains(pool) && !d.joinedPools.contains(pool)) {
                    d.joinedPools.add(pool);
                    d.changes.add("pools");
                }
            }
        }

        private List<Port[]> connections(ImportRow row, Decision d) {
            List<Port[]> claims = new ArrayList<>();
            for (Link link : row.connections()) {
                requireEntity(link.entity(), link.column());
                Port here = new Port(row.name(), link.port());
                Port there = new Port(link.entity(), link.remotePort());
                if (here.equals(there)) {
                    throw new Refuse(link.column(), "a port can't be connected to itself");
                }
                Port storedHere = stored.connections().get(here);
                Port storedThere = stored.connections().get(there);
                if (storedHere != null && !storedHere.equals(there)) {
                    throw new Refuse(link.column(), here + " is connected to " + storedHere + " already");
                }
                if (storedThere != null && !storedThere.equals(here)) {
                    throw new Refuse(link.column(), there + " is connected to " + storedThere + " already");
                }
                for (Port[] pair : List.of(new Port[] {here, there}, new Port[] {there, here})) {
                    Port other = claimed.get(pair[0]);
                    if (other == null) {
                        other = claims.stream().filter(c -> c[0].equals(pair[0]) || c[1].equals(pair[0]))
                                .map(c -> c[0].equals(pair[0]) ? c[1] : c[0]).findFirst().orElse(null);
                    }
                    if (other != null && !other.equals(pair[1])) {
                        throw new Refuse(link.column(), pair[0] + " is connected to " + other
                                + (claimedAt.containsKey(pair[0]) ? " at line " + claimedAt.get(pair[0]) : " in this row"));
                    }
                }
                boolean known = there.equals(storedHere) || there.equals(claimed.get(here))
                        || claims.stream().anyMatch(c -> c[0].equals(here) && c[1].equals(there));
                if (!known) {
                    requireDeclared(here, link.column());
                    requireDeclared(there, link.column());
                    claims.add(new Port[] {here, there});
                    d.newLinks.add(link);
                    d.changes.add("connections");
                }
            }
            return claims;
        }

        /**
         * An entity with declared ports is cabled on those only: the ones it has, and those of its type after the
         * import (a new entity, or one the file gives a type, gets them before its cables are made).
         */
        private void requireDeclared(Port end, String column) {
            ImportRow row = accepted.get(end.entity());
            Stored entity = stored.entities().get(end.entity());
            String type = row != null && row.type() != null ? row.type() : entity == null ? null : entity.type();
            Set<String> declared = stored.declaredPorts().getOrDefault(end.entity(), Set.of());
            Set<String> templates = type == null ? Set.of() : stored.typePorts().getOrDefault(type, Set.of());
            if ((!declared.isEmpty() || !templates.isEmpty()) && !declared.contains(end.port()) && !templates.contains(end.port())) {
                throw new Refuse(column, EntityPorts.undeclared(end.entity(), end.port()));
            }
        }

        private void requireEntity(String name, String column) {
            Integer refusedAt = refusedNew.get(name);
            if (refusedAt != null) {
                throw new Refuse(column, "'" + name + "' is refused at line " + refusedAt);
            }
            if (!accepted.containsKey(name) && !stored.entities().containsKey(name)) {
                throw new Refuse(column, "no entity named '" + name + "'");
            }
        }

        private String parentOf(String name) {
            ImportRow row = accepted.get(name);
            if (row != null && row.position() != null) {
                return row.position().parent();
            }
            return stored.parents().get(name);
        }

        private int rackHeight(String rack) {
            ImportRow row = accepted.get(rack);
            if (row != null) {
                List<AttributeValue> height = row.attributes().get(new AttributeKey("height", null));
                if (height != null && height.get(0).numberValue() != null) {
                    // the file's own value, by rack_height's rule (V13): whole units, at most int's greatest
                    return height.get(0).numberValue().min(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)).intValue();
                }
            }
            Stored entity = stored.entities().get(rack);
            return entity != null ? entity.rackHeight() : defaultRackHeight;
        }

        /** The rack's units that are taken: stored (but not by a row that is placed anew), then by the rows so far. */
        private Map<Integer, String> unitsOf(String rack) {
            return units.computeIfAbsent(rack, r -> {
                Map<Integer, String> taken = new HashMap<>();
                stored.units().getOrDefault(r, Map.of()).forEach((unit, child) -> {
                    if (!vacating.contains(child)) {
                        taken.put(unit, child);
                    }
                });
                return taken;
            });
        }

        private List<StoredValue> storedValues(Stored entity, AttributeKey key) {
            return stored.attributes().getOrDefault(entity.id(), List.of()).stream()
                    .filter(v -> v.key().equals(key.key()) && Objects.equals(v.subkey(), key.subkey())).toList();
        }

        private static boolean sameValues(List<AttributeValue> wanted, List<StoredValue> current) {
            if (wanted.size() != current.size()) {
                return false;
            }
            List<StoredValue> left = new ArrayList<>(current);
            for (AttributeValue value : wanted) {
                if (!left.remove(new StoredValue(value.key(), value.subkey(), value.number(), value.type(), value.text()))) {
                    return false;
                }
            }
            return true;
        }

        static String column(AttributeKey key) {
            return "attr." + key.key() + (key.subkey() == null ? "" : "." + key.subkey());
        }
    }
}
