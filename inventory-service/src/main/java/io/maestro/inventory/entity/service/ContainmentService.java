package io.maestro.inventory.entity.service;

import io.maestro.inventory.ApiModels.Location;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.ApiModels.ChainLink;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.entity.EntityRequests.AddContent;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.ContainmentRow;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * clusto's insert/remove (one parent per entity, no cycles, rack units that fit and are free) and locate.
 */
@ApplicationScoped
public class ContainmentService {
    private final Statements sql;
    private final EntityStore store;
    private final InventoryConfig config;

    public ContainmentService(Statements sql, EntityStore store, InventoryConfig config) {
        this.sql = sql;
        this.store = store;
        this.config = config;
    }

    public Uni<EntityView> addContent(String parentName, String ifMatch, AddContent request, String actor) {
        String childName = request.child();
        if (childName.equals(parentName)) {
            throw ProblemException.invalid("child", "must differ from the parent");
        }
        Integer unit = request.position() == null ? null : request.position().unit();
        Integer height = request.position() == null ? null : request.position().height();
        // a position's bounds are checked by Bean Validation; a missing height is one unit
        int finalHeight = unit == null ? 0 : height == null ? 1 : height;
        return Transactions.inTransaction(() -> store.lock(childName)
                .invoke(child -> EntityStore.checkIfMatch(child, ifMatch))
                .call(child -> insert(child, childName, parentName, unit, finalHeight))
                .chain(child -> store.relinked(child, actor)));
    }

    private Uni<Void> insert(LockedEntity child, String childName, String parentName, Integer unit, int height) {
        // FOR SHARE on the parent serialises two inserts that would otherwise build a cycle together
        return sql.first("select id, type from entity where name = ?1 for share", parentName)
                .map(parent -> parent.orElseThrow(() -> ProblemException.notFound("no entity named '" + parentName + "'")).uuid(0))
                .call(parentId -> sql.first("""
                        with recursive up(id) as (
                            select parent_id from containment where child_id = ?1
                            union select c.parent_id from containment c join up on c.child_id = up.id)
                        select 1 from up where id = ?2""", parentId, child.id()).invoke(cycle -> {
                            if (cycle.isPresent()) {
                                throw ProblemException.conflict("'" + parentName + "' is inside '" + childName + "'; containment can't form a cycle");
                            }
                        }))
                .call(parentId -> sql.persist(ContainmentRow.of(child.id(), parentId, unit, unit == null ? null : height)))
                .call(parentId -> unit == null ? Uni.createFrom().voidItem() : rackHeight(parentId).chain(rackHeight -> {
                    if (unit + height - 1 > rackHeight) {
                        throw ProblemException.invalid("position.unit", "units " + unit + ".." + (unit + height - 1)
                                + " do not fit in '" + parentName + "' of height " + rackHeight);
                    }
                    // one row per unit: the primary key (rack_id, unit) refuses a taken unit, whatever the race
                    return sql.update("insert into rack_unit (rack_id, unit, child_id) select ?1, u, ?2 from generate_series(cast(?3 as int), cast(?4 as int)) u",
                            parentId, child.id(), unit, unit + height - 1);
                }))
                .replaceWithVoid();
    }

    public Uni<Void> removeContent(String parentName, String childName, String ifMatch, String actor) {
        return Transactions.inTransaction(() -> store.lock(childName)
                .invoke(child -> EntityStore.checkIfMatch(child, ifMatch))
                .call(child -> sql.update("delete from containment c using entity p where c.child_id = ?1 and p.id = c.parent_id and p.name = ?2",
                        child.id(), parentName).invoke(removed -> {
                            if (removed == 0) {
                                throw ProblemException.notFound("'" + childName + "' is not in '" + parentName + "'");
                            }
                        }))
                .chain(child -> store.relinked(child, actor))
                .replaceWithVoid());
    }

    private Uni<Integer> rackHeight(UUID rackId) {
        return sql.one("select rack_height(?1, ?2)", rackId, config.defaultRackHeight()).map(row -> row.integer(0));
    }

    public Uni<Location> location(String name) {
        return Transactions.read(() -> store.view(name)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("no entity named '" + name + "'")))
                .chain(entity -> sql.rows("""
                    with recursive up(child_id, parent_id, unit, height, depth) as (
                        select child_id, parent_id, unit, height, 1 from containment where child_id = ?1
                        union all
                        select c.child_id, c.parent_id, c.unit, c.height, up.depth + 1 from containment c join up on c.child_id = up.parent_id
                        where up.depth < 64)
                    select p.name, p.type, up.unit, up.height from up join entity p on p.id = up.parent_id order by up.depth""",
                        UUID.fromString(entity.id())).map(rows -> new Location(name, entity.type(),
                                rows.stream().map(row -> new ChainLink(row.string(0), row.string(1), row.integer(2), row.integer(3))).toList(),
                                entity.connections()))));
    }
}
