package io.maestro.inventory.entity.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.entity.EntityRequests.Connect;
import io.maestro.inventory.ApiModels.ConnectionView;
import io.maestro.inventory.entity.service.ConnectionService;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
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

/** clusto {@code connect}: a port of one entity to a port of another; a port is in at most one connection. */
@Path("/v1/connections")
@Tag(name = "connections", description = "Port-to-port connections between entities (clusto connect); a port is in at most one connection")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    private final ConnectionService connections;
    private final CurrentCaller caller;

    public ConnectionResource(ConnectionService connections, CurrentCaller caller) {
        this.connections = connections;
        this.caller = caller;
    }

    @POST
    @RequiresScope("inventory:write")
    @Operation(operationId = "connectPorts", summary = "Connect two ports",
            description = "Connects port a.port of a.entity to port b.port of b.entity; both entities change version. An entity with "
                    + "declared ports (its type's port templates, GET /v1/entities/{name}/ports) is cabled on those only: another port is a "
                    + "400 naming a.port or b.port.")
    @APIResponse(responseCode = "201", description = "Connected",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectionView.class)))
    @APIResponse(responseCode = "404", description = "a.entity or b.entity does not exist")
    @APIResponse(responseCode = "409", description = "One of the ports is in another connection already")
    public Uni<Response> connect(@NotNull(message = "is required") @Valid Connect body) {
        return connections.connect(body, caller.subject()).map(Json::created);
    }

    @DELETE
    @Path("{entity}/{port}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "disconnectPort", summary = "Disconnect a port",
            description = "Removes the connection this port of this entity is in.")
    @APIResponse(responseCode = "204", description = "Disconnected")
    @APIResponse(responseCode = "404", description = "The port is not connected")
    public Uni<Response> disconnect(@PathParam("entity") @MaestroName String entity, @PathParam("port") @MaestroName String port) {
        return connections.disconnect(entity, port, caller.subject()).map(done -> Response.noContent().build());
    }
}
