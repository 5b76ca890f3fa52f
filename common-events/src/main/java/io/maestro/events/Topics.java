package io.maestro.events;

import java.util.List;

/** Every Kafka topic of the suite. Names are constants so they can be used in annotations. */
public final class Topics {
    /** Key: service name. Value: {@link ServiceMembershipChanged}. */
    public static final String REGISTRY_CHANGES = "maestro.registry.changes";
    /** Key: {@code group} or {@code group/key}. Value: {@link LeadershipChanged}. */
    public static final String ELECTION_LEADERSHIP = "maestro.election.leadership";
    /** Key: entity id. Value: {@link InventoryMutation}. */
    public static final String INVENTORY_MUTATIONS = "maestro.inventory.mutations";
    /** Key: cluster name. Value: {@link ProvisioningCommand}. */
    public static final String PROVISIONING_COMMANDS = "maestro.provisioning.commands";
    /** Key: cluster name. Value: {@link ProvisioningEvent}. */
    public static final String PROVISIONING_EVENTS = "maestro.provisioning.events";

    /**
     * Compacted. Key: token id ({@code jti}). Value: {@link TokenRecord}, the token's subject, scopes and expiry and,
     * once revoked, when. Every replica of every service follows it to refuse revoked tokens; {@code maestro token
     * list} reads it. The tokens themselves are never written anywhere.
     */
    public static final String AUTH_TOKENS = "maestro.auth.tokens";

    /** Suffix of the dead-letter topic of each topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    public static final String REGISTRY_CHANGES_DLQ = REGISTRY_CHANGES + DLQ_SUFFIX;
    public static final String ELECTION_LEADERSHIP_DLQ = ELECTION_LEADERSHIP + DLQ_SUFFIX;
    public static final String INVENTORY_MUTATIONS_DLQ = INVENTORY_MUTATIONS + DLQ_SUFFIX;
    public static final String PROVISIONING_COMMANDS_DLQ = PROVISIONING_COMMANDS + DLQ_SUFFIX;
    public static final String PROVISIONING_EVENTS_DLQ = PROVISIONING_EVENTS + DLQ_SUFFIX;

    /** The main topics, in the order of DESIGN.md section 3. */
    public static final List<String> ALL = List.of(
            REGISTRY_CHANGES, ELECTION_LEADERSHIP, INVENTORY_MUTATIONS, PROVISIONING_COMMANDS, PROVISIONING_EVENTS);

    public static String deadLetterOf(String topic) {
        return topic + DLQ_SUFFIX;
    }

    private Topics() {
    }
}
