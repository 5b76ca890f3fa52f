package io.maestro.inventory.entity.service;

import io.maestro.inventory.ApiModels.PortEnd;
import io.maestro.inventory.ApiModels.ConnectionView;
import io.maestro.inventory.entity.EntityRequests.Connect;
import io.maestro.inventory.entity.EntityRequests.PortRef;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.ConnectionEndRow;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.function.Supplier;
import io.maestro.inventory.port.EntityPorts;
import io.maestro.inventory.port.EntityPorts.CableEnd;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
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
    private final Statements sql;
    private final EntityStore store;
    private final EntityPorts ports;

    public ConnectionService(Statements sql, EntityStore store, EntityPorts ports) {
        this.sql = sql;
        this.store = store;
        this.ports = ports;
    }

    public Uni<ConnectionView> connect(Connect request, String actor) {
        PortRef a = request.a();
        PortRef b = request.b();
        if (a.equals(b)) {
            throw ProblemException.invalid("b", "must be another port than a");
        }
        return Transactions.inTransaction(() -> lockInOrder(a.entity(), b.entity()).chain(locked -> {
            UUID aId = idOf(locked, a.entity(), "a.entity");
            UUID bId = idOf(locked, b.entity(), "b.entity");
            return ports.requireDeclared(List.of(new CableEnd(aId, a.entity(), a.port(), "a.port"), new CableEnd(bId, b.entity(), b.port(), "b.port")))
                    .chain(() -> sql.one("insert into connection default values returning id").map(row -> row.longValue(0))
                    .call(id -> sql.persist(ConnectionEndRow.of(aId, a.port(), id), ConnectionEndRow.of(bId, b.port(), id)))
                    .call(() -> store.relinkedAll(locked, actor)));
        }).map(id -> new ConnectionView(id, new PortEnd(a.entity(), a.port()), new PortEnd(b.entity(), b.port()))));
    }

    /** The id of the locked entity {@code name}; 404 naming {@code field} when it does not exist. */
    private static UUID idOf(List<LockedEntity> locked, String name, String field) {
        return locked.stream().filter(entity -> entity.name().equals(name)).findFirst().map(LockedEntity::id)
                .orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "' (" + field + ")"));
    }

    public Uni<Void> disconnect(String entityName, String port, String actor) {
        Supplier<ProblemException> notConnected = () -> ProblemException.notFound("port '" + port + "' of '" + entityName + "' is not connected");
        return Transactions.inTransaction(() -> sql.first("""
                        select c.connection_id, peer.name from cable_peer c join entity e on e.id = c.entity_id
                        join entity peer on peer.id = c.peer_id
                        where e.name = ?1 and c.port = ?2""", entityName, port)
                .map(end -> end.orElseThrow(notConnected))
                .chain(end -> lockInOrder(entityName, end.string(1))
                        .call(() -> sql.update("delete from connection where id = ?1", end.longValue(0)).invoke(deleted -> {
                            if (deleted == 0) {
                                throw notConnected.get();
                            }
                        }))
                        .chain(locked -> store.relinkedAll(locked, actor))).replaceWithVoid());
    }

    /** Locks in name order, so two transactions on the same pair never deadlock. */
    private Uni<List<LockedEntity>> lockInOrder(String... names) {
        List<String> sorted = new ArrayList<>(List.of(names));
        sorted.sort(Comparator.naturalOrder());
        return Multi.createFrom().iterable(sorted.stream().distinct().toList())
                .onItem().transformToUniAndConcatenate(store::lockOptional)
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList();
    }
}
