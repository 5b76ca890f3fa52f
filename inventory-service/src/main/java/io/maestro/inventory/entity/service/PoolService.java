package io.maestro.inventory.entity.service;

import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pool membership: add an entity to a pool (made on first use) and remove it.
 */
@ApplicationScoped
public class PoolService {
    private final Database db;
    private final EntityStore store;

    public PoolService(Database db, EntityStore store) {
        this.db = db;
        this.store = store;
    }

    public JsonObject addToPool(String poolName, String entityName, String actor) {
        Names.require(poolName, "pool");
        Names.require(entityName, "entity");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, entityName);
            store.addToPool(tx, entity.id(), poolName);
            return store.touch(tx, entity, actor);
        });
    }

    public JsonObject removeFromPool(String poolName, String entityName, String actor) {
        Names.require(poolName, "pool");
        Names.require(entityName, "entity");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, entityName);
            int removed = tx.query("delete from pool_member pm using entity p where p.id = pm.pool_id and p.name = $1 and pm.entity_id = $2",
                    poolName, entity.id()).rowCount();
            if (removed == 0) {
                throw ProblemException.notFound("'" + entityName + "' is not in pool '" + poolName + "'");
            }
            return store.touch(tx, entity, actor);
        });
    }
}
