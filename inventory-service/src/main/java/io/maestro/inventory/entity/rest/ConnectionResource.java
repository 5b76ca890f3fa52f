package io.maestro.inventory.entity.rest;

import io.maestro.inventory.entity.EntityRequests.Connect;
import io.maestro.inventory.entity.service.EntityService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** clusto {@code connect}: a port of one entity to a port of another; a port is in at most one connection. */
@Path("/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    @Inject
    EntityService entities;

    @POST
    public Response connect(Connect request) {
        return Json.created(entities.connect(request));
    }

    @DELETE
    @Path("{entity}/{port}")
    public Response disconnect(@PathParam("entity") String entity, @PathParam("port") String port) {
        entities.disconnect(entity, port);
        return Response.noContent().build();
    }
}
