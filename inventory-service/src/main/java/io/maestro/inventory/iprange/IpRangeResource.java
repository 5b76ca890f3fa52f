package io.maestro.inventory.iprange;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.ApiModels.AddressAllocation;
import io.maestro.inventory.ApiModels.IpRange;
import io.maestro.inventory.ApiModels.IpRangePage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import io.maestro.inventory.entity.rest.Json;
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

/** {@code /v1/ip-ranges}: list ranges with their utilisation, create a range, allocate its next free address to an entity, release one. */
@Path("/v1/ip-ranges")
@Tag(name = "ip-ranges", description = "IPv4 and IPv6 ranges and the host addresses allocated from them to entities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IpRangeResource {

    private final IpRangeService ranges;
    private final CurrentCaller caller;

    public IpRangeResource(IpRangeService ranges, CurrentCaller caller) {
        this.ranges = ranges;
        this.caller = caller;
    }

    @GET
    @RequiresScope("inventory:read")
    @Operation(operationId = "listIpRanges", summary = "List IP ranges with their utilisation",
            description = "The ranges ordered by name, keyset-paged (pass nextCursor as cursor; limit 1..1000, default 100), each with its host addresses and how many are allocated.")
    @APIResponse(responseCode = "200", description = "A page of ranges",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IpRangePage.class)))
    public Uni<IpRangePage> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return ranges.list(limit, cursor);
    }

    @POST
    @RequiresScope("inventory:write")
    @Operation(operationId = "createIpRange", summary = "Create an IP range",
            description = "A range in CIDR notation with no host bits set, any prefix length (0.0.0.0/0 and ::/0 included).")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IpRange.class)))
    @APIResponse(responseCode = "409", description = "An IP range with this name exists already")
    public Uni<Response> create(@NotNull(message = "is required") @Valid IpRangeService.CreateRange body) {
        return ranges.create(body).map(Json::created);
    }

    @POST
    @Path("{name}/allocations")
    @RequiresScope("inventory:allocate")
    @Operation(operationId = "allocateAddress", summary = "Allocate an address",
            description = "The lowest free host address of the range, bound to the entity (never the network address nor an IPv4 broadcast address, except in /31, /32, /127 and /128 ranges, which use every address).")
    @APIResponse(responseCode = "201", description = "Allocated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AddressAllocation.class)))
    @APIResponse(responseCode = "404", description = "No IP range or no entity with this name")
    @APIResponse(responseCode = "409", description = "The range has no free address")
    public Uni<Response> allocate(@PathParam("name") @MaestroName String name, @NotNull(message = "is required") @Valid IpRangeService.AllocateAddress body) {
        return ranges.allocate(name, body, caller.subject()).map(Json::created);
    }

    @DELETE
    @Path("{name}/allocations/{address}")
    @RequiresScope("inventory:allocate")
    @Operation(operationId = "releaseAddress", summary = "Release an address",
            description = "Frees an allocated address of the range; it is handed out again.")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "404", description = "The address is not allocated in this range")
    public Uni<Response> release(@PathParam("name") @MaestroName String name, @PathParam("address") String address) {
        return ranges.release(name, address, caller.subject()).map(released -> Response.noContent().build());
    }
}
