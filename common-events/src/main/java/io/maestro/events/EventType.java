package io.maestro.events;

import java.util.Arrays;
import java.util.Optional;

/** The record types of the suite with their CloudEvents type strings and home topics. */
public enum EventType {
    SERVICE_MEMBERSHIP_CHANGED("io.maestro.registry.ServiceMembershipChanged.v1",
            ServiceMembershipChanged.class, Topics.REGISTRY_CHANGES),
    LEADERSHIP_CHANGED("io.maestro.election.LeadershipChanged.v1",
            LeadershipChanged.class, Topics.ELECTION_LEADERSHIP),
    INVENTORY_MUTATION("io.maestro.inventory.InventoryMutation.v1",
            InventoryMutation.class, Topics.INVENTORY_MUTATIONS),
    PROVISIONING_COMMAND("io.maestro.provisioning.ProvisioningCommand.v1",
            ProvisioningCommand.class, Topics.PROVISIONING_COMMANDS),
    PROVISIONING_EVENT("io.maestro.provisioning.ProvisioningEvent.v1",
            ProvisioningEvent.class, Topics.PROVISIONING_EVENTS);

    private final String ceType;
    private final Class<? extends MaestroEvent> recordClass;
    private final String topic;

    EventType(String ceType, Class<? extends MaestroEvent> recordClass, String topic) {
        this.ceType = ceType;
        this.recordClass = recordClass;
        this.topic = topic;
    }

    public String ceType() {
        return ceType;
    }

    public Class<? extends MaestroEvent> recordClass() {
        return recordClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(Class<?> recordClass) {
        return Arrays.stream(values()).filter(t -> t.recordClass.equals(recordClass)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Maestro record: " + recordClass.getName()));
    }
}
