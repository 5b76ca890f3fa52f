package io.maestro.console.overview;

import io.maestro.client.events.SuiteEvent;
import io.maestro.events.EventType;
import io.maestro.client.health.Readiness;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.registry.Instance;
import io.maestro.client.registry.Registry;
import io.maestro.console.ConsoleClients;
import io.maestro.console.Page;
import io.maestro.console.session.ConsoleSession;
import io.maestro.console.session.CurrentSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The suite at a glance: the four services as they registered themselves ({@code maestro.*}), each replica with its
 * readiness (its own {@code /q/health/ready}) and whether it is the one relaying its service's events to Kafka.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {
    /** The suite's services, by the names they register under, in the order shown. */
    static final List<String> SUITE = List.of("maestro.registry", "maestro.election", "maestro.inventory", "maestro.provisioner");

    @TemplateData
    public record Replica(String instanceId, String endpoint, String version, Instant registeredAt, Instant expiresAt,
                          String readiness, boolean relaying, String problem) {
        public boolean ready() {
            return "UP".equals(readiness);
        }
    }

    @TemplateData
    public record SuiteService(String name, List<Replica> replicas, String problem) {
        public long readyCount() {
            return replicas.stream().filter(Replica::ready).count();
        }
    }

    /** How much of an event's line the overview shows. */
    static final int SUMMARY_CHARS = 300;

    /** One event as the overview lists it. */
    @TemplateData
    public record EventRow(Instant at, String key, String type, String summary, boolean deadLetter) {
        static EventRow of(SuiteEvent event) {
            String type = event.deadLetterReason() != null ? "dead letter" : event.type() == null ? ""
                    : EventType.ofCeType(event.type()).map(t -> t.recordClass().getSimpleName()).orElse(event.type());
            String summary = event.summary();
            if (summary.length() > SUMMARY_CHARS) { // a registry change lists every instance: 500 make 20 KiB
                summary = summary.substring(0, SUMMARY_CHARS) + " …";
            }
            return new EventRow(event.timestamp(), event.key(), type, summary, event.deadLetterReason() != null);
        }
    }

    @TemplateData
    public record TopicRows(String topic, List<EventRow> events) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(Page page, List<SuiteService> services, List<TopicRows> topics, String eventsProblem);

        static native TemplateInstance overview$events(List<TopicRows> topics, String eventsProblem);
    }

    /** How often a live overview looks for new events (it redraws only when there are). */
    static final Duration EVENTS_REFRESH = Duration.ofMillis(500);

    /** Readiness is asked of every replica at once; each answers within the request timeout. */
    private static final ExecutorService PROBES = Executors.newFixedThreadPool(8, r -> {
        Thread thread = new Thread(r, "console-readiness");
        thread.setDaemon(true);
        return thread;
    });

    private final ConsoleClients clients;
    private final CurrentSession current;
    private final RecentEvents recentEvents;

    public OverviewResource(ConsoleClients clients, CurrentSession current, RecentEvents recentEvents) {
        this.clients = clients;
        this.current = current;
        this.recentEvents = recentEvents;
    }

    @GET
    public String overview() {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Overview", "Overview");
        List<SuiteService> services = new ArrayList<>();
        if (!session.may("registry:read")) {
            page.banner("This token cannot read the registry (registry:read), where the suite's services are listed.");
        } else {
            Registry registry = clients.registry(session.token());
            for (String name : SUITE) {
                services.add(service(registry, name, page));
            }
        }
        return Templates.overview(page, services, topics(session), recentEvents.problem()).render();
    }

    /**
     * The latest events of every topic the session may read, as HTML: once now and again whenever new ones came
     * (Server-Sent Events named {@code events}, which the overview swaps in).
     */
    @GET
    @Path("events/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> liveEvents(@Context Sse sse) {
        ConsoleSession session = current.get();
        AtomicLong drawn = new AtomicLong(-1);
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(EVENTS_REFRESH)
                .onOverflow().drop()
                .map(tick -> recentEvents.version())
                .select().where(version -> drawn.getAndSet(version) != version)
                .map(version -> sse.newEventBuilder().name("events").id(Long.toString(version))
                        .data(Templates.overview$events(topics(session), recentEvents.problem()).render()).build());
    }

    private List<TopicRows> topics(ConsoleSession session) {
        return recentEvents.visibleTo(session).stream()
                .map(t -> new TopicRows(t.topic(), t.events().stream().map(EventRow::of).toList())).toList();
    }

    private SuiteService service(Registry registry, String name, Page page) {
        List<Instance> instances;
        try {
            instances = registry.service(name).instances();
        } catch (MaestroApiException e) {
            String problem = e.status() == 0 ? "the registry cannot be reached at " + clients.registryUrls() : e.getMessage();
            if (e.status() == 0 && page.banners().stream().noneMatch(b -> b.startsWith("registry-service"))) {
                page.banner("registry-service is unreachable (" + clients.registryUrls() + "): " + e.getMessage());
            }
            return new SuiteService(name, List.of(), problem);
        }
        if (instances.isEmpty()) {
            page.banner(name + " has no live replica: it is down, or has not registered yet.");
        }
        List<CompletableFuture<Replica>> probes = instances.stream()
                .map(instance -> CompletableFuture.supplyAsync(() -> replica(instance), PROBES)).toList();
        List<Replica> replicas = probes.stream().map(CompletableFuture::join).toList();
        replicas.stream().filter(r -> !r.ready()).forEach(r ->
                page.banner(name + " replica " + r.instanceId() + " at " + r.endpoint() + " is not ready: " + r.problem()));
        return new SuiteService(name, replicas, null);
    }

    private Replica replica(Instance instance) {
        String readiness;
        boolean relaying = false;
        String problem = null;
        try {
            Readiness.Report report = clients.readiness().of(URI.create(instance.endpoint()));
            readiness = report.status();
            relaying = Boolean.TRUE.equals(report.data("activeRelay").orElse(false));
            if (!report.up()) {
                problem = String.join("; ", report.checks().stream().filter(check -> !check.up())
                        .map(check -> check.name() + " DOWN" + check.data().values().stream().findFirst().map(v -> ": " + v).orElse(""))
                        .toList());
            }
        } catch (MaestroApiException | IllegalArgumentException e) {
            readiness = "UNREACHABLE";
            problem = e.getMessage();
        }
        return new Replica(instance.instanceId(), instance.endpoint(), instance.attribute("version"), instance.registeredAt(),
                instance.expiresAt(), readiness, relaying, problem);
    }
}
