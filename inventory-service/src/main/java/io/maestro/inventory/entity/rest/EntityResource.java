package io.maestro.inventory.entity.rest;

import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.entity.EntityRequests.AddContent;
import io.maestro.inventory.entity.EntityRequests.BulkCreate;
import io.maestro.inventory.entity.EntityRequests.CreateEntity;
import io.maestro.inventory.entity.EntityRequests.PatchEntity;
import io.maestro.inventory.entity.service.EntityService;
import io.maestro.inventory.outbox.HistoryService;
import io.maestro.inventory.query.EntitySearch;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** {@code /v1/entities}: CRUD with ETag/If-Match, search by expression, attributes, contents, location, history. */
@Path("/v1/entities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EntityResource {

    @Inject
    EntityService entities;

    @Inject
    EntitySearch search;

    @Inject
    HistoryService history;

    @POST
    public Response create(CreateEntity request) {
        JsonObject entity = entities.create(request);
        return Response.fromResponse(Json.entity(201, entity)).location(URI.create("/v1/entities/" + entity.getString("name"))).build();
    }

    /** Bulk creation (an addition to DESIGN.md): up to 5,000 entities in one transaction, all or nothing. */
    @POST
    @Path("bulk")
    public Response createAll(BulkCreate request) {
        return Json.created(new JsonObject().put("created", entities.createAll(request)));
    }

    @GET
    public Response search(@QueryParam("q") String q, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return Json.ok(search.search(q, limit, cursor));
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return Json.entity(200, entities.get(name));
    }

    @PATCH
    @Path("{name}")
    public Response patch(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, PatchEntity request) {
        return Json.entity(200, entities.patch(name, ifMatch, request));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        entities.delete(name, ifMatch);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/attributes")
    public Response addAttribute(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, AttributeInput attribute) {
        return Json.entity(201, entities.addAttribute(name, ifMatch, attribute));
    }

    @GET
    @Path("{name}/attributes")
    public Response attributes(@PathParam("name") String name, @QueryParam("key") String key) {
        return Json.ok(entities.attributes(name, key));
    }

    @PUT
    @Path("{name}/attributes/{key}")
    public Response setAttribute(@PathParam("name") String name, @PathParam("key") String key,
                                 @HeaderParam("If-Match") String ifMatch, AttributeInput attribute) {
        return Json.entity(200, entities.setAttribute(name, key, ifMatch, attribute));
    }

    @DELETE
    @Path("{name}/attributes/{key}")
    public Response deleteAttribute(@PathParam("name") String name, @PathParam("key") String key,
                                    @QueryParam("value") String value, @HeaderParam("If-Match") String ifMatch) {
        return Json.entity(200, entities.deleteAttribute(name, key, value, ifMatch));
    }

    /** Puts {@code child} in this entity; the child's If-Match is honoured (it is the child that changes). */
    @POST
    @Path("{name}/contents")
    public Response addContent(@PathParam("name") String parent, @HeaderParam("If-Match") String ifMatch, AddContent request) {
        return Json.entity(201, entities.addContent(parent, ifMatch, request));
    }

    @DELETE
    @Path("{name}/contents/{child}")
    public Response removeContent(@PathParam("name") String parent, @PathParam("child") String child, @HeaderParam("If-Match") String ifMatch) {
        entities.removeContent(parent, child, ifMatch);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/location")
    public Response location(@PathParam("name") String name) {
        return Json.ok(entities.location(name));
    }

    @GET
    @Path("{name}/history")
    public Response history(@PathParam("name") String name) {
        return Json.ok(history.of(name));
    }
}
