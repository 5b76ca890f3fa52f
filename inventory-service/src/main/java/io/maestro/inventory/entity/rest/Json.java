package io.maestro.inventory.entity.rest;

import io.maestro.inventory.ApiModels.EntityView;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Responses of the inventory's records; an entity carries its version as ETag. */
public final class Json {
    private Json() {
    }

    public static Response entity(int status, EntityView entity) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .tag(new EntityTag(Long.toString(entity.version())))
                .entity(entity).build();
    }

    public static Response ok(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    public static Response created(Object body) {
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
