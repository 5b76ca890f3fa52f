package io.maestro.inventory.provisioning;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Database;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.inventory.repository.Tx;
import io.maestro.events.Require;
import io.maestro.events.InvalidEventException;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Mirrors provisioned nodes into the inventory: a running node becomes (or updates) the {@code server}
 * {@code <cluster>-<tag>-<index>} in pool {@code <cluster>}; a terminated one gets {@code status=terminated}.
 * The change's actor is the event's {@code actor} (who launched the cluster; null when the provisioner acted on its own).
 * Idempotent by event id (processed_event, same transaction); a record that can't be decoded or applied
 * throws, so SmallRye sends it to the DLQ and goes on.
 */
@ApplicationScoped
public class ProvisioningEventConsumer {

    private final Database db;
    private final EntityStore store;

    public ProvisioningEventConsumer(Database db, EntityStore store) {
        this.db = db;
        this.store = store;
    }

    @Incoming(Topics.PROVISIONING_EVENTS)
    @Blocking
    public void consume(String payload) {
        ProvisioningEvent event = EventCodec.decode(payload, ProvisioningEvent.class);
        if (!event.type().isNodeEvent() || event.node() == null) {
            return;
        }
        String name = event.cluster() + "-" + event.node().tag() + "-" + event.node().index();
        if (!Require.NAME.matcher(name).matches()) {
            throw new InvalidEventException("node name '" + name + "' breaks the entity name rule " + Require.NAME.pattern());
        }
        if (event.actor() != null && event.actor().indexOf('\u0000') >= 0) {
            throw new InvalidEventException("actor contains U+0000 (NUL), which the inventory cannot store");
        }
        boolean applied = db.inTransaction(tx -> {
            boolean first = tx.query("insert into processed_event (event_id, topic) values ($1, $2) on conflict do nothing",
                    event.eventId(), Topics.PROVISIONING_EVENTS).rowCount() == 1;
            if (first) {
                apply(tx, event, name);
            }
            return first;
        });
        Log.debugf("provisioning event %s for %s %s", event.eventId(), name, applied ? "applied" : "seen before, skipped");
    }

    private void apply(Tx tx, ProvisioningEvent event, String name) {
        ProvisioningEvent.Node node = event.node();
        String status = switch (event.type()) {
            case NODE_RUNNING -> "running";
            case NODE_PENDING -> "pending";
            case NODE_STOPPED -> "stopped";
            default -> "terminated";
        };
        Optional<LockedEntity> existing = store.lockOptional(tx, name);
        if (existing.isEmpty() && event.type() != ProvisioningEvent.Type.NODE_RUNNING) {
            return; // only a running node enters the inventory
        }
        List<AttributeValue> attributes = new ArrayList<>();
        attributes.add(text("status", status));
        if (event.type() == ProvisioningEvent.Type.NODE_RUNNING) {
            attributes.add(text("cluster", event.cluster()));
            attributes.add(text("tag", node.tag()));
            attributes.add(new AttributeValue("index", null, null, "integer", Integer.toString(node.index()), BigDecimal.valueOf(node.index())));
            if (node.address() != null) {
                attributes.add(text("address", node.address()));
            }
            if (node.providerId() != null) {
                attributes.add(text("provider-id", node.providerId()));
            }
            if (node.provider() != null) {
                attributes.add(text("provider", node.provider()));
            }
        }
        if (existing.isEmpty()) {
            UUID id = store.insert(tx, name, "server");
            store.insertAttributes(tx, id, attributes);
            store.addToPool(tx, id, event.cluster());
            store.created(tx, id, event.actor());
            return;
        }
        LockedEntity entity = existing.get();
        for (AttributeValue a : attributes) {
            tx.query("delete from attribute where entity_id = $1 and key = $2", entity.id(), a.key());
        }
        store.insertAttributes(tx, entity.id(), attributes);
        if (event.type() == ProvisioningEvent.Type.NODE_RUNNING) {
            store.addToPool(tx, entity.id(), event.cluster());
        }
        store.touch(tx, entity, event.actor());
    }

    private static AttributeValue text(String key, String value) {
        if (value.indexOf('\u0000') >= 0) { // PostgreSQL cannot store it; the reason names the field in the DLQ
            throw new InvalidEventException("node." + key + " contains U+0000 (NUL), which the inventory cannot store");
        }
        return new AttributeValue(key, null, null, "string", value, null);
    }
}
