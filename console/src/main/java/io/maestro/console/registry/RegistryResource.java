package io.maestro.console.registry;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.registry.Instance;
import io.maestro.client.registry.Registry;
import io.maestro.console.ConsoleClients;
import io.maestro.console.Page;
import io.maestro.console.ServiceProblems;
import io.maestro.console.session.ConsoleSession;
import io.maestro.console.session.CurrentSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry: every service with its instance count (searched and paged here, not in the browser), and one
 * service's instances, kept live by relaying the registry's watch of that service to the page.
 */
@Path("/registry")
@Produces(MediaType.TEXT_HTML)
public class RegistryResource {
    static final int PAGE_SIZE = 50;

    @TemplateData
    public record InstanceRow(String instanceId, String endpoint, Map<String, String> attributes, Instant registeredAt,
                              Instant expiresAt, String health, String healthOutput, String state) {
        static InstanceRow of(Instance instance) {
            return new InstanceRow(instance.instanceId(), instance.endpoint(), new TreeMap<>(instance.attributes()),
                    instance.registeredAt(), instance.expiresAt(), instance.health() == null ? "" : instance.health(),
                    instance.healthOutput() == null ? "" : instance.healthOutput(), instance.state());
        }
    }

    @TemplateData
    public record ServiceRow(String name, long instances) {
    }

    @TemplateData
    public record Paging(String query, int page, int pages, long total) {
        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages;
        }

        public int previous() {
            return page - 1;
        }

        public int next() {
            return page + 1;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance services(Page page, List<ServiceRow> services, Paging paging);

        static native TemplateInstance service(Page page, String service, long revision, List<InstanceRow> instances);

        static native TemplateInstance service$instances(String service, long revision, List<InstanceRow> instances);

        static native TemplateInstance service$change(InstanceChange change);
    }

    private final ConsoleClients clients;
    private final CurrentSession current;

    public RegistryResource(ConsoleClients clients, CurrentSession current) {
        this.clients = clients;
        this.current = current;
    }

    @GET
    public Response services(@QueryParam("q") @DefaultValue("") String query, @QueryParam("page") @DefaultValue("1") String pageParam) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Registry", "Registry");
        String q = query.strip().toLowerCase(Locale.ROOT);
        List<ServiceRow> all = List.of();
        int status = 200;
        try {
            all = clients.registry(session.token()).services().stream()
                    .filter(s -> q.isEmpty() || s.service().toLowerCase(Locale.ROOT).contains(q))
                    .map(s -> new ServiceRow(s.service(), s.instances())).toList();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            status = ServiceProblems.status(e);
        }
        int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int number = Math.min(pages, pageNumber(pageParam));
        List<ServiceRow> shown = all.subList((number - 1) * PAGE_SIZE, Math.min(all.size(), number * PAGE_SIZE));
        return Response.status(status).entity(Templates.services(page, shown, new Paging(query.strip(), number, pages, all.size())).render()).build();
    }

    @GET
    @Path("{service}")
    public Response service(@PathParam("service") String service) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, service, "Registry");
        Registry.Service snapshot;
        try {
            snapshot = clients.registry(session.token()).service(service);
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            return Response.status(ServiceProblems.status(e)).entity(Templates.service(page, service, 0, List.of()).render()).build();
        }
        return Response.ok(Templates.service(page, service, snapshot.revision(), rows(snapshot.instances())).render()).build();
    }

    /**
     * The service's instances as HTML, once now and again after every change: Server-Sent Events named
     * {@code instances}, which the page swaps in (htmx's SSE extension). The registry's watch behind it resumes
     * after a break without losing a change, and ends when the browser leaves.
     */
    @GET
    @Path("{service}/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(@PathParam("service") String service, @Context Sse sse) {
        ConsoleSession session = current.get();
        Registry registry = clients.registry(session.token());
        registry.service(service); // a refusal (scope, name) is a 4xx here (ServiceProblemMapper), not a stream retried forever
        return Multi.createFrom().emitter(emitter -> {
            Map<String, InstanceRow> shown = new java.util.HashMap<>();
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            Registry.Watch watch = registry.watch(service, (revision, instances) -> {
                List<InstanceRow> rows = rows(instances);
                List<InstanceChange> changes = changes(shown, rows, revision);
                emitter.emit(sse.newEventBuilder().name("instances").id(Long.toString(revision))
                        .data(Templates.service$instances(service, revision, rows).render()).build());
                if (!first.getAndSet(false)) { // the first list is what the page opened on, not a change
                    changes.forEach(change -> emitter.emit(sse.newEventBuilder().name("change")
                            .data(Templates.service$change(change).render()).build()));
                }
            });
            emitter.onTermination(watch::close);
        });
    }

    /**
     * What changed from {@code shown} to {@code now} (then {@code shown} becomes {@code now}): instances that joined,
     * left, changed endpoint or attributes, or whose health or state changed. A renewed lease is no change.
     */
    static List<InstanceChange> changes(Map<String, InstanceRow> shown, List<InstanceRow> now, long revision) {
        Instant at = Instant.now();
        List<InstanceChange> changes = new ArrayList<>();
        Map<String, InstanceRow> current = new java.util.LinkedHashMap<>();
        now.forEach(row -> current.put(row.instanceId(), row));
        current.forEach((id, row) -> {
            InstanceRow before = shown.get(id);
            if (before == null) {
                changes.add(new InstanceChange(at, revision, "joined", id, row.endpoint(), attributes(row)));
            } else if (!before.endpoint().equals(row.endpoint()) || !before.attributes().equals(row.attributes())) {
                changes.add(new InstanceChange(at, revision, "changed", id, row.endpoint(), attributes(row)));
            } else if (!before.health().equals(row.health())) {
                changes.add(new InstanceChange(at, revision, "is " + row.health(), id, row.endpoint(), row.healthOutput()));
            } else if (!before.state().equals(row.state())) {
                changes.add(new InstanceChange(at, revision, "is " + row.state(), id, row.endpoint(), ""));
            }
        });
        shown.forEach((id, row) -> {
            if (!current.containsKey(id)) {
                changes.add(new InstanceChange(at, revision, "left", id, row.endpoint(), ""));
            }
        });
        shown.clear();
        shown.putAll(current);
        return changes;
    }

    private static String attributes(InstanceRow row) {
        return String.join(" ", row.attributes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static List<InstanceRow> rows(List<Instance> instances) {
        return instances.stream().map(InstanceRow::of).toList();
    }

    private String problem(MaestroApiException e) {
        return ServiceProblems.describe("registry-service" + (e.status() == 0 ? " (" + clients.registryUrls() + ")" : ""), e);
    }

    private static int pageNumber(String text) {
        try {
            return Math.max(1, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
