package io.maestro.inventory.entity.rest;

import io.maestro.inventory.entity.service.EntityService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Pool membership (an addition to DESIGN.md). A pool is an entity of type {@code pool}, created on first use;
 * one with attribute {@code exclusive=true} is exclusive: a member may be in no other exclusive pool.
 */
@Path("/v1/pools/{pool}/members/{entity}")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    @Inject
    EntityService entities;

    @PUT
    public Response add(@PathParam("pool") String pool, @PathParam("entity") String entity) {
        return Json.entity(200, entities.addToPool(pool, entity));
    }

    @DELETE
    public Response remove(@PathParam("pool") String pool, @PathParam("entity") String entity) {
        entities.removeFromPool(pool, entity);
        return Response.noContent().build();
    }
}
