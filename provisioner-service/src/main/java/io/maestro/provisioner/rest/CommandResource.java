package io.maestro.provisioner.rest;

import io.maestro.events.EventCodec;
import io.maestro.support.watch.PgChannelListener;
import io.maestro.support.watch.WatchEvent;
import io.maestro.support.watch.WatchHub;
import io.maestro.support.watch.WatchSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.ArrayList;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.repository.CommandRepository.StoredEvent;
import io.maestro.provisioner.rest.ApiModels.CommandView;
import io.maestro.provisioner.rest.ApiModels.NodeProgress;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A command's status with per-node progress, and its events as Server-Sent Events. */
@Path("/v1/commands")
@Singleton
@Tag(name = "commands", description = "Progress of provisioning commands: status, per-node progress and their events")
public class CommandResource {
    /** The channel of V4's trigger: each committed command event notifies its command id. */
    static final String CHANNEL = "maestro_command_events";

    private final CommandRepository commands;
    private final WatchHub hub;
    private final PgChannelListener listener;

    // Events are read back from PostgreSQL (CommandRepository.eventsAfter), so a stream works on any replica, whichever
    // one runs the command; each replica is woken by the commit itself (LISTEN on one connection), never by polling.
    public CommandResource(CommandRepository commands, Vertx vertx, Pool pool, ProvisionerConfig config) {
        this.commands = commands;
        this.hub = new WatchHub(vertx.getDelegate(), this::read, "command",
                new WatchHub.Settings(config.watch().keepAlive(), config.watch().buffer(), Duration.ZERO));
        this.listener = new PgChannelListener(vertx.getDelegate(), pool.getDelegate(), CHANNEL, Duration.ofSeconds(1), hub::wake, hub::wakeAll);
    }

    void start(@Observes StartupEvent startup) {
        listener.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        listener.close();
        hub.close();
    }

    @GET
    @Path("/{commandId}")
    @RequiresScope("provisioner:read")
    @Operation(operationId = "getCommand", summary = "Get a command",
            description = "Status (ACCEPTED, RUNNING, SUCCEEDED, FAILED), who issued it (actor), the replica running it, per-node progress and the result. "
                    + "commandId: " + CommandValidator.COMMAND_ID_RULE + ".")
    @APIResponse(responseCode = "200", description = "The command")
    @APIResponse(responseCode = "404", description = "No command with this id")
    @WithSession
    public Uni<CommandView> get(@PathParam("commandId") String commandId) {
        return require(commandId).chain(command -> commands.events(commandId).map(events -> view(command, events)));
    }

    private static CommandView view(CommandRecord command, List<StoredEvent> events) {
        Map<String, NodeProgress> progress = new LinkedHashMap<>();
        for (StoredEvent stored : events) {
            ProvisioningEvent event = stored.event();
            if (event.node() != null) {
                progress.put(event.node().tag() + "/" + event.node().index(),
                        new NodeProgress(event.node().tag(), event.node().index(), event.type().name(), event.node().status()));
            }
        }
        return new CommandView(command.id(), command.request().type().name(), command.request().cluster(), command.actor(),
                command.status().name(), command.runner(),
                command.message(), command.createdAt(), command.updatedAt(), List.copyOf(progress.values()), command.resultJson());
    }

    /** Every event of the command from the first (or after Last-Event-ID), then new ones as they commit; ends after SUCCEEDED or FAILED. */
    @GET
    @Path("/{commandId}/events")
    @RequiresScope("provisioner:read")
    @Operation(operationId = "streamCommandEvents", summary = "Follow a command's events",
            description = "Server-Sent Events: every ProvisioningEvent of the command from the first (a late subscriber misses nothing), "
                    + "then new ones as they commit; the stream ends after SUCCEEDED or FAILED. Each event's id is its position, "
                    + "so a watcher resumes after it with Last-Event-ID." + WatchHub.FELL_BEHIND_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = ProvisioningEvent.class)))
    @APIResponse(responseCode = "400", description = "Last-Event-ID is not an event position")
    @APIResponse(responseCode = "404", description = "No command with this id")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @KnownCommandFilter.KnownCommand
    public Multi<OutboundSseEvent> events(@PathParam("commandId") String commandId, @HeaderParam("Last-Event-ID") String lastEventId,
                                          @Context Sse sse) {
        CommandValidator.requireCommandId(commandId);
        if (lastEventId != null && !lastEventId.matches("\\d{1,18}")) {
            throw ProblemException.invalid("Last-Event-ID", "must be the id of an event of this stream (an integer from 0)");
        }
        return hub.watch(sse, commandId, lastEventId); // the command exists: KnownCommandFilter answered 404 otherwise
    }

    /**
     * The command's events after a position, for the hub: read without blocking (the hub reads on the event loop
     * that delivered the notification), encoded as the Kafka events are.
     */
    private Uni<WatchSource.Page> read(String commandId, String cursor, int limit) {
        long after = cursor == null ? 0 : Long.parseLong(cursor);
        // The hub reads on whichever event loop delivered a notification, for several watchers at once: a session each.
        return Sessions.onOwnContext(() -> Panache.withSession(() -> commands.eventsAfter(commandId, after, limit))).map(stored -> {
            List<WatchEvent> events = new ArrayList<>(stored.size());
            for (StoredEvent each : stored) {
                ProvisioningEvent event = each.event();
                boolean last = event.type() == ProvisioningEvent.Type.SUCCEEDED || event.type() == ProvisioningEvent.Type.FAILED;
                events.add(new WatchEvent(Long.toString(each.seq()), null, EventCodec.encodeToString(event), last));
            }
            return WatchSource.Page.of(events, Long.toString(after), limit);
        });
    }

    private Uni<CommandRecord> require(String commandId) {
        // A malformed id is a 400 before PostgreSQL sees it (it refuses U+0000); a well-formed unknown one a 404.
        CommandValidator.requireCommandId(commandId);
        return commands.findCommand(commandId).map(found -> found.orElseThrow(() -> ProblemException.notFound("no command '" + commandId + "'")));
    }
}
