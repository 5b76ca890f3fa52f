package io.maestro.inventory.entity.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Responses whose JSON comes straight from PostgreSQL (entity_json), with the entity version as ETag. */
public final class Json {
    private Json() {
    }

    public static Response entity(int status, JsonObject entity) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .tag(new EntityTag(Long.toString(entity.getLong("version"))))
                .entity(entity.encode()).build();
    }

    public static Response ok(JsonObject body) {
        return Response.ok(body.encode(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    public static Response ok(JsonArray body) {
        return Response.ok(body.encode(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    public static Response created(JsonObject body) {
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(body.encode()).build();
    }
}
