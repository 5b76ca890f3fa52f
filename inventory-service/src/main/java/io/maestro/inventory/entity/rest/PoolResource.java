package io.maestro.inventory.entity.rest;

import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.entity.service.PoolService;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Pool membership (an addition to DESIGN.md). A pool is an entity of type {@code pool}, created on first use;
 * one with attribute {@code exclusive=true} is exclusive: a member may be in no other exclusive pool.
 */
@Path("/v1/pools/{pool}/members/{entity}")
@Tag(name = "pools", description = "Pool membership; a pool is an entity of type pool, created on first use")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final PoolService pools;
    private final CurrentCaller caller;

    public PoolResource(PoolService pools, CurrentCaller caller) {
        this.pools = pools;
        this.caller = caller;
    }

    @PUT
    @RequiresScope("inventory:write")
    @Operation(operationId = "addPoolMember", summary = "Add an entity to a pool",
            description = "Makes the entity a member of the pool (created when missing); already a member is no change.")
    @APIResponse(responseCode = "200", description = "The entity", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = "No entity with this name")
    @APIResponse(responseCode = "409", description = "The pool name belongs to an entity that is not a pool, or the entity is in another exclusive pool")
    public Uni<Response> add(@PathParam("pool") @MaestroName String pool, @PathParam("entity") @MaestroName String entity) {
        return pools.addToPool(pool, entity, caller.subject()).map(member -> Json.entity(200, member));
    }

    @DELETE
    @RequiresScope("inventory:write")
    @Operation(operationId = "removePoolMember", summary = "Remove an entity from a pool",
            description = "Ends the entity's membership of the pool.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No entity with this name, or it is not in the pool")
    public Uni<Response> remove(@PathParam("pool") @MaestroName String pool, @PathParam("entity") @MaestroName String entity) {
        return pools.removeFromPool(pool, entity, caller.subject()).map(removed -> Response.noContent().build());
    }
}
