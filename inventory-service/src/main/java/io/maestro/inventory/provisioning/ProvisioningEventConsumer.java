package io.maestro.inventory.provisioning;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.LockedEntity;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.events.Require;
import io.maestro.events.InvalidEventException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors provisioned nodes into the inventory: a running node becomes (or updates) the {@code server}
 * {@code <cluster>-<tag>-<index>} in pool {@code <cluster>}; a terminated one gets {@code status=terminated}.
 * The change's actor is the event's {@code actor} (who launched the cluster; null when the provisioner acted on its own).
 * Idempotent by event id (processed_event, same transaction); a record that can't be decoded or applied
 * throws, so SmallRye sends it to the DLQ and goes on.
 */
@ApplicationScoped
public class ProvisioningEventConsumer {

    private final Statements sql;
    private final EntityStore store;

    public ProvisioningEventConsumer(Statements sql, EntityStore store) {
        this.sql = sql;
        this.store = store;
    }

    @Incoming(Topics.PROVISIONING_EVENTS)
    public Uni<Void> consume(String payload) {
        ProvisioningEvent event = EventCodec.decode(payload, ProvisioningEvent.class);
        if (!event.type().isNodeEvent() || event.node() == null) {
            return Uni.createFrom().voidItem();
        }
        String name = event.cluster() + "-" + event.node().tag() + "-" + event.node().index();
        if (!Require.NAME.matcher(name).matches()) {
            throw new InvalidEventException("node name '" + name + "' breaks the entity name rule " + Require.NAME.pattern());
        }
        if (event.actor() != null && event.actor().indexOf('\u0000') >= 0) {
            throw new InvalidEventException("actor contains U+0000 (NUL), which the inventory cannot store");
        }
        List<AttributeValue> attributes = attributes(event);
        return Transactions.inTransaction(() -> sql.update("insert into processed_event (event_id, topic) values (?1, ?2) on conflict do nothing",
                        event.eventId(), Topics.PROVISIONING_EVENTS)
                .chain(inserted -> inserted == 1 ? apply(event, name, attributes).replaceWith(true) : Uni.createFrom().item(false)))
                .invoke(applied -> Log.debugf("provisioning event %s for %s %s", event.eventId(), name, applied ? "applied" : "seen before, skipped"))
                .replaceWithVoid();
    }

    private static List<AttributeValue> attributes(ProvisioningEvent event) {
        ProvisioningEvent.Node node = event.node();
        String status = switch (event.type()) {
            case NODE_RUNNING -> "running";
            case NODE_PENDING -> "pending";
            case NODE_STOPPED -> "stopped";
            default -> "terminated";
        };
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
        return attributes;
    }

    private Uni<Void> apply(ProvisioningEvent event, String name, List<AttributeValue> attributes) {
        boolean running = event.type() == ProvisioningEvent.Type.NODE_RUNNING;
        return store.lockOptional(name).chain(existing -> {
            if (existing.isEmpty()) {
                if (!running) {
                    return Uni.createFrom().voidItem(); // only a running node enters the inventory
                }
                return store.insert(name, "server")
                        .call(id -> store.insertAttributes(id, attributes))
                        .call(id -> store.addToPool(id, event.cluster()))
                        .call(id -> store.created(id, event.actor()))
                        .replaceWithVoid();
            }
            LockedEntity entity = existing.get();
            List<String> keys = attributes.stream().map(AttributeValue::key).toList();
            return sql.update("delete from attribute where entity_id = ?1 and key in (?2)", entity.id(), keys)
                    .chain(() -> store.insertAttributes(entity.id(), attributes))
                    .chain(() -> running ? store.addToPool(entity.id(), event.cluster()) : Uni.createFrom().voidItem())
                    .chain(() -> store.touch(entity, event.actor()))
                    .replaceWithVoid();
        });
    }

    private static AttributeValue text(String key, String value) {
        if (value.indexOf('\u0000') >= 0) { // PostgreSQL cannot store it; the reason names the field in the DLQ
            throw new InvalidEventException("node." + key + " contains U+0000 (NUL), which the inventory cannot store");
        }
        return new AttributeValue(key, null, null, "string", value, null);
    }
}
