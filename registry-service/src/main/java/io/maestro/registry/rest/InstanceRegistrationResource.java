package io.maestro.registry.rest;

import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.registry.service.HeartbeatResult;
import io.maestro.registry.service.InstanceStateRequest;
import io.maestro.registry.service.InstanceStateResult;
import io.maestro.registry.service.RegistrationRequest;
import io.maestro.registry.service.RegistrationResult;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Nodes register under a service name, keep themselves alive with heartbeats, and leave. Each operation needs
 * {@code registry:register} for the service (a narrowed scope must match the service name); on top of it, only the
 * registrant's X-Maestro-Token changes, heartbeats or deregisters an instance. A change names the token's subject as
 * its actor.
 */
@Path("/v1/services/{service}/instances/{instanceId}")
@Tag(name = "instances", description = "Register a node under a service name, keep it alive with heartbeats, deregister it")
public class InstanceRegistrationResource {
    /** Header carrying the token a registration returned. */
    public static final String TOKEN_HEADER = RegistrationService.TOKEN_HEADER;

    private final RegistrationService registrations;
    private final CurrentCaller caller;

    public InstanceRegistrationResource(RegistrationService registrations, CurrentCaller caller) {
        this.registrations = registrations;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "registry:register", narrowedBy = "service")
    @Operation(operationId = "registerInstance",
            summary = "Register an instance (201), or update it when the id is already registered (200)",
            description = "A new instance gets a token (in the answer) that every later change, heartbeat and deregistration "
                    + "of it must present as X-Maestro-Token; a caller may choose it by presenting one (32 to 256 characters "
                    + "of A-Z, a-z, 0-9, '_', '-') with the first registration, which makes retrying it safe. An existing, "
                    + "unexpired instance changes only with its current token: without one, or with another, the answer "
                    + "is 403 and nothing changes.")
    @APIResponse(responseCode = "201", description = "Registered: the answer carries the instance's token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegistrationResult.class)))
    @APIResponse(responseCode = "200", description = "Updated with its token (the same token stays valid)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegistrationResult.class)))
    @APIResponse(responseCode = "403", description = "The instance is registered and the request has no X-Maestro-Token, or another one")
    public Uni<Response> register(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                  @HeaderParam(TOKEN_HEADER) String token, RegistrationRequest body) {
        return registrations.register(service, instanceId, body, token, caller.subject())
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result).build());
    }

    @PUT
    @Path("heartbeat")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "registry:register", narrowedBy = "service", audited = false)
    @Operation(operationId = "heartbeatInstance", summary = "Renew the instance's TTL",
            description = "Extends the instance's lease by its TTL from now. Needs the token its registration returned.")
    @APIResponse(responseCode = "200", description = "Renewed: the new expiry")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the instance's token")
    @APIResponse(responseCode = "404", description = "The instance is not registered (never was, deregistered, or expired): register again")
    public Uni<HeartbeatResult> heartbeat(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                          @HeaderParam(TOKEN_HEADER) String token) {
        return registrations.heartbeat(service, instanceId, token);
    }

    @PUT
    @Path("state")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "registry:register", narrowedBy = "service")
    @Operation(operationId = "setInstanceState", summary = "Drain an instance, put it in maintenance, or back to active",
            description = "Body {\"state\": \"active\" | \"draining\" | \"maintenance\"}. A draining or maintenance instance "
                    + "stays registered but leaves ?healthy=true and the SDK's healthy-only lists; the change is announced "
                    + "(STATE_CHANGED). With X-Maestro-Token it must be the instance's token; without one, the bearer "
                    + "token's registry:register for the service is the authority (an operator's drain), named as the "
                    + "change's actor. Setting the state it is in changes nothing.")
    @APIResponse(responseCode = "200", description = "The instance's state now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceStateResult.class)))
    @APIResponse(responseCode = "403", description = "An X-Maestro-Token that is not the instance's token")
    @APIResponse(responseCode = "404", description = "The instance is not registered")
    public Uni<InstanceStateResult> setState(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                             @HeaderParam(TOKEN_HEADER) String token, InstanceStateRequest body) {
        return registrations.setState(service, instanceId, body, token, caller.subject());
    }

    @DELETE
    @RequiresScope(value = "registry:register", narrowedBy = "service")
    @Operation(operationId = "deregisterInstance", summary = "Deregister the instance",
            description = "Removes the instance at once; every watcher of the service is told. Needs the instance's token.")
    @APIResponse(responseCode = "204", description = "Deregistered")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the instance's token")
    @APIResponse(responseCode = "404", description = "The instance is not registered (never was, deregistered, or expired)")
    public Uni<Response> deregister(@PathParam("service") String service, @PathParam("instanceId") String instanceId,
                                    @HeaderParam(TOKEN_HEADER) String token) {
        return registrations.deregister(service, instanceId, token, caller.subject()).map(revision -> Response.noContent().build());
    }

}
