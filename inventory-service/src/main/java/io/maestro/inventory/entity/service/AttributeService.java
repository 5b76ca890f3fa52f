package io.maestro.inventory.entity.service;

import io.maestro.inventory.ApiModels.AttributeView;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * clusto's attr add/get/set/del on one entity.
 */
@ApplicationScoped
public class AttributeService {
    private final Statements sql;
    private final EntityStore store;
    private final EntityService entities;

    public AttributeService(Statements sql, EntityStore store, EntityService entities) {
        this.sql = sql;
        this.store = store;
        this.entities = entities;
    }

    public Uni<EntityView> addAttribute(String name, String ifMatch, AttributeInput input, String actor) {
        AttributeValue attribute = AttributeValue.of(input, "attribute");
        return Transactions.inTransaction(() -> store.lock(name)
                .invoke(entity -> EntityStore.checkIfMatch(entity, ifMatch))
                .call(entity -> store.insertAttributes(entity.id(), List.of(attribute)))
                .chain(entity -> store.touch(entity, actor)));
    }

    public Uni<EntityView> setAttribute(String name, String key, String ifMatch, AttributeInput input, String actor) {
        AttributeValue.requireKey(key, "key");
        if (input == null) {
            throw ProblemException.invalid("body", "is required");
        }
        if (input.key() != null && !input.key().equals(key)) {
            throw ProblemException.invalid("key", "must equal the key in the path");
        }
        AttributeValue attribute = AttributeValue.of(new AttributeInput(key, input.subkey(), input.number(), input.value(), input.type()), "attribute");
        return Transactions.inTransaction(() -> store.lock(name)
                .invoke(entity -> EntityStore.checkIfMatch(entity, ifMatch))
                .call(entity -> sql.update("delete from attribute where entity_id = ?1 and key = ?2", entity.id(), key))
                .call(entity -> store.insertAttributes(entity.id(), List.of(attribute)))
                .chain(entity -> store.touch(entity, actor)));
    }

    /** Deletes every value of {@code key}, or only those whose text is {@code value}; 404 when nothing matched. */
    public Uni<EntityView> deleteAttribute(String name, String key, String value, String ifMatch, String actor) {
        AttributeValue.requireKey(key, "key");
        return Transactions.inTransaction(() -> store.lock(name)
                .invoke(entity -> EntityStore.checkIfMatch(entity, ifMatch))
                .call(entity -> (value == null
                        ? sql.update("delete from attribute where entity_id = ?1 and key = ?2", entity.id(), key)
                        : sql.update("delete from attribute where entity_id = ?1 and key = ?2 and text_value = ?3", entity.id(), key, value))
                        .invoke(deleted -> {
                            if (deleted == 0) {
                                throw ProblemException.notFound("'" + name + "' has no attribute '" + key + "'"
                                        + (value == null ? "" : " with value '" + value + "'"));
                            }
                        }))
                .chain(entity -> store.touch(entity, actor)));
    }

    public Uni<List<AttributeView>> attributes(String name, String key) {
        if (key != null) {
            AttributeValue.requireKey(key, "key");
        }
        return entities.get(name, false).map(entity -> entity.attributes().stream().filter(a -> key == null || key.equals(a.key())).toList());
    }
}
