package io.maestro.inventory.entity.service;

import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * clusto's attr add/get/set/del on one entity.
 */
@ApplicationScoped
public class AttributeService {
    private final Database db;
    private final EntityStore store;
    private final EntityService entities;

    public AttributeService(Database db, EntityStore store, EntityService entities) {
        this.db = db;
        this.store = store;
        this.entities = entities;
    }

    public JsonObject addAttribute(String name, String ifMatch, AttributeInput input, String actor) {
        Names.require(name, "name");
        AttributeValue attribute = AttributeValue.of(input, "attribute");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            store.insertAttributes(tx, entity.id(), List.of(attribute));
            return store.touch(tx, entity, actor);
        });
    }

    public JsonObject setAttribute(String name, String key, String ifMatch, AttributeInput input, String actor) {
        Names.require(name, "name");
        AttributeValue.requireKey(key, "key");
        if (input == null) {
            throw ProblemException.invalid("body", "is required");
        }
        if (input.key() != null && !input.key().equals(key)) {
            throw ProblemException.invalid("key", "must equal the key in the path");
        }
        AttributeValue attribute = AttributeValue.of(new AttributeInput(key, input.subkey(), input.number(), input.value(), input.type()), "attribute");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            tx.query("delete from attribute where entity_id = $1 and key = $2", entity.id(), key);
            store.insertAttributes(tx, entity.id(), List.of(attribute));
            return store.touch(tx, entity, actor);
        });
    }

    /** Deletes every value of {@code key}, or only those whose text is {@code value}; 404 when nothing matched. */
    public JsonObject deleteAttribute(String name, String key, String value, String ifMatch, String actor) {
        Names.require(name, "name");
        AttributeValue.requireKey(key, "key");
        return db.inTransaction(tx -> {
            LockedEntity entity = store.lock(tx, name);
            EntityStore.checkIfMatch(entity, ifMatch);
            int deleted = value == null
                    ? tx.query("delete from attribute where entity_id = $1 and key = $2", entity.id(), key).rowCount()
                    : tx.query("delete from attribute where entity_id = $1 and key = $2 and text_value = $3", entity.id(), key, value).rowCount();
            if (deleted == 0) {
                throw ProblemException.notFound("'" + name + "' has no attribute '" + key + "'" + (value == null ? "" : " with value '" + value + "'"));
            }
            return store.touch(tx, entity, actor);
        });
    }

    public JsonArray attributes(String name, String key) {
        JsonObject entity = entities.get(name);
        if (key != null) {
            AttributeValue.requireKey(key, "key");
        }
        JsonArray all = entity.getJsonArray("attributes");
        JsonArray result = new JsonArray();
        all.forEach(a -> {
            if (key == null || key.equals(((JsonObject) a).getString("key"))) {
                result.add(a);
            }
        });
        return result;
    }
}
