package io.maestro.inventory.allocation.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.maestro.inventory.allocation.AllocationRequest;
import io.maestro.inventory.allocation.service.AllocationService;
import io.maestro.inventory.ApiModels.Allocation;
import io.maestro.inventory.entity.rest.Json;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.maestro.support.http.QueryFlags;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/allocations}: 201 with the chosen entities, or 409 with the reason; a replayed idempotency key answers the first result. */
@Path("/v1/allocations")
@Tag(name = "allocations", description = "Race-free allocation of entities matching an expression, all or nothing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AllocationResource {

    private final AllocationService allocations;
    private final CurrentCaller caller;

    public AllocationResource(AllocationService allocations, CurrentCaller caller) {
        this.allocations = allocations;
        this.caller = caller;
    }

    @POST
    @RequiresScope("inventory:allocate")
    @Operation(operationId = "allocateEntities", summary = "Allocate entities",
            description = "Picks count entities matching query and not yet in assign.pool (at most one per ancestor of type spreadBy), adds them to the pool and sets assign.attributes, all or nothing. The same idempotencyKey with the same request answers the first result.")
    @APIResponse(responseCode = "201", description = "Allocated (or the earlier result of this idempotencyKey, replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Allocation.class)))
    @APIResponse(responseCode = "404", description = "An assigned reference attribute names a missing entity")
    @APIResponse(responseCode = "409", description = "Not enough free entities match (the reason says why), or assign.pool names an entity that is not a pool; nothing was allocated")
    @APIResponse(responseCode = "422", description = "The idempotencyKey was used with a different request")
    @APIResponse(responseCode = "200", description = "With ?dryRun=true: what would be allocated now (dryRun: true); nothing was written",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Allocation.class)))
    public Uni<Response> allocate(@NotNull(message = "is required") @Valid AllocationRequest body,
                                  @Parameter(description = "true: answer what would be allocated, write nothing") @QueryParam("dryRun") String dryRun) {
        boolean dry = QueryFlags.flag("dryRun", dryRun);
        return allocations.allocate(body, caller.subject(), dry).map(result -> dry ? Response.ok(result).build() : Json.created(result));
    }
}
