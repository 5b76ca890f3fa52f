package io.maestro.inventory.entity.service;

import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.entity.EntityRequests.AddContent;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.Tx;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * clusto's insert/remove (one parent per entity, no cycles, rack units that fit and are free) and locate.
 */
@ApplicationScoped
public class ContainmentService {
    private final Database db;
    private final EntityStore store;
    private final InventoryConfig config;

    public ContainmentService(Database db, EntityStore store, InventoryConfig config) {
        this.db = db;
        this.store = store;
        this.config = config;
    }

    public JsonObject addContent(String parentName, String ifMatch, AddContent request, String actor) {
        Names.require(parentName, "parent");
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        String childName = Names.require(request.child(), "child");
        if (childName.equals(parentName)) {
            throw ProblemException.invalid("child", "must differ from the parent");
        }
        Integer unit = request.position() == null ? null : request.position().unit();
        Integer height = request.position() == null ? null : request.position().height();
        if (request.position() != null) {
            if (unit == null || unit < 1) {
                throw ProblemException.invalid("position.unit", "must be >= 1");
            }
            if (height == null) {
                height = 1;
            }
            if (height < 1 || height > 100) {
                throw ProblemException.invalid("position.height", "must be between 1 and 100");
            }
        }
        int finalHeight = height == null ? 0 : height;
        return db.inTransaction(tx -> {
            LockedEntity child = store.lock(tx, childName);
            EntityStore.checkIfMatch(child, ifMatch);
            // FOR SHARE on the parent serialises two inserts that would otherwise build a cycle together
            Row parent = tx.first("select id, type from entity where name = $1 for share", parentName)
                    .orElseThrow(() -> ProblemException.notFound("no entity named '" + parentName + "'"));
            UUID parentId = parent.getUUID(0);
            boolean cycle = tx.first("""
                    with recursive up(id) as (
                        select parent_id from containment where child_id = $1
                        union select c.parent_id from containment c join up on c.child_id = up.id)
                    select 1 from up where id = $2""", parentId, child.id()).isPresent();
            if (cycle) {
                throw ProblemException.conflict("'" + parentName + "' is inside '" + childName + "'; containment can't form a cycle");
            }
            tx.query("insert into containment (child_id, parent_id, unit, height) values ($1, $2, $3, $4)",
                    child.id(), parentId, unit, unit == null ? null : finalHeight);
            if (unit != null) {
                int rackHeight = rackHeight(tx, parentId);
                if (unit + finalHeight - 1 > rackHeight) {
                    throw ProblemException.invalid("position.unit", "units " + unit + ".." + (unit + finalHeight - 1)
                            + " do not fit in '" + parentName + "' of height " + rackHeight);
                }
                // one row per unit: the primary key (rack_id, unit) refuses a taken unit, whatever the race
                tx.query("insert into rack_unit (rack_id, unit, child_id) select $1, u, $2 from generate_series($3::int, $4::int) u",
                        parentId, child.id(), unit, unit + finalHeight - 1);
            }
            return store.touch(tx, child, actor);
        });
    }

    public JsonObject removeContent(String parentName, String childName, String ifMatch, String actor) {
        Names.require(parentName, "parent");
        Names.require(childName, "child");
        return db.inTransaction(tx -> {
            LockedEntity child = store.lock(tx, childName);
            EntityStore.checkIfMatch(child, ifMatch);
            int removed = tx.query("delete from containment c using entity p where c.child_id = $1 and p.id = c.parent_id and p.name = $2",
                    child.id(), parentName).rowCount();
            if (removed == 0) {
                throw ProblemException.notFound("'" + childName + "' is not in '" + parentName + "'");
            }
            return store.touch(tx, child, actor);
        });
    }

    private int rackHeight(Tx tx, UUID rackId) {
        return tx.first("select number_value from attribute where entity_id = $1 and key = 'height' and number_value is not null order by id limit 1", rackId)
                .map(r -> r.getBigDecimal(0).intValue()).orElse(config.defaultRackHeight());
    }

    public JsonObject location(String name) {
        Names.require(name, "name");
        return db.inTransaction(tx -> {
            JsonObject entity = store.json(tx, name).orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'"));
            JsonArray chain = new JsonArray();
            for (Row row : tx.rows("""
                    with recursive up(child_id, parent_id, unit, height, depth) as (
                        select child_id, parent_id, unit, height, 1 from containment where child_id = $1
                        union all
                        select c.child_id, c.parent_id, c.unit, c.height, up.depth + 1 from containment c join up on c.child_id = up.parent_id
                        where up.depth < 64)
                    select p.name, p.type, up.unit, up.height from up join entity p on p.id = up.parent_id order by up.depth""",
                    UUID.fromString(entity.getString("id")))) {
                chain.add(new JsonObject().put("entity", row.getString(0)).put("type", row.getString(1))
                        .put("unit", row.getInteger(2)).put("height", row.getInteger(3)));
            }
            return new JsonObject().put("entity", name).put("type", entity.getString("type"))
                    .put("chain", chain).put("connections", entity.getJsonArray("connections"));
        });
    }
}
