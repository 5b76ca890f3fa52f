package io.maestro.console.election;

import io.maestro.client.election.Election;
import io.maestro.client.http.MaestroApiException;
import io.maestro.console.ConsoleClients;
import io.maestro.console.Page;
import io.maestro.console.ServiceProblems;
import io.maestro.console.session.ConsoleSession;
import io.maestro.console.session.CurrentSession;
import io.maestro.events.LeadershipChanged;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
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

import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The election service: a group's leader with its fencing token, the candidates eldest first with their leases
 * counting down, which candidate holds each key, and the group's leadership history, all kept live from the
 * group's event stream.
 */
@Path("/election")
@Produces(MediaType.TEXT_HTML)
public class ElectionResource {
    /** The newest leadership changes a page keeps. */
    static final int HISTORY = 200;
    /** A burst of changes (the replay when a page opens) is drawn at most this often. */
    private static final long REDRAW_MILLIS = 300;
    private static final ScheduledExecutorService REDRAWS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-election-redraw");
        thread.setDaemon(true);
        return thread;
    });

    @TemplateData
    public record Leader(String candidateId, long fencingToken, Instant since) {
    }

    @TemplateData
    public record CandidateRow(String candidateId, Instant joinedAt, Instant leaseExpiresAt, long ttlMillis, String keys,
                               boolean leader) {
    }

    @TemplateData
    public record KeyRow(String key, String owner, Long fencingToken, Instant since, String handingOverTo, Instant releaseAt) {
    }

    @TemplateData
    public record GroupView(String group, Leader leader, List<CandidateRow> candidates, List<KeyRow> keys) {
    }

    @TemplateData
    public record Change(Instant occurredAt, String key, String leader, String previousLeader, long fencingToken, String reason) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance election(Page page, String prefix, List<String> groups, boolean truncated);

        static native TemplateInstance group(Page page, String group, String stateHtml);

        static native TemplateInstance state(GroupView view);

        static native TemplateInstance history(List<Change> changes);
    }

    private final ConsoleClients clients;
    private final CurrentSession current;

    public ElectionResource(ConsoleClients clients, CurrentSession current) {
        this.clients = clients;
        this.current = current;
    }

    /** The groups with a live candidate, those starting with {@code prefix} when given; a group's name goes to its page. */
    @GET
    public Response election(@QueryParam("group") String group, @QueryParam("prefix") String prefix) {
        if (group != null && !group.isBlank()) {
            return Response.seeOther(URI.create("/election/groups/" + io.maestro.console.TemplateExtensions.urlEncode(group.strip()))).build();
        }
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Election", "Election");
        String start = prefix == null ? "" : prefix.strip();
        try {
            Election.Groups groups = clients.election(session.token()).groups(start);
            return Response.ok(Templates.election(page, start, groups.groups(), groups.truncated()).render()).build();
        } catch (MaestroApiException e) {
            page.banner(ServiceProblems.describe("election-service", e));
            return Response.status(ServiceProblems.status(e)).entity(Templates.election(page, start, List.of(), false).render()).build();
        }
    }

    @GET
    @Path("groups/{group}")
    public Response group(@PathParam("group") String group) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, group, "Election");
        try {
            Election.Group state = clients.election(session.token()).group(group);
            return Response.ok(Templates.group(page, group, Templates.state(view(state)).render()).render()).build();
        } catch (MaestroApiException e) {
            page.banner(ServiceProblems.describe("election-service", e));
            return Response.status(ServiceProblems.status(e))
                    .entity(Templates.group(page, group, "").render()).build();
        }
    }

    /**
     * The group kept live: its state ({@code state}) and its history newest first ({@code history}), drawn again
     * after each leadership change (the history replayed first, from what the service still keeps).
     */
    @GET
    @Path("groups/{group}/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(@PathParam("group") String group, @Context Sse sse) {
        ConsoleSession session = current.get();
        Election election = clients.election(session.token());
        election.group(group); // a refusal (scope, name) is a 4xx here, not a stream retried forever
        return Multi.createFrom().emitter(emitter -> {
            Deque<Change> history = new ArrayDeque<>();
            AtomicBoolean changed = new AtomicBoolean(true);
            AutoCloseable watch = election.watch(group, "0-0", event -> {
                synchronized (history) {
                    history.addFirst(change(event));
                    if (history.size() > HISTORY) {
                        history.removeLast();
                    }
                }
                changed.set(true);
            });
            long opened = System.nanoTime();
            ScheduledFuture<?> redraw = REDRAWS.scheduleWithFixedDelay(() -> {
                if (!changed.getAndSet(false) || emitter.isCancelled()) {
                    return;
                }
                try {
                    String state = Templates.state(view(election.group(group))).render();
                    List<Change> changes;
                    synchronized (history) {
                        changes = List.copyOf(history);
                    }
                    emitter.emit(sse.newEventBuilder().name("state").data(state).build());
                    if (changes.isEmpty() && System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(2)) {
                        changed.set(true); // the replay may not have arrived yet: "none" only once it had time to
                        return;
                    }
                    emitter.emit(sse.newEventBuilder().name("history").data(Templates.history(changes).render()).build());
                } catch (MaestroApiException e) {
                    changed.set(true); // drawn again at the next tick
                }
            }, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> {
                redraw.cancel(false);
                try {
                    watch.close();
                } catch (Exception e) {
                    // the watch's thread ends either way
                }
            });
        });
    }

    static GroupView view(Election.Group group) {
        String leader = group.leader() == null ? null : group.leader().candidateId();
        List<CandidateRow> candidates = group.candidates().stream()
                .map(c -> new CandidateRow(c.candidateId(), c.joinedAt(), c.leaseExpiresAt(), c.ttlMillis(),
                        String.join(", ", c.keys() == null ? List.of() : c.keys()), c.candidateId().equals(leader))).toList();
        List<KeyRow> keys = new TreeMap<>(group.keys()).entrySet().stream()
                .map(e -> new KeyRow(e.getKey(), e.getValue().owner(), e.getValue().fencingToken(), e.getValue().since(),
                        e.getValue().handingOverTo(), e.getValue().releaseAt())).toList();
        return new GroupView(group.group(), group.leader() == null ? null
                : new Leader(group.leader().candidateId(), group.leader().fencingToken(), group.leader().since()), candidates, keys);
    }

    static Change change(LeadershipChanged event) {
        return new Change(event.occurredAt(), event.key(), event.leader(), event.previousLeader(), event.fencingToken(),
                event.reason() == null ? null : event.reason().name());
    }
}
