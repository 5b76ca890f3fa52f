package io.maestro.inventory.trace;

import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Follows a port's connection to the far end, through every entity whose type passes connections through (patch
 * panels: {@code PUT /v1/types/{type}} with {@code passThrough}), in one SQL statement whatever the path's length or
 * the number of connections: a recursive query whose every step is a primary-key lookup (a second statement only
 * tells a missing entity from an unconnected port).
 */
@ApplicationScoped
public class ConnectionTrace {
    /** Most connections one trace follows; a longer path is cut there and said so. */
    public static final int MAX_SEGMENTS = 64;

    @Schema(description = "A port of an entity on the path")
    public record TracedPort(String entity, String type, String port) {
    }

    @Schema(description = "One connection (cable) of the path, from the port nearer the start to the far one")
    public record Segment(long connectionId, TracedPort from, TracedPort to) {
    }

    @Schema(description = "Where a port's connection leads: each connection in order, through pass-through entities")
    public record Trace(TracedPort from, List<Segment> segments, TracedPort to,
                        @Schema(description = "true when the path ends at an entity that passes nothing through") boolean complete,
                        @Schema(nullable = true, description = "Why the path stops where it does when not complete") String stoppedBecause) {
    }

    /** The trace, one statement: ?1 the entity, ?2 the port, ?3 {@link #MAX_SEGMENTS}. */
    public static final String SQL = """
            with recursive hop(depth, near_name, near_type, near_port, far_id, far_name, far_type, far_port, far_pair, connection_id, seen) as (
                select 1, start.name, start.type, mine.port, other.entity_id, far.name, far.type, other.port, paired_port(far.type, other.port),
                       mine.connection_id, array[mine.connection_id]
                from entity start
                join connection_end mine on mine.entity_id = start.id and mine.port = ?2
                join connection_end other on other.connection_id = mine.connection_id
                     and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
                join entity far on far.id = other.entity_id
                where start.name = ?1
              union all
                select h.depth + 1, h.far_name, h.far_type, mine.port, other.entity_id, far.name, far.type, other.port,
                       paired_port(far.type, other.port), mine.connection_id, h.seen || mine.connection_id
                from hop h
                join connection_end mine on mine.entity_id = h.far_id and mine.port = h.far_pair
                join connection_end other on other.connection_id = mine.connection_id
                     and (other.entity_id, other.port) <> (mine.entity_id, mine.port)
                join entity far on far.id = other.entity_id
                where h.depth < ?3 and mine.connection_id <> all(h.seen)
            )
            select depth, near_name, near_type, near_port, far_name, far_type, far_port, connection_id, far_pair,
                   (select c.connection_id from connection_end c where c.entity_id = hop.far_id and c.port = hop.far_pair)
            from hop
            order by depth""";

    private final Statements sql;

    public ConnectionTrace(Statements sql) {
        this.sql = sql;
    }

    public Uni<Trace> trace(String entity, String port) {
        return Transactions.read(() -> sql.rows(SQL, entity, port, MAX_SEGMENTS).chain(rows -> rows.isEmpty()
                ? sql.first("select type from entity where name = ?1", entity).map(found -> {
                    throw found.isPresent() ? ProblemException.notFound("port '" + port + "' of '" + entity + "' is not connected")
                            : ProblemException.notFound("no entity named '" + entity + "'");
                })
                : Uni.createFrom().item(trace(rows))));
    }

    private static Trace trace(List<Row> rows) {
        List<Segment> segments = rows.stream().map(row -> new Segment(row.longValue(7),
                new TracedPort(row.string(1), row.string(2), row.string(3)), new TracedPort(row.string(4), row.string(5), row.string(6)))).toList();
        Row last = rows.get(rows.size() - 1);
        Segment end = segments.get(segments.size() - 1);
        String pair = last.string(8);
        String stopped;
        if (pair == null) {
            stopped = null;
        } else if (last.isNull(9)) {
            stopped = "port '" + pair + "' of '" + end.to().entity() + "' (wired to '" + end.to().port() + "') is not connected";
        } else if (rows.size() == MAX_SEGMENTS) {
            stopped = "the path is longer than " + MAX_SEGMENTS + " connections";
        } else {
            stopped = "the path loops: port '" + pair + "' of '" + end.to().entity() + "' leads back into it";
        }
        return new Trace(segments.get(0).from(), segments, end.to(), stopped == null, stopped);
    }
}
