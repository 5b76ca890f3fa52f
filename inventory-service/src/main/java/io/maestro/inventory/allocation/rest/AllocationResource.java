package io.maestro.inventory.allocation.rest;

import io.maestro.inventory.allocation.AllocationRequest;
import io.maestro.inventory.allocation.service.AllocationService;
import io.maestro.inventory.entity.rest.Json;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/allocations}: 201 with the chosen entities, or 409 with the reason; a replayed idempotency key answers the first result. */
@Path("/v1/allocations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AllocationResource {

    @Inject
    AllocationService allocations;

    @POST
    public Response allocate(AllocationRequest request) {
        return Json.created(allocations.allocate(request));
    }
}
