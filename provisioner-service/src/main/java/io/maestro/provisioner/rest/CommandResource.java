package io.maestro.provisioner.rest;

import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.provisioner.repository.CommandRepository.StoredEvent;
import io.maestro.provisioner.rest.ApiModels.CommandView;
import io.maestro.provisioner.rest.ApiModels.NodeProgress;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
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
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A command's status with per-node progress, and its events as Server-Sent Events. */
@Path("/v1/commands")
@Singleton
@Tag(name = "commands", description = "Progress of provisioning commands: status, per-node progress and their events")
public class CommandResource {
    private static final long POLL_MILLIS = 200;

    @Inject
    CommandRepository commands;

    // Events are read back from PostgreSQL, so a stream works on any replica, whichever one runs the command.
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "command-events-sse");
        thread.setDaemon(true);
        return thread;
    });

    @PreDestroy
    void shutdown() {
        poller.shutdownNow();
    }

    @GET
    @Path("/{commandId}")
    @RequiresScope("provisioner:read")
    @Operation(operationId = "getCommand", summary = "Get a command",
            description = "Status (ACCEPTED, RUNNING, SUCCEEDED, FAILED), who issued it (actor), the replica running it, per-node progress and the result. "
                    + "commandId: " + CommandValidator.COMMAND_ID_RULE + ".")
    @APIResponse(responseCode = "200", description = "The command")
    @APIResponse(responseCode = "404", description = "No command with this id")
    public CommandView get(@PathParam("commandId") String commandId) {
        CommandRecord command = require(commandId);
        Map<String, NodeProgress> progress = new LinkedHashMap<>();
        for (StoredEvent stored : commands.eventsAfter(commandId, 0)) {
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

    /** Every event of the command from the first, then new ones as they happen; ends after SUCCEEDED or FAILED. */
    @GET
    @Path("/{commandId}/events")
    @RequiresScope("provisioner:read")
    @Operation(operationId = "streamCommandEvents", summary = "Follow a command's events",
            description = "Server-Sent Events: every ProvisioningEvent of the command from the first (a late subscriber misses nothing), "
                    + "then new ones as they happen; the stream ends after SUCCEEDED or FAILED.")
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = ProvisioningEvent.class)))
    @APIResponse(responseCode = "404", description = "No command with this id")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<ProvisioningEvent> events(@PathParam("commandId") String commandId) {
        require(commandId);
        return Multi.createFrom().emitter(emitter -> {
            AtomicLong last = new AtomicLong();
            AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
            task.set(poller.scheduleWithFixedDelay(() -> {
                try {
                    for (StoredEvent stored : commands.eventsAfter(commandId, last.get())) {
                        last.set(stored.seq());
                        emitter.emit(stored.event());
                        ProvisioningEvent.Type type = stored.event().type();
                        if (type == ProvisioningEvent.Type.SUCCEEDED || type == ProvisioningEvent.Type.FAILED) {
                            emitter.complete();
                            task.get().cancel(false);
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    task.get().cancel(false);
                }
            }, 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
            emitter.onTermination(() -> {
                ScheduledFuture<?> running = task.get();
                if (running != null) {
                    running.cancel(false);
                }
            });
        });
    }

    private CommandRecord require(String commandId) {
        // A malformed id is a 400 before PostgreSQL sees it (it refuses U+0000); a well-formed unknown one a 404.
        CommandValidator.requireCommandId(commandId);
        return commands.find(commandId).orElseThrow(() -> ProblemException.notFound("no command '" + commandId + "'"));
    }
}
