package io.maestro.inventory.entity.service;

import io.maestro.inventory.entity.EntityRequests.Connect;
import io.maestro.inventory.entity.EntityRequests.PortRef;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.Tx;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Port-to-port connections between entities: connect and disconnect.
 */
@ApplicationScoped
public class ConnectionService {
    private final Database db;
    private final EntityStore store;

    public ConnectionService(Database db, EntityStore store) {
        this.db = db;
        this.store = store;
    }

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
}
