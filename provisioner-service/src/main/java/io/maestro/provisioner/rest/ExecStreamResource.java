package io.maestro.provisioner.rest;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.Failures;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.rest.ApiModels.ExecDone;
import io.maestro.provisioner.rest.ApiModels.ExecRequest;
import io.maestro.provisioner.service.CommandService;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.provisioner.service.ExecStreams;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.validation.MaestroName;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exec whose results stream as each node answers (the CLI's per-node output on a hundred nodes), rather than
 * all at once at the end. The command is the same EXEC, run the same way; only the answer differs.
 */
@Path("/v1/clusters/{name}/exec/stream")
@Tag(name = "clusters")
public class ExecStreamResource {
    private final CommandService commands;
    private final ClusterRepository clusters;
    private final ExecStreams streams;
    private final CurrentCaller caller;
    private final CommandValidator validator;

    public ExecStreamResource(CommandService commands, ClusterRepository clusters, ExecStreams streams, CurrentCaller caller,
                              CommandValidator validator) {
        this.validator = validator;
        this.commands = commands;
        this.clusters = clusters;
        this.streams = streams;
        this.caller = caller;
    }

    @POST
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresScope(value = "provisioner:exec", narrowedBy = "name")
    @Operation(operationId = "execOnClusterStreaming", summary = "Run a command on nodes, streaming each node's result",
            description = "As execOnCluster, answered as Server-Sent Events: one 'result' event per node (an ExecResult) as that node "
                    + "answers, then 'done' ({commandId, nodes, exitedZero}), or 'failed' ({commandId, message}) when the command "
                    + "failed as a whole. A retry with the same commandId streams the one run's results.")
    @APIResponse(responseCode = "200", description = "The results as they come",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = io.maestro.provisioner.ExecResult.class)))
    @APIResponse(responseCode = "404", description = "No cluster with this name")
    public Multi<OutboundSseEvent> execStreaming(@PathParam("name") @MaestroName String name,
                                                 @NotNull(message = "a JSON object with command") @Valid ExecRequest body,
                                                 @Context Sse sse) {
        ProvisioningCommand command = ClusterResource.execCommand(name, body, caller.subject());
        String id = command.commandId();
        // Checked before the stream starts: once its headers are out, a mistake could no longer be a 4xx.
        Sessions.awaitSession(() -> validator.validate(command).chain(() -> clusters.findCluster(name)))
                .orElseThrow(() -> ProblemException.notFound("no cluster '" + name + "'"));
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
                    Set<String> sent = ConcurrentHashMap.newKeySet();
                    streams.listen(id, result -> {
                        if (sent.add(result.tag() + "/" + result.index())) {
                            emitter.emit(result(sse, result));
                        }
                    });
                    emitter.onTermination(() -> streams.stop(id));
                    Sessions.onOwnContext(() -> commands.submitAndWait(command)).subscribe().with(done -> {
                        streams.stop(id);
                        finish(sse, done, sent, emitter);
                    }, failure -> {
                        streams.stop(id);
                        emitter.emit(failed(sse, id, failure instanceof ProblemException problem ? problem.getMessage() : Failures.reason(failure)));
                        emitter.complete();
                    });
                });
    }

    /** The results a listener did not see (a retry, or a run on another replica), then how it ended. */
    private static void finish(Sse sse, CommandRecord done, Set<String> sent, io.smallrye.mutiny.subscription.MultiEmitter<? super OutboundSseEvent> emitter) {
        try {
            var results = ClusterResource.execResults(done);
            for (ExecResult result : results) {
                if (sent.add(result.tag() + "/" + result.index())) {
                    emitter.emit(result(sse, result));
                }
            }
            long zero = results.stream().filter(r -> Integer.valueOf(0).equals(r.exitCode())).count();
            emitter.emit(sse.newEventBuilder().name("done").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(EventCodec.encodeToString(new ExecDone(done.id(), results.size(), zero))).build());
        } catch (ProblemException e) {
            emitter.emit(failed(sse, done.id(), e.getMessage()));
        }
        emitter.complete();
    }

    private static OutboundSseEvent result(Sse sse, ExecResult result) {
        return sse.newEventBuilder().name("result").mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventCodec.encodeToString(result)).build();
    }

    private static OutboundSseEvent failed(Sse sse, String commandId, String message) {
        return sse.newEventBuilder().name("failed").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(EventCodec.encodeToString(Map.of("commandId", commandId, "message", message == null ? "failed" : message))).build();
    }
}
