package io.maestro.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An instruction to the provisioner, published by its REST API, the CLI or anyone. Fields beyond
 * {@code commandId, occurredAt, type, cluster} are those of the matching REST body and are null when unused.
 * {@code forks} (EXEC only): on how many nodes at once the command runs (default 32).
 * {@code ttl} (LAUNCH only): how long the cluster may live, a duration such as {@code 15s}, {@code 8h} or {@code 1h30m};
 * the provisioner destroys it when that runs out.
 */
public record ProvisioningCommand(
        String commandId,
        Instant occurredAt,
        Type type,
        String cluster,
        List<GroupSpec> groups,
        String sshPublicKey,
        Boolean dryRun,
        String tag,
        Integer count,
        Integer index,
        String command,
        Integer timeoutSeconds,
        Integer forks,
        String ttl,
        String actor) implements MaestroEvent {
    /**
     * The Kafka record header that carries the issuer's bearer token ({@code Bearer <token>}); the provisioner checks
     * it like a REST call, and a command without a valid one goes to the DLQ and runs nothing.
     */
    public static final String AUTHORIZATION_HEADER = "authorization";


    public ProvisioningCommand {
        Require.text(commandId, "commandId");
        Require.present(occurredAt, "occurredAt");
        Require.present(type, "type");
        Require.name(cluster, "cluster");
        groups = groups == null ? null : List.copyOf(groups);
        switch (type) {
            case LAUNCH -> {
                if (groups == null || groups.isEmpty()) {
                    throw new InvalidEventException("LAUNCH needs field 'groups' with at least one group");
                }
            }
            case SCALE -> {
                Require.name(tag, "tag");
                Require.present(count, "count");
                if (count < 0) {
                    throw new InvalidEventException("field 'count' must be >= 0 but was " + count);
                }
            }
            case EXEC -> Require.text(command, "command");
            default -> {
            }
        }
    }

    @Override
    public String eventId() {
        return commandId;
    }

    @Override
    public String subject() {
        return cluster;
    }

    public enum Type { LAUNCH, DESTROY, SCALE, STOP, START, EXEC }

    /**
     * A group of identical nodes, tinycloud's {@code {tag, count, driver}}. {@code minCount} (null: all of {@code count})
     * is how many must run for the launch to succeed when the provider lacks capacity for the rest.
     */
    public record GroupSpec(String tag, @JsonProperty(required = true) int count, String driver, Map<String, String> options, Integer minCount) {
        public GroupSpec {
            Require.name(tag, "groups[].tag");
            if (count < 0) {
                throw new InvalidEventException("field 'groups[].count' must be >= 0 but was " + count);
            }
            if (minCount != null && (minCount < 0 || minCount > count)) {
                throw new InvalidEventException("field 'groups[].minCount' must be between 0 and the group's count (" + count + ") but was " + minCount);
            }
            driver = driver == null ? "local" : driver;
            Require.name(driver, "groups[].driver");
            options = options == null ? Map.of() : Map.copyOf(options);
        }

        /** A group whose nodes must all run. */
        public GroupSpec(String tag, int count, String driver, Map<String, String> options) {
            this(tag, count, driver, options, null);
        }

        /** How many nodes must run: {@code minCount}, or all. */
        public int required() {
            return minCount == null ? count : minCount;
        }
    }

    public static ProvisioningCommand launch(String commandId, String cluster, List<GroupSpec> groups, String sshPublicKey, boolean dryRun) {
        return new ProvisioningCommand(commandId, Instant.now(), Type.LAUNCH, cluster, groups, sshPublicKey, dryRun,
                null, null, null, null, null, null, null, null);
    }

    public static ProvisioningCommand destroy(String commandId, String cluster) {
        return new ProvisioningCommand(commandId, Instant.now(), Type.DESTROY, cluster, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /** This command as issued by {@code actor} (the subject of the issuer's token). */
    public ProvisioningCommand withActor(String actor) {
        return new ProvisioningCommand(commandId, occurredAt, type, cluster, groups, sshPublicKey, dryRun, tag, count, index,
                command, timeoutSeconds, null, ttl, actor);
    }
}
