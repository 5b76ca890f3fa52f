package io.maestro.registry.rest;

import io.maestro.support.auth.RequiresScope;
import io.maestro.registry.service.RegistrationValidator;
import io.maestro.registry.watch.ServiceWatch;
import io.maestro.support.watch.WatchHub;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/services/{service}/watch[?afterRevision=N]}: Server-Sent Events. Event {@code snapshot} (data:
 * the service as {@code GET /v1/services/{service}} returns it) when N is absent or can no longer be replayed,
 * then one event {@code change} (data: a {@code ServiceMembershipChanged}) per revision after it. Each event's id
 * is its revision, so a reconnecting EventSource resumes through {@code Last-Event-ID}. A watcher that falls too far
 * behind gets a last event {@code fell-behind} and resumes from there (the shared {@link WatchHub}).
 */
@Path("/v1/services/{service}/watch")
@Tag(name = "services", description = "What is registered: services, their instances, and the stream of their changes")
public class ServiceWatchResource {
    private final ServiceWatch hub;
    private final RegistrationValidator validator;

    public ServiceWatchResource(ServiceWatch hub, RegistrationValidator validator) {
        this.hub = hub;
        this.validator = validator;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresScope(value = "registry:read", narrowedBy = "service")
    @Operation(operationId = "watchService", summary = "Stream the changes of a service",
            description = "Server-Sent Events: a 'snapshot' event first when afterRevision (or Last-Event-ID) is absent or too old "
                    + "to replay, then one 'change' event (a ServiceMembershipChanged) per revision; each event's id is its revision. "
                    + "A first comment line says the watcher is registered; keep-alive comments follow while nothing changes."
                    + WatchHub.FELL_BEHIND_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    public Multi<OutboundSseEvent> watch(@PathParam("service") String service, @QueryParam("afterRevision") String afterRevision,
                                         @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        validator.validateService(service);
        String after = afterRevision != null ? afterRevision : lastEventId;
        return hub.watch(sse, service, parseRevision(after, afterRevision != null ? "afterRevision" : "Last-Event-ID"));
    }

    private static final String REVISION_RULE = "must be a revision: an integer from 0";

    private static Long parseRevision(String value, String field) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long revision = Long.parseLong(value);
            if (revision < 0) {
                throw ProblemException.invalid(field, REVISION_RULE);
            }
            return revision;
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, REVISION_RULE);
        }
    }
}
