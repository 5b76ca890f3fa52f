package io.maestro.console.provisioner;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.provisioner.Cluster;
import io.maestro.client.provisioner.LaunchPlan;
import io.maestro.client.provisioner.Clusters;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Login;
import io.maestro.client.provisioner.Progress;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.console.ConsoleClients;
import io.maestro.console.Page;
import io.maestro.console.ServiceProblems;
import io.maestro.console.session.ConsoleSession;
import io.maestro.console.session.CurrentSession;
import io.maestro.console.session.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The provisioner: clusters with their groups and nodes; a launch form whose dry run shows the plan first; a
 * command's progress as a timeline, live; exec on a cluster, a tag or one node with each node's exit code and
 * output; the ssh login line of a node; destroying a cluster. Forms carry the session's CSRF secret.
 */
@Path("/provisioner")
@Produces(MediaType.TEXT_HTML)
public class ProvisionerResource {
    /** Rows of the launch form. */
    static final int GROUP_ROWS = 3;
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(120);

    @TemplateData
    public record ClusterRow(String name, String createdAt, String groups, Map<String, Long> statuses, int nodes, String expiresAt,
                             boolean expiring) {
    }

    @TemplateData
    public record GroupRow(String tag, String count, String driver) {
    }

    @TemplateData
    public record LaunchForm(String name, List<GroupRow> groups, String sshPublicKey, String ttl) {
    }

    @TemplateData
    public record Step(String type, String node, String status, String address, String message) {
    }

    @TemplateData
    public record Abilities(boolean launch, boolean exec, boolean destroy) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance clusters(Page page, List<ClusterRow> clusters, Abilities may);

        static native TemplateInstance launch(Page page, LaunchForm form, String error, LaunchPlan plan);

        static native TemplateInstance command(Page page, Clusters.Command command);

        static native TemplateInstance timeline(List<Step> steps);

        static native TemplateInstance outcome(String status, String message, String cluster);

        static native TemplateInstance cluster(Page page, Cluster cluster, Abilities may, String execCommand, String execTarget,
                                               List<ExecResult> results, String error);

        static native TemplateInstance login(Page page, String cluster, Login login);
    }

    private final ConsoleClients clients;
    private final CurrentSession current;

    public ProvisionerResource(ConsoleClients clients, CurrentSession current) {
        this.clients = clients;
        this.current = current;
    }

    @GET
    public Response clusters() {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Provisioner", "Provisioner");
        List<ClusterRow> rows = List.of();
        int status = 200;
        try {
            rows = clients.clusters(session.token()).list().stream().map(ProvisionerResource::row).toList();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            status = ServiceProblems.status(e);
        }
        return Response.status(status).entity(Templates.clusters(page, rows, abilities(session)).render()).build();
    }

    @GET
    @Path("launch")
    public String launchForm() {
        ConsoleSession session = current.get();
        List<GroupRow> groups = new ArrayList<>(List.of(new GroupRow("master", "1", "local"), new GroupRow("worker", "2", "local")));
        while (groups.size() < GROUP_ROWS) {
            groups.add(new GroupRow("", "", "local"));
        }
        return Templates.launch(Page.of(session, "Launch a cluster", "Provisioner"), new LaunchForm("", groups, "", ""), null, null).render();
    }

    /**
     * {@code action=dry-run}: the provisioner checks the launch and creates nothing; the form comes back with the plan.
     * {@code action=launch}: the launch is handed over and the browser goes to its live progress.
     */
    @POST
    @Path("launch")
    public Response launch(@FormParam("csrf") String csrf, @FormParam("action") String action, @FormParam("name") String name,
                           @FormParam("tag") List<String> tags, @FormParam("count") List<String> counts,
                           @FormParam("driver") List<String> drivers, @FormParam("sshPublicKey") String sshPublicKey,
                           @FormParam("ttl") String ttl) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Launch a cluster", "Provisioner");
        Sessions.requireCsrf(session, csrf);
        String cluster = name == null ? "" : name.strip();
        List<GroupRow> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(GROUP_ROWS, tags == null ? 0 : tags.size()); i++) {
            rows.add(new GroupRow(tags.get(i).strip(), at(counts, i), at(drivers, i).isEmpty() ? "local" : at(drivers, i)));
        }
        LaunchForm form = new LaunchForm(cluster, rows, sshPublicKey == null ? "" : sshPublicKey.strip(), ttl == null ? "" : ttl.strip());
        try {
            Tinycloud.Builder builder = clients.tinycloud(session.token(), cluster, EXEC_TIMEOUT);
            boolean any = false;
            for (GroupRow row : rows) {
                if (row.tag().isEmpty() && row.count().isEmpty()) {
                    continue;
                }
                int count;
                try {
                    count = Integer.parseInt(row.count());
                } catch (NumberFormatException e) {
                    return Response.status(400).entity(Templates.launch(page, form,
                            "count of group '" + row.tag() + "': must be a whole number", null).render()).build();
                }
                builder.group(row.tag(), count, row.driver().equals("local") ? Driver.local() : new Driver(row.driver(), Map.of()));
                any = true;
            }
            if (!any) {
                return Response.status(400).entity(Templates.launch(page, form, "groups: give at least one group (a tag and a count)", null).render()).build();
            }
            if (!form.sshPublicKey().isEmpty()) {
                builder.sshPublicKey(form.sshPublicKey());
            }
            if (!form.ttl().isEmpty()) {
                builder.ttl(form.ttl());
            }
            Tinycloud tinycloud = builder.build();
            if ("launch".equals(action)) {
                String commandId = tinycloud.submitLaunch(false);
                return Response.seeOther(URI.create("/provisioner/commands/" + commandId)).build();
            }
            // The plan: each group's calls and cost; a launch the provisioner refuses comes back as the form's error.
            return Response.ok(Templates.launch(page, form, null, tinycloud.plan()).render()).build();
        } catch (MaestroApiException e) {
            return Response.status(ServiceProblems.status(e)).entity(Templates.launch(page, form, fieldErrors(e), null).render()).build();
        }
    }

    @GET
    @Path("commands/{id}")
    public Response command(@PathParam("id") String id) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Command", "Provisioner");
        try {
            Clusters.Command command = clients.clusters(session.token()).command(id);
            return Response.ok(Templates.command(Page.of(session, command.type() + " " + command.cluster(), "Provisioner"), command).render()).build();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            return Response.status(ServiceProblems.status(e)).entity(Templates.command(page, null).render()).build();
        }
    }

    /**
     * The command's progress: after each step, the whole timeline so far ({@code timeline}, so a reconnecting page
     * never shows a step twice), and at the end how it ended ({@code done}, which closes the stream).
     */
    @GET
    @Path("commands/{id}/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(@PathParam("id") String id, @Context Sse sse) {
        ConsoleSession session = current.get();
        Clusters.Command command = clients.clusters(session.token()).command(id); // a refusal is a 4xx here
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
            List<Step> steps = new CopyOnWriteArrayList<>();
            Tinycloud tinycloud = clients.tinycloud(session.token(), command.cluster(), EXEC_TIMEOUT).onProgress(progress -> {
                if (!emitter.isCancelled()) {
                    steps.add(step(progress));
                    emitter.emit(sse.newEventBuilder().name("timeline").data(Templates.timeline(List.copyOf(steps)).render()).build());
                }
            }).build();
            try {
                CommandOutcome outcome = tinycloud.follow(id);
                emitter.emit(sse.newEventBuilder().name("done")
                        .data(Templates.outcome(outcome.status(), outcome.message(), command.cluster()).render()).build());
                emitter.complete();
            } catch (MaestroApiException e) {
                emitter.emit(sse.newEventBuilder().name("done")
                        .data(Templates.outcome("UNKNOWN", problem(e), command.cluster()).render()).build());
                emitter.complete();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @GET
    @Path("clusters/{name}")
    public Response cluster(@PathParam("name") String name) {
        return clusterPage(name, null, null, null, null, 200);
    }

    @POST
    @Path("clusters/{name}/exec")
    public Response exec(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("command") String command,
                         @FormParam("target") String target) {
        ConsoleSession session = current.get();
        Sessions.requireCsrf(session, csrf);
        String what = command == null ? "" : command.strip();
        String on = target == null ? "" : target.strip();
        if (what.isEmpty()) {
            return clusterPage(name, what, on, null, "command: give a command to run", 400);
        }
        String tag = null;
        Integer index = null;
        if (!on.isEmpty()) {
            int slash = on.lastIndexOf('/');
            tag = slash < 0 ? on : on.substring(0, slash);
            if (slash >= 0) {
                try {
                    index = Integer.parseInt(on.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return clusterPage(name, what, on, null, "target: a tag, or tag/index (worker/0)", 400);
                }
            }
        }
        try {
            List<ExecResult> results = clients.tinycloud(session.token(), name, EXEC_TIMEOUT).build().execute(tag, index, what, EXEC_TIMEOUT);
            return clusterPage(name, what, on, results, null, 200);
        } catch (MaestroApiException e) {
            return clusterPage(name, what, on, null, fieldErrors(e), ServiceProblems.status(e));
        }
    }

    @POST
    @Path("clusters/{name}/destroy")
    public Response destroy(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("confirm") String confirm) {
        ConsoleSession session = current.get();
        Sessions.requireCsrf(session, csrf);
        if (!name.equals(confirm)) {
            return clusterPage(name, null, null, null, "confirm: type the cluster's name to destroy it", 400);
        }
        try {
            String commandId = clients.tinycloud(session.token(), name, EXEC_TIMEOUT).build().submitDestroy();
            return Response.seeOther(URI.create("/provisioner/commands/" + commandId)).build();
        } catch (MaestroApiException e) {
            return clusterPage(name, null, null, null, fieldErrors(e), ServiceProblems.status(e));
        }
    }

    @GET
    @Path("clusters/{name}/nodes/{tag}/{index}/login")
    public Response login(@PathParam("name") String name, @PathParam("tag") String tag, @PathParam("index") int index) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Log in to " + tag + " " + index + " of " + name, "Provisioner");
        try {
            Login login = clients.tinycloud(session.token(), name, EXEC_TIMEOUT).build().loginDetails(tag, index);
            return Response.ok(Templates.login(page, name, login).render()).build();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            return Response.status(ServiceProblems.status(e)).entity(Templates.login(page, name, null).render()).build();
        }
    }

    private Response clusterPage(String name, String command, String target, List<ExecResult> results, String error, int status) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, name, "Provisioner");
        try {
            Cluster cluster = clients.tinycloud(session.token(), name, EXEC_TIMEOUT).build().describe();
            return Response.status(status).entity(Templates.cluster(page, cluster, abilities(session), command, target, results, error).render()).build();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            return Response.status(ServiceProblems.status(e)).entity(Templates.cluster(page, null, abilities(session), command, target, null, error).render()).build();
        }
    }

    static ClusterRow row(Cluster cluster) {
        Map<String, Long> statuses = new TreeMap<>();
        cluster.nodes().forEach(node -> statuses.merge(node.status() == null ? "unknown" : node.status().toLowerCase(), 1L, Long::sum));
        String groups = String.join(", ", cluster.groups().stream().map(g -> g.tag() + " ×" + g.count() + " (" + g.driver() + ")").toList());
        return new ClusterRow(cluster.name(), cluster.createdAt(), groups, statuses, cluster.nodes().size(), cluster.expiresAt(),
                cluster.expiryCommandId() != null);
    }

    static Step step(Progress progress) {
        String node = progress.tag() == null ? null : progress.tag() + " " + progress.index();
        String address = progress.address() == null ? null : progress.address() + (progress.port() == null ? "" : ":" + progress.port());
        return new Step(progress.type(), node, progress.status(), address, progress.message());
    }

    private static Abilities abilities(ConsoleSession session) {
        return new Abilities(session.may("provisioner:launch"), session.may("provisioner:exec"), session.may("provisioner:destroy"));
    }

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() || values.get(i) == null ? "" : values.get(i).strip();
    }

    /** A refusal as the provisioner worded it, each field error with its rule. */
    private static String fieldErrors(MaestroApiException e) {
        return ServiceProblems.forForm("provisioner-service", e);
    }

    private static String problem(MaestroApiException e) {
        return ServiceProblems.describe("provisioner-service", e);
    }
}
