package io.maestro.provisioner.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.expiry.TimeToLive;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.validation.MaestroName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the v1 API (DESIGN.md section 5). */
public final class ApiModels {
    static final String TTL = "how long the cluster may live: " + TimeToLive.RULE + "; the provisioner destroys it when that runs out "
            + "(EXPIRING, then the usual events of a DESTROY); none: until destroyed";
    static final String COMMAND_ID = "idempotency key of the command; " + CommandValidator.COMMAND_ID_RULE + "; a new UUID when missing";

    private ApiModels() {
    }

    /** {@code POST /v1/clusters}. */
    public record LaunchRequest(@MaestroName String name,
                                @NotEmpty(message = "at least one group")
                                List<@NotNull(message = "a group \\{tag, count, driver\\}") @Valid GroupRequest> groups,
                                String sshPublicKey, Boolean dryRun,
                                @Schema(description = COMMAND_ID, pattern = CommandValidator.COMMAND_ID_REGEX) @CommandId String commandId,
                                @Schema(description = TTL, pattern = TimeToLive.REGEX) String ttl) {
    }

    /** {@code PUT /v1/clusters/{name}/ttl}. */
    public record TtlRequest(@Schema(description = "how long the cluster may live from now: " + TimeToLive.RULE, pattern = TimeToLive.REGEX,
            required = true) @NotNull(message = "required") String ttl) {
    }

    /** When a cluster expires: {@code ttl} and {@code expiresAt} null when it lives until destroyed. */
    public record ClusterExpiryView(String name, String ttl, Instant expiresAt,
                                    @Schema(description = "the DESTROY the provisioner issued when the ttl ran out") String expiryCommandId) {
    }

    public record GroupRequest(@MaestroName String tag,
                               @NotNull(message = "required") @Min(value = 0, message = "must be >= 0") Integer count,
                               @MaestroName(optional = true) String driver, Map<String, String> options,
                               @Schema(description = "how many of count must run for the launch to succeed when the provider has no capacity "
                                       + "for the rest (default: all); the group then keeps the nodes that run, and the launch's result says "
                                       + "why the others are missing") @Min(value = 0, message = "must be >= 0") Integer minCount) {
    }

    /** {@code PUT /v1/clusters/{name}/groups/{tag}/count}. */
    public record CountRequest(@NotNull(message = "required") @Min(value = 0, message = "must be >= 0") Integer count,
                               @Schema(description = COMMAND_ID, pattern = CommandValidator.COMMAND_ID_REGEX) @CommandId String commandId) {
    }

    /** {@code POST /v1/clusters/{name}/exec}. */
    public record ExecRequest(@MaestroName(optional = true) String tag, Integer index,
                              @NotBlank(message = "must not be blank") String command, Integer timeoutSeconds,
                              @Schema(description = "on how many nodes at once the command runs: 1 to " + CommandValidator.MAX_EXEC_FORKS
                                      + ", default " + CommandValidator.DEFAULT_EXEC_FORKS) Integer forks,
                              @Schema(description = COMMAND_ID, pattern = CommandValidator.COMMAND_ID_REGEX) @CommandId String commandId) {
    }

    public record ExecResponse(String commandId, List<ExecResult> results) {
    }

    /** The last event of {@code POST /v1/clusters/{name}/exec/stream}: how many nodes ran it and how many exited 0. */
    public record ExecDone(String commandId, int nodes, long exitedZero) {
    }

    public record CommandAccepted(String commandId, String status) {
    }

    public record NodeView(String tag, int index, String address, String username, Integer port, NodeStatus status, String providerId,
                           String hostKey) {
    }

    public record GroupView(String tag, int count, String driver, Map<String, String> options) {
    }

    public record ClusterView(String name, Instant createdAt, String launchCommandId, List<GroupView> groups, List<NodeView> nodes,
                              @Schema(description = "the ttl given at launch or by the last PUT .../ttl; null: lives until destroyed") String ttl,
                              @Schema(description = "when the provisioner destroys the cluster; null: never") Instant expiresAt,
                              @Schema(description = "the DESTROY the provisioner issued when the ttl ran out") String expiryCommandId) {
    }

    /** Per-node progress of a command: the last event seen for each node. */
    public record NodeProgress(String tag, int index, String event, NodeStatus status) {
    }

    /** {@code actor}: the subject of the token that issued the command (REST or Kafka); null for commands from before access control. */
    public record CommandView(String commandId, String type, String cluster,
                              @Schema(description = "who issued the command: the subject of its bearer token") String actor,
                              String status, String runner, String message, Instant createdAt,
                              Instant updatedAt, List<NodeProgress> nodes, @JsonRawValue String result) {
    }

    /**
     * How a user logs in to a node with the private key matching the cluster's {@code sshPublicKey}; {@code knownHosts}
     * is the line to add to {@code ~/.ssh/known_hosts} so the client verifies the node's host key.
     */
    public record LoginInfo(String host, int port, String username, String command, String hostKey, String knownHosts) {
    }
}
