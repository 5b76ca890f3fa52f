package io.maestro.provisioner.rest;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.NodeRecord;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.expiry.TimeToLive;
import io.maestro.provisioner.rest.ApiModels.ClusterExpiryView;
import io.maestro.provisioner.rest.ApiModels.ClusterView;
import io.maestro.provisioner.rest.ApiModels.TtlRequest;
import io.maestro.provisioner.rest.ApiModels.CommandAccepted;
import io.maestro.provisioner.rest.ApiModels.CountRequest;
import io.maestro.provisioner.rest.ApiModels.ExecRequest;
import io.maestro.provisioner.rest.ApiModels.ExecResponse;
import io.maestro.provisioner.rest.ApiModels.GroupRequest;
import io.maestro.provisioner.rest.ApiModels.GroupView;
import io.maestro.provisioner.rest.ApiModels.LaunchRequest;
import io.maestro.provisioner.rest.ApiModels.LoginInfo;
import io.maestro.provisioner.rest.ApiModels.NodeView;
import io.maestro.provisioner.service.CommandService;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.events.EventCodec;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.validation.MaestroName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.maestro.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Clusters: launch, list, stop/start, scale, exec, login, destroy (DESIGN.md section 5). Non-blocking: every method
 * answers a {@code Uni} in a Hibernate Reactive session; commands run on the command workers ({@link CommandService}).
 */
@Path("/v1/clusters")
@WithSession
@Tag(name = "clusters", description = "Launch, list, stop, start, scale, run commands on and destroy clusters of groups {tag, count, driver}")
public class ClusterResource {
    private static final String ACCEPTED = "Command accepted (or the earlier command with this commandId)";
    private static final String LOCATION = "/v1/commands/{commandId}, where the command's progress is";
    private static final String REUSED_ID = "The commandId was used for another command type or cluster";
    private static final String NO_CLUSTER = "No cluster with this name";
    private static final String EXPIRING = "The ttl ran out and the provisioner is destroying the cluster (expiryCommandId)";

    private final CommandService commands;
    private final ClusterRepository clusters;
    private final CurrentCaller caller;
    private final ProvisionerConfig config;

    public ClusterResource(CommandService commands, ClusterRepository clusters, CurrentCaller caller, ProvisionerConfig config) {
        this.commands = commands;
        this.clusters = clusters;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RequiresScope(value = "provisioner:launch", nameInBody = true)
    @Operation(operationId = "launchCluster", summary = "Launch a cluster",
            description = "Accepts a LAUNCH command and runs it in the background: every group's nodes are started through its driver "
                    + "(default 'local'). Follow it at the Location. The same commandId again answers with the earlier command "
                    + "(safe retries). commandId: " + CommandValidator.COMMAND_ID_RULE + ". ttl: the cluster is destroyed when it runs "
                    + "out, counted from its creation (" + TimeToLive.RULE + ").")
    @APIResponse(responseCode = "202", description = ACCEPTED,
            headers = @Header(name = "Location", description = LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "409", description = REUSED_ID)
    @APIResponse(responseCode = "422", description = "The launch would exceed provisioner.max-nodes-total")
    public Uni<Response> launch(@NotNull(message = "a JSON object with name and groups") @Valid LaunchRequest body) {
        // A token narrowed to other clusters launches nothing, whatever else the body says.
        caller.requireName(body.name());
        String commandId = commandId(body.commandId());
        List<GroupSpec> groups = new ArrayList<>();
        for (GroupRequest group : body.groups()) {
            if (group.minCount() != null && group.minCount() > group.count()) {
                throw ProblemException.invalid("groups[" + groups.size() + "].minCount", "at most the group's count (" + group.count() + ")");
            }
            groups.add(new GroupSpec(group.tag(), group.count(), group.driver(), group.options(), group.minCount()));
        }
        ProvisioningCommand command = new ProvisioningCommand(commandId, Instant.now(), ProvisioningCommand.Type.LAUNCH,
                body.name(), groups, body.sshPublicKey(), Boolean.TRUE.equals(body.dryRun()), null, null, null, null, null, null, body.ttl(), caller.subject());
        return commands.submit(command).map(ClusterResource::accepted);
    }

    @GET
    @RequiresScope("provisioner:read")
    @Operation(operationId = "listClusters", summary = "List clusters", description = "Every cluster with its groups and nodes.")
    @APIResponse(responseCode = "200", description = "The clusters")
    public Uni<List<ClusterView>> list() {
        return clusters.listClusters().chain(found -> clusters.allNodes().map(nodes -> found.stream()
                .map(cluster -> view(cluster, nodes.stream().filter(node -> node.cluster().equals(cluster.name())).toList())).toList()));
    }

    @GET
    @Path("/{name}")
    @RequiresScope(value = "provisioner:read", narrowedBy = "name")
    @Operation(operationId = "getCluster", summary = "Get a cluster", description = "The cluster with its groups and nodes.")
    @APIResponse(responseCode = "200", description = "The cluster")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    public Uni<ClusterView> get(@PathParam("name") @MaestroName String name) {
        return requireCluster(name).chain(cluster -> clusters.nodes(name, null).map(nodes -> view(cluster, nodes)));
    }

    @GET
    @Path("/{name}/nodes")
    @RequiresScope(value = "provisioner:read", narrowedBy = "name")
    @Operation(operationId = "listClusterNodes", summary = "List a cluster's nodes",
            description = "Nodes with address, SSH port, user, status (pending, running, stopped, terminated) and host key; ?tag= keeps one group's.")
    @APIResponse(responseCode = "200", description = "The nodes")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    public Uni<List<NodeView>> nodes(@PathParam("name") @MaestroName String name, @QueryParam("tag") @MaestroName(optional = true) String tag) {
        return requireCluster(name).chain(() -> clusters.nodes(name, tag)).map(nodes -> nodes.stream().map(ClusterResource::view).toList());
    }

    @DELETE
    @Path("/{name}")
    @RequiresScope(value = "provisioner:destroy", narrowedBy = "name")
    @Operation(operationId = "destroyCluster", summary = "Destroy a cluster",
            description = "Accepts a DESTROY command: every node is terminated, the driver cleans up, the cluster is removed. "
                    + "Follow it at the Location; ?commandId= makes retries safe.")
    @APIResponse(responseCode = "202", description = ACCEPTED,
            headers = @Header(name = "Location", description = LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = REUSED_ID)
    public Uni<Response> destroy(@PathParam("name") @MaestroName String name, @Parameter(description = ApiModels.COMMAND_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = CommandValidator.COMMAND_ID_REGEX)) @QueryParam("commandId") @CommandId String commandId) {
        return simple(ProvisioningCommand.Type.DESTROY, name, commandId);
    }

    @PUT
    @Path("/{name}/ttl")
    @RequiresScope(value = "provisioner:launch", narrowedBy = "name")
    @Operation(operationId = "setClusterTtl", summary = "Extend (or shorten) a cluster's life",
            description = "The cluster now expires ttl from now, whatever it was launched with. Refused with 409 once the ttl has run out "
                    + "and the provisioner is destroying the cluster (unless that DESTROY failed).")
    @APIResponse(responseCode = "200", description = "When the cluster now expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterExpiryView.class)))
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = EXPIRING)
    public Uni<ClusterExpiryView> setTtl(@PathParam("name") @MaestroName String name,
                                         @NotNull(message = "a JSON object with ttl") @Valid TtlRequest body) {
        Duration ttl = TimeToLive.parse(body.ttl(), "ttl", config.ttl().max());
        return changeExpiry(name, body.ttl(), ttl);
    }

    @DELETE
    @Path("/{name}/ttl")
    @RequiresScope(value = "provisioner:launch", narrowedBy = "name")
    @Operation(operationId = "removeClusterTtl", summary = "Keep a cluster until destroyed",
            description = "The cluster no longer expires. Refused with 409 once the ttl has run out and the provisioner is destroying "
                    + "the cluster (unless that DESTROY failed).")
    @APIResponse(responseCode = "200", description = "The cluster, which no longer expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterExpiryView.class)))
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = EXPIRING)
    public Uni<ClusterExpiryView> removeTtl(@PathParam("name") @MaestroName String name) {
        return changeExpiry(name, null, null);
    }

    private Uni<ClusterExpiryView> changeExpiry(String name, String ttlText, Duration ttl) {
        return Panache.withTransaction(() -> clusters.setExpiry(name, ttlText, ttl))
                .chain(changed -> requireCluster(name).invoke(cluster -> {
                    if (!changed) {
                        throw ProblemException.conflict("the ttl of cluster '" + name + "' ran out and command " + cluster.expiryCommandId()
                                + " is destroying it; see /v1/commands/" + cluster.expiryCommandId());
                    }
                }))
                .map(cluster -> new ClusterExpiryView(cluster.name(), cluster.ttl(), cluster.expiresAt(), cluster.expiryCommandId()));
    }

    @POST
    @Path("/{name}/stop")
    @RequiresScope(value = "provisioner:launch", narrowedBy = "name")
    @Operation(operationId = "stopCluster", summary = "Stop a cluster",
            description = "Accepts a STOP command: every node is stopped, disks are kept. "
                    + "Follow it at the Location; ?commandId= makes retries safe.")
    @APIResponse(responseCode = "202", description = ACCEPTED,
            headers = @Header(name = "Location", description = LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = REUSED_ID)
    public Uni<Response> stop(@PathParam("name") @MaestroName String name, @Parameter(description = ApiModels.COMMAND_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = CommandValidator.COMMAND_ID_REGEX)) @QueryParam("commandId") @CommandId String commandId) {
        return simple(ProvisioningCommand.Type.STOP, name, commandId);
    }

    @POST
    @Path("/{name}/start")
    @RequiresScope(value = "provisioner:launch", narrowedBy = "name")
    @Operation(operationId = "startCluster", summary = "Start a cluster",
            description = "Accepts a START command: stopped nodes run again with their recorded host keys. "
                    + "Follow it at the Location; ?commandId= makes retries safe.")
    @APIResponse(responseCode = "202", description = ACCEPTED,
            headers = @Header(name = "Location", description = LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = REUSED_ID)
    public Uni<Response> start(@PathParam("name") @MaestroName String name, @Parameter(description = ApiModels.COMMAND_ID,
            schema = @Schema(type = SchemaType.STRING, pattern = CommandValidator.COMMAND_ID_REGEX)) @QueryParam("commandId") @CommandId String commandId) {
        return simple(ProvisioningCommand.Type.START, name, commandId);
    }

    @PUT
    @Path("/{name}/groups/{tag}/count")
    @RequiresScope(value = "provisioner:launch", narrowedBy = "name")
    @Operation(operationId = "scaleGroup", summary = "Scale a group",
            description = "Accepts a SCALE command: the group grows (new indexes) or shrinks (the highest indexes go) to count. "
                    + "Follow it at the Location; commandId makes retries safe.")
    @APIResponse(responseCode = "202", description = ACCEPTED,
            headers = @Header(name = "Location", description = LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "404", description = "No cluster with this name, or it has no group with this tag")
    @APIResponse(responseCode = "409", description = REUSED_ID)
    public Uni<Response> scale(@PathParam("name") @MaestroName String name, @PathParam("tag") @MaestroName String tag,
                               @NotNull(message = "a JSON object with count") @Valid CountRequest body) {
        ProvisioningCommand command = new ProvisioningCommand(commandId(body.commandId()), Instant.now(), ProvisioningCommand.Type.SCALE,
                name, null, null, null, tag, body.count(), null, null, null, null, null, caller.subject());
        return requireCluster(name).chain(cluster -> {
            if (cluster.groups().stream().noneMatch(g -> g.tag().equals(tag))) {
                throw ProblemException.notFound("cluster '" + name + "' has no group '" + tag + "'");
            }
            return commands.submit(command);
        }).map(ClusterResource::accepted);
    }

    @POST
    @Path("/{name}/exec")
    @RequiresScope(value = "provisioner:exec", narrowedBy = "name")
    @Operation(operationId = "execOnCluster", summary = "Run a command on nodes",
            description = "Runs the command through each node's shell over SSH (all nodes, one tag, or one node), in parallel, and answers "
                    + "with every node's exit code and output (U+0000 in the output becomes U+FFFD), on at most forks nodes at once "
                    + "(default 32). A retry with the same commandId answers with the one run's results. .../exec/stream streams each "
                    + "node's result as it comes.")
    @APIResponse(responseCode = "200", description = "Every targeted node's result")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = "The commandId was used for another command, or its run has not finished in time")
    @APIResponse(responseCode = "422", description = "The command failed as a whole (e.g. no node matches tag and index)")
    public Uni<ExecResponse> exec(@PathParam("name") @MaestroName String name,
                                  @NotNull(message = "a JSON object with command") @Valid ExecRequest body) {
        ProvisioningCommand command = execCommand(name, body, caller.subject());
        return requireCluster(name).chain(() -> commands.submitAndWait(command)).map(ClusterResource::execResponse);
    }

    /** The EXEC command a request asks for (also {@link ExecStreamResource}'s). */
    static ProvisioningCommand execCommand(String name, ExecRequest body, String actor) {
        if (body.index() != null && body.tag() == null) {
            throw ProblemException.invalid("index", "needs a tag");
        }
        return new ProvisioningCommand(commandId(body.commandId()), Instant.now(), ProvisioningCommand.Type.EXEC, name, null, null, null,
                body.tag(), null, body.index(), body.command(), body.timeoutSeconds(), body.forks(), null, actor);
    }

    private static ExecResponse execResponse(CommandRecord done) {
        return new ExecResponse(done.id(), execResults(done));
    }

    /** Every node's result of a finished exec; a 422 when it failed as a whole, a 409 when it has not finished. */
    static List<ExecResult> execResults(CommandRecord done) {
        if (done.status().name().equals("FAILED")) {
            throw ProblemException.unprocessable(done.message());
        }
        if (done.resultJson() == null) {
            throw ProblemException.conflict("command '" + done.id() + "' is " + done.status() + "; see /v1/commands/" + done.id());
        }
        try {
            var results = EventCodec.mapper().readTree(done.resultJson()).get("results");
            return List.of(EventCodec.mapper().treeToValue(results, ExecResult[].class));
        } catch (Exception e) {
            throw new IllegalStateException("stored exec result is not readable", e);
        }
    }

    @GET
    @Path("/{name}/nodes/{tag}/{index}/login")
    @RequiresScope(value = "provisioner:exec", narrowedBy = "name")
    @Operation(operationId = "getNodeLogin", summary = "How to log in to a node",
            description = "Host, port, user, the ssh command and the known_hosts line; the user logs in with the private key matching the "
                    + "cluster's sshPublicKey.")
    @APIResponse(responseCode = "200", description = "Login details")
    @APIResponse(responseCode = "404", description = "No cluster with this name, or no such node")
    @APIResponse(responseCode = "409", description = "The node is not running")
    public Uni<LoginInfo> login(@PathParam("name") @MaestroName String name, @PathParam("tag") @MaestroName String tag,
                                @PathParam("index") int index) {
        return requireCluster(name).chain(() -> clusters.node(name, tag, index))
                .map(found -> login(found.orElseThrow(() -> ProblemException.notFound("cluster '" + name + "' has no node " + tag + "/" + index))));
    }

    private static LoginInfo login(NodeRecord node) {
        String tag = node.tag();
        int index = node.index();
        if (node.status() != NodeStatus.running || node.port() == null) {
            throw ProblemException.conflict("node " + tag + "/" + index + " is " + node.status() + "; start the cluster first");
        }
        String hostPattern = node.port() == 22 ? node.address() : "[" + node.address() + "]:" + node.port();
        return new LoginInfo(node.address(), node.port(), node.username(),
                "ssh -p " + node.port() + " " + node.username() + "@" + node.address(), node.hostKey(), hostPattern + " " + node.hostKey());
    }

    private Uni<Response> simple(ProvisioningCommand.Type type, String name, String given) {
        ProvisioningCommand command = new ProvisioningCommand(commandId(given), Instant.now(), type, name,
                null, null, null, null, null, null, null, null, null, null, caller.subject());
        return requireCluster(name).chain(() -> commands.submit(command)).map(ClusterResource::accepted);
    }

    private Uni<ClusterRecord> requireCluster(String name) {
        return clusters.findCluster(name).map(found -> found.orElseThrow(() -> ProblemException.notFound("no cluster '" + name + "'")));
    }

    /** The caller's command id (checked by {@link CommandId}), or a new UUID when none is given. */
    static String commandId(String given) {
        return given == null ? UUID.randomUUID().toString() : given;
    }

    private static Response accepted(CommandRecord command) {
        // A path segment, percent-encoded: building the header cannot fail whatever the id (the rule keeps ids plain anyway).
        return Response.accepted(new CommandAccepted(command.id(), command.status().name()))
                .location(UriBuilder.fromPath("/v1/commands").segment(command.id()).build()).build();
    }

    private static ClusterView view(ClusterRecord cluster, List<NodeRecord> nodes) {
        return new ClusterView(cluster.name(), cluster.createdAt(), cluster.launchCommandId(),
                cluster.groups().stream().map(g -> new GroupView(g.tag(), g.count(), g.driver(), g.options())).toList(),
                nodes.stream().map(ClusterResource::view).toList(), cluster.ttl(), cluster.expiresAt(), cluster.expiryCommandId());
    }

    static NodeView view(NodeRecord node) {
        return new NodeView(node.tag(), node.index(), node.address(), node.username(), node.port(), node.status(), node.providerId(), node.hostKey());
    }
}
