package io.maestro.inventory.iprange;

import io.maestro.inventory.entity.rest.Json;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /v1/ip-ranges}: create a range, allocate its next free address to an entity, release one. */
@Path("/v1/ip-ranges")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IpRangeResource {

    @Inject
    IpRangeService ranges;

    @POST
    public Response create(IpRangeService.CreateRange request) {
        return Json.created(ranges.create(request));
    }

    @POST
    @Path("{name}/allocations")
    public Response allocate(@PathParam("name") String name, IpRangeService.AllocateAddress request) {
        return Json.created(ranges.allocate(name, request));
    }

    @DELETE
    @Path("{name}/allocations/{address}")
    public Response release(@PathParam("name") String name, @PathParam("address") String address) {
        ranges.release(name, address);
        return Response.noContent().build();
    }
}
