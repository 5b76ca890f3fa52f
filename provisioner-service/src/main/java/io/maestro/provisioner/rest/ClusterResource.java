package io.maestro.provisioner.rest;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.NodeRecord;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.rest.ApiModels.ClusterView;
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
import io.maestro.events.EventCodec;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Clusters: launch, list, stop/start, scale, exec, login, destroy (DESIGN.md section 5). Blocking: runs on workers. */
@Path("/v1/clusters")
public class ClusterResource {

    @Inject
    CommandService commands;
    @Inject
    ClusterRepository clusters;

    @POST
    public Response launch(LaunchRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "a JSON object with name and groups");
        }
        Names.require(request.name(), "name");
        if (request.groups() == null || request.groups().isEmpty()) {
            throw ProblemException.invalid("groups", "at least one group");
        }
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 0; i < request.groups().size(); i++) {
            GroupRequest group = request.groups().get(i);
            String at = "groups[" + i + "]";
            if (group == null) {
                throw ProblemException.invalid(at, "a group {tag, count, driver}");
            }
            Names.require(group.tag(), at + ".tag");
            if (group.count() == null) {
                throw ProblemException.invalid(at + ".count", "required");
            }
            if (group.count() < 0) {
                throw ProblemException.invalid(at + ".count", "must be >= 0");
            }
            if (group.driver() != null) {
                Names.require(group.driver(), at + ".driver");
            }
            groups.add(new GroupSpec(group.tag(), group.count(), group.driver(), group.options()));
        }
        ProvisioningCommand command = new ProvisioningCommand(commandId(request.commandId()), Instant.now(), ProvisioningCommand.Type.LAUNCH,
                request.name(), groups, request.sshPublicKey(), Boolean.TRUE.equals(request.dryRun()), null, null, null, null, null);
        return accepted(commands.submit(command));
    }

    @GET
    public List<ClusterView> list() {
        return clusters.list().stream().map(this::view).toList();
    }

    @GET
    @Path("/{name}")
    public ClusterView get(@PathParam("name") String name) {
        return view(requireCluster(name));
    }

    @GET
    @Path("/{name}/nodes")
    public List<NodeView> nodes(@PathParam("name") String name, @QueryParam("tag") String tag) {
        requireCluster(name);
        if (tag != null) {
            Names.require(tag, "tag");
        }
        return clusters.nodes(name, tag).stream().map(ClusterResource::view).toList();
    }

    @DELETE
    @Path("/{name}")
    public Response destroy(@PathParam("name") String name, @QueryParam("commandId") String commandId) {
        return simple(ProvisioningCommand.Type.DESTROY, name, commandId);
    }

    @POST
    @Path("/{name}/stop")
    public Response stop(@PathParam("name") String name, @QueryParam("commandId") String commandId) {
        return simple(ProvisioningCommand.Type.STOP, name, commandId);
    }

    @POST
    @Path("/{name}/start")
    public Response start(@PathParam("name") String name, @QueryParam("commandId") String commandId) {
        return simple(ProvisioningCommand.Type.START, name, commandId);
    }

    @PUT
    @Path("/{name}/groups/{tag}/count")
    public Response scale(@PathParam("name") String name, @PathParam("tag") String tag, CountRequest request) {
        ClusterRecord cluster = requireCluster(name);
        Names.require(tag, "tag");
        if (cluster.groups().stream().noneMatch(g -> g.tag().equals(tag))) {
            throw ProblemException.notFound("cluster '" + name + "' has no group '" + tag + "'");
        }
        if (request == null || request.count() == null) {
            throw ProblemException.invalid("count", "required");
        }
        if (request.count() < 0) {
            throw ProblemException.invalid("count", "must be >= 0");
        }
        return accepted(commands.submit(new ProvisioningCommand(commandId(request.commandId()), Instant.now(), ProvisioningCommand.Type.SCALE,
                name, null, null, null, tag, request.count(), null, null, null)));
    }

    @POST
    @Path("/{name}/exec")
    public ExecResponse exec(@PathParam("name") String name, ExecRequest request) {
        requireCluster(name);
        if (request == null || request.command() == null || request.command().isBlank()) {
            throw ProblemException.invalid("command", "must not be blank");
        }
        if (request.index() != null && request.tag() == null) {
            throw ProblemException.invalid("index", "needs a tag");
        }
        if (request.tag() != null) {
            Names.require(request.tag(), "tag");
        }
        CommandRecord done = commands.submitAndWait(new ProvisioningCommand(commandId(request.commandId()), Instant.now(),
                ProvisioningCommand.Type.EXEC, name, null, null, null, request.tag(), null, request.index(), request.command(), request.timeoutSeconds()));
        if (done.status().name().equals("FAILED")) {
            throw ProblemException.unprocessable(done.message());
        }
        if (done.resultJson() == null) {
            throw ProblemException.conflict("command '" + done.id() + "' is " + done.status() + "; see /v1/commands/" + done.id());
        }
        try {
            var results = EventCodec.mapper().readTree(done.resultJson()).get("results");
            return new ExecResponse(done.id(), List.of(EventCodec.mapper().treeToValue(results, ExecResult[].class)));
        } catch (Exception e) {
            throw new IllegalStateException("stored exec result is not readable", e);
        }
    }

    @GET
    @Path("/{name}/nodes/{tag}/{index}/login")
    public LoginInfo login(@PathParam("name") String name, @PathParam("tag") String tag, @PathParam("index") int index) {
        requireCluster(name);
        Names.require(tag, "tag");
        NodeRecord node = clusters.node(name, tag, index)
                .orElseThrow(() -> ProblemException.notFound("cluster '" + name + "' has no node " + tag + "/" + index));
        if (node.status() != NodeStatus.running || node.port() == null) {
            throw ProblemException.conflict("node " + tag + "/" + index + " is " + node.status() + "; start the cluster first");
        }
        String hostPattern = node.port() == 22 ? node.address() : "[" + node.address() + "]:" + node.port();
        return new LoginInfo(node.address(), node.port(), node.username(),
                "ssh -p " + node.port() + " " + node.username() + "@" + node.address(), node.hostKey(), hostPattern + " " + node.hostKey());
    }

    private Response simple(ProvisioningCommand.Type type, String name, String commandId) {
        requireCluster(name);
        return accepted(commands.submit(new ProvisioningCommand(commandId(commandId), Instant.now(), type, name,
                null, null, null, null, null, null, null, null)));
    }

    private ClusterRecord requireCluster(String name) {
        Names.require(name, "name");
        return clusters.find(name).orElseThrow(() -> ProblemException.notFound("no cluster '" + name + "'"));
    }

    private static String commandId(String given) {
        if (given == null) {
            return UUID.randomUUID().toString();
        }
        if (given.isBlank() || given.length() > 128) {
            throw ProblemException.invalid("commandId", "1 to 128 characters");
        }
        return given;
    }

    private static Response accepted(CommandRecord command) {
        return Response.accepted(new CommandAccepted(command.id(), command.status().name()))
                .location(URI.create("/v1/commands/" + command.id())).build();
    }

    private ClusterView view(ClusterRecord cluster) {
        return new ClusterView(cluster.name(), cluster.createdAt(), cluster.launchCommandId(),
                cluster.groups().stream().map(g -> new GroupView(g.tag(), g.count(), g.driver(), g.options())).toList(),
                clusters.nodes(cluster.name(), null).stream().map(ClusterResource::view).toList());
    }

    static NodeView view(NodeRecord node) {
        return new NodeView(node.tag(), node.index(), node.address(), node.username(), node.port(), node.status(), node.providerId(), node.hostKey());
    }
}
