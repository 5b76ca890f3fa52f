package io.maestro.inventory.entity.service;

import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pool membership: add an entity to a pool (made on first use) and remove it.
 */
@ApplicationScoped
public class PoolService {
    private final Statements sql;
    private final EntityStore store;

    public PoolService(Statements sql, EntityStore store) {
        this.sql = sql;
        this.store = store;
    }

    public Uni<EntityView> addToPool(String poolName, String entityName, String actor) {
        return Transactions.inTransaction(() -> store.lock(entityName)
                .call(entity -> store.addToPool(entity.id(), poolName))
                .chain(entity -> store.relinked(entity, actor)));
    }

    public Uni<EntityView> removeFromPool(String poolName, String entityName, String actor) {
        return Transactions.inTransaction(() -> store.lock(entityName)
                .call(entity -> sql.update("delete from pool_member pm using entity p where p.id = pm.pool_id and p.name = ?1 and pm.entity_id = ?2",
                        poolName, entity.id()).invoke(removed -> {
                            if (removed == 0) {
                                throw ProblemException.notFound("'" + entityName + "' is not in pool '" + poolName + "'");
                            }
                        }))
                .chain(entity -> store.relinked(entity, actor)));
    }
}
