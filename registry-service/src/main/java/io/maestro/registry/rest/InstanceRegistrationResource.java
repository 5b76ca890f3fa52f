package io.maestro.registry.rest;

import io.maestro.registry.service.HeartbeatResult;
import io.maestro.registry.service.RegistrationRequest;
import io.maestro.registry.service.RegistrationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Nodes register under a service name, keep themselves alive with heartbeats, and leave. */
@Path("/v1/services/{service}/instances/{instanceId}")
@Tag(name = "instances")
public class InstanceRegistrationResource {
    /** Header carrying the token a registration returned. */
    public static final String TOKEN_HEADER = "X-Maestro-Token";

    private final RegistrationService registrations;

    public InstanceRegistrationResource(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an instance (201), or update it when the id is already registered (200)",
            description = "Without X-Maestro-Token the caller takes the instance over and gets a new token; with one, it must be the current token.")
    public Uni<Response> register(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                  @HeaderParam(TOKEN_HEADER) String token, RegistrationRequest body) {
        return registrations.register(service, instanceId, body, token)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result).build());
    }

    @PUT
    @Path("heartbeat")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew the instance's TTL (404 once it expired, 403 with a wrong token)")
    public Uni<HeartbeatResult> heartbeat(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                          @HeaderParam(TOKEN_HEADER) String token) {
        return registrations.heartbeat(service, instanceId, token);
    }

    @DELETE
    @Operation(summary = "Deregister the instance (204; 403 with a wrong token; 404 when it is not registered)")
    public Uni<Response> deregister(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                    @HeaderParam(TOKEN_HEADER) String token) {
        return registrations.deregister(service, instanceId, token).map(revision -> Response.noContent().build());
    }

}
