package io.maestro.inventory.port;

import io.maestro.inventory.ApiModels.PortEnd;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An entity's ports: those its type declared (migration V12: given at creation or with the type, kept after) and
 * those it is cabled on. An entity with declared ports is cabled on them only; one without is cabled on any port.
 */
@ApplicationScoped
public class EntityPorts {

    @Schema(description = "A port of an entity")
    public record PortView(String port,
                           @Schema(description = "true when the entity's type declared it (a port template)") boolean declared,
                           @Schema(nullable = true, description = "The port at the other end of its cable; null when not cabled") PortEnd connectedTo) {
    }

    @Schema(description = "An entity's ports, in natural order (2 before 10)")
    public record Ports(String entity, @Schema(nullable = true) String type,
                        @Schema(description = "true when the entity has declared ports: it is cabled on those only") boolean declaredOnly,
                        List<PortView> ports) {
    }

    /** One end of a cable about to be made: {@code field} is where the request names its port. */
    public record CableEnd(UUID entityId, String entity, String port, String field) {
    }

    private final Statements sql;

    public EntityPorts(Statements sql) {
        this.sql = sql;
    }

    public Uni<Ports> of(String name) {
        return Transactions.read(() -> sql.first("select id, type from entity where name = ?1", name)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'")))
                .chain(entity -> sql.rows("""
                        select coalesce(p.name, c.port), p.name is not null, peer.name, c.peer_port
                        from (select name from port where entity_id = ?1) p
                        full join (select port, peer_id, peer_port from cable_peer where entity_id = ?1) c on c.port = p.name
                        left join entity peer on peer.id = c.peer_id""", entity.uuid(0))
                        .map(rows -> {
                            List<PortView> ports = rows.stream().map(EntityPorts::port).sorted(Comparator.comparing(PortView::port, NATURAL)).toList();
                            return new Ports(name, entity.string(1), ports.stream().anyMatch(PortView::declared), ports);
                        })));
    }

    private static PortView port(Row row) {
        return new PortView(row.string(0), row.bool(1), row.isNull(2) ? null : new PortEnd(row.string(2), row.string(3)));
    }

    /**
     * A 400 naming the end's field when an end's port may not be cabled: its entity has declared ports, or its type
     * declares some, and the port is neither (V12's {@code undeclared_ports}; its trigger is the last line behind this).
     */
    public Uni<Void> requireDeclared(List<CableEnd> ends) {
        return sql.rows("""
                        select u.i from undeclared_ports(cast(?1 as uuid[]), cast(?2 as text[])) u order by u.i limit 1""",
                ends.stream().map(CableEnd::entityId).toArray(UUID[]::new), ends.stream().map(CableEnd::port).toArray(String[]::new))
                .invoke(rows -> {
                    if (!rows.isEmpty()) {
                        CableEnd end = ends.get(rows.get(0).longValue(0).intValue() - 1);
                        throw ProblemException.invalid(end.field(), undeclared(end.entity(), end.port()));
                    }
                }).replaceWithVoid();
    }

    /** The rule's words, as V12's trigger says them too. */
    public static String undeclared(String entity, String port) {
        return "'" + entity + "' has no port '" + port + "' (its ports are those its type declared)";
    }

    /** Names in natural order: runs of digits compare as numbers (port 2 before port 10). */
    public static final Comparator<String> NATURAL = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = i;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                int endB = j;
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                String numberA = a.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String numberB = b.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int byValue = numberA.length() != numberB.length() ? Integer.compare(numberA.length(), numberB.length()) : numberA.compareTo(numberB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return a.length() - i != b.length() - j ? Integer.compare(a.length() - i, b.length() - j) : a.compareTo(b);
    };
}
