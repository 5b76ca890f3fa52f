package io.maestro.inventory.entity.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.entity.EntityRequests.AddContent;
import io.maestro.inventory.entity.EntityRequests.BulkCreate;
import io.maestro.inventory.entity.EntityRequests.CreateEntity;
import io.maestro.inventory.entity.EntityRequests.PatchEntity;
import io.maestro.inventory.ApiModels.AttributeView;
import io.maestro.inventory.ApiModels.BulkCreated;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.ApiModels.Location;
import io.maestro.inventory.ApiModels.Mutation;
import io.maestro.inventory.ApiModels.SearchPage;
import io.maestro.inventory.entity.service.AttributeService;
import io.maestro.inventory.entity.service.ContainmentService;
import io.maestro.inventory.entity.service.EntityService;
import io.maestro.inventory.outbox.HistoryService;
import io.maestro.inventory.query.EntitySearch;
import io.maestro.inventory.port.EntityPorts;
import io.maestro.inventory.trace.ConnectionTrace;
import io.maestro.inventory.transfer.CsvFormat;
import io.maestro.inventory.transfer.EntityExport;
import io.maestro.inventory.transfer.YamlFormat;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.http.QueryFlags;
import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/** {@code /v1/entities}: CRUD with ETag/If-Match, search by expression, attributes, contents, location, history. */
@Path("/v1/entities")
@Tag(name = "entities", description = "Entities with typed attributes: create, read, change, delete (ETag/If-Match), search by expression, attributes (clusto attr add/get/set/del), contents, location and history")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EntityResource {

    private static final String NO_ENTITY = "No entity with this name";
    private static final String NO_ENTITY_OR_REFERENCE = "No entity with this name, or a reference attribute names a missing entity";
    private static final String STALE = "If-Match does not name the entity's current version";
    private static final String RULE_CONFLICT = "A value another entity of the type holds, where the type's attribute rules say unique (PUT /v1/types/{type})";

    private final EntityService entities;
    private final AttributeService attributes;
    private final ContainmentService containment;
    private final EntitySearch search;
    private final HistoryService history;
    private final ConnectionTrace traces;
    private final EntityPorts ports;
    private final EntityExport export;
    private final CurrentCaller caller;

    public EntityResource(EntityService entities, AttributeService attributes, ContainmentService containment, EntitySearch search,
                          HistoryService history, ConnectionTrace traces, EntityPorts ports, EntityExport export, CurrentCaller caller) {
        this.ports = ports;
        this.export = export;
        this.entities = entities;
        this.attributes = attributes;
        this.containment = containment;
        this.search = search;
        this.history = history;
        this.traces = traces;
        this.caller = caller;
    }

    @POST
    @RequiresScope("inventory:write")
    @Operation(operationId = "createEntity", summary = "Create an entity",
            description = "Creates an entity with its attributes in one transaction. Location: /v1/entities/{name}; ETag: its version (1).")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = "A reference attribute names a missing entity")
    @APIResponse(responseCode = "409", description = "An entity with this name exists already, or a value is taken that the type's rules say is unique")
    public Uni<Response> create(@NotNull(message = "is required") @Valid CreateEntity body) {
        return entities.create(body, caller.subject()).map(entity ->
                Response.fromResponse(Json.entity(201, entity)).location(URI.create("/v1/entities/" + entity.name())).build());
    }

    /** Bulk creation (an addition to DESIGN.md): up to 5,000 entities in one transaction, all or nothing. */
    @POST
    @Path("bulk")
    @RequiresScope("inventory:write")
    @Operation(operationId = "createEntities", summary = "Create entities in bulk",
            description = "Creates up to 5,000 entities in one transaction, all or nothing (an addition to DESIGN.md).")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkCreated.class)))
    @APIResponse(responseCode = "404", description = "A reference attribute names a missing entity")
    @APIResponse(responseCode = "409", description = "An entity with one of these names exists already, or a value is taken that the type's rules say is unique")
    public Uni<Response> createAll(@NotNull(message = "is required") @Valid BulkCreate body) {
        return entities.createAll(body, caller.subject()).map(Json::created);
    }

    @GET
    @RequiresScope("inventory:read")
    @Operation(operationId = "searchEntities", summary = "Find entities by expression",
            description = "Entities matching q (the expression language of DESIGN.md section 6; at most 4,096 characters, 64 levels of '(' and 'not', 256 terms), ordered by name, keyset-paged: pass nextCursor as cursor. limit 1..1000, default 100.")
    @APIResponse(responseCode = "200", description = "A page of matching entities; with format=csv or yaml, every matching entity as POST /v1/import reads it",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchPage.class)),
                    @Content(mediaType = CsvFormat.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = YamlFormat.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @Produces({MediaType.APPLICATION_JSON, CsvFormat.MEDIA_TYPE, YamlFormat.MEDIA_TYPE})
    public Uni<Response> search(@QueryParam("q") String q, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                @Parameter(description = "json (the default): a page; csv or yaml: every matching entity (at most 50,000; "
                                        + "limit and cursor do not apply) in the shape POST /v1/import reads, so that export then import changes nothing",
                                        schema = @Schema(enumeration = {"json", "csv", "yaml"})) @QueryParam("format") String format) {
        EntityExport.Format exportFormat = EntityExport.Format.of(format);
        if (exportFormat != null) {
            return export.export(q, exportFormat).map(body -> Response.ok(body, exportFormat.mediaType() + "; charset=utf-8").build());
        }
        return search.search(q, limit, cursor).map(Json::ok);
    }

    @GET
    @Path("{name}")
    @RequiresScope("inventory:read")
    @Operation(operationId = "getEntity", summary = "Read an entity",
            description = "The entity with its attributes, parent, pools, connections and addresses; ETag is its version. With effective=true, "
                    + "its effective attributes: its own, then those of its pools (by name), then those of its containers from the nearest out; "
                    + "a key (with its subkey) comes from the first that has it, and an inherited one names where it comes from (from).")
    @APIResponse(responseCode = "200", description = "The entity", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = NO_ENTITY)
    public Uni<Response> get(@PathParam("name") @MaestroName String name,
                             @Parameter(description = "true: the effective attributes, inherited from pools and containers", schema = @Schema(type = SchemaType.BOOLEAN))
                             @QueryParam("effective") String effective) {
        return entities.get(name, QueryFlags.flag("effective", effective)).map(entity -> Json.entity(200, entity));
    }

    @PATCH
    @Path("{name}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "patchEntity", summary = "Change an entity",
            description = "Changes the type and/or replaces all attributes. With If-Match, only when it names the current version.")
    @APIResponse(responseCode = "200", description = "The changed entity", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = NO_ENTITY_OR_REFERENCE)
    @APIResponse(responseCode = "412", description = STALE)
    @APIResponse(responseCode = "409", description = RULE_CONFLICT)
    public Uni<Response> patch(@PathParam("name") @MaestroName String name, @HeaderParam("If-Match") String ifMatch, @NotNull(message = "is required") @Valid PatchEntity body) {
        return entities.patch(name, ifMatch, body, caller.subject()).map(entity -> Json.entity(200, entity));
    }

    @DELETE
    @Path("{name}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "deleteEntity", summary = "Delete an entity",
            description = "Deletes the entity, its attributes, connections and addresses. With If-Match, only when it names the current version.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = NO_ENTITY)
    @APIResponse(responseCode = "409", description = "The entity still contains entities, or another entity's attribute refers to it")
    @APIResponse(responseCode = "412", description = STALE)
    public Uni<Response> delete(@PathParam("name") @MaestroName String name, @HeaderParam("If-Match") String ifMatch) {
        return entities.delete(name, ifMatch, caller.subject()).map(deleted -> Response.noContent().build());
    }

    @POST
    @Path("{name}/attributes")
    @RequiresScope("inventory:write")
    @Operation(operationId = "addAttribute", summary = "Add an attribute value",
            description = "clusto attr add: one more value (a key may hold several).")
    @APIResponse(responseCode = "201", description = "The entity with the new value", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = NO_ENTITY_OR_REFERENCE)
    @APIResponse(responseCode = "412", description = STALE)
    @APIResponse(responseCode = "409", description = RULE_CONFLICT)
    public Uni<Response> addAttribute(@PathParam("name") @MaestroName String name, @HeaderParam("If-Match") String ifMatch, AttributeInput attribute) {
        return attributes.addAttribute(name, ifMatch, attribute, caller.subject()).map(entity -> Json.entity(201, entity));
    }

    @GET
    @Path("{name}/attributes")
    @RequiresScope("inventory:read")
    @Operation(operationId = "getAttributes", summary = "Read attributes",
            description = "clusto attr get: every attribute value of the entity, or those of key.")
    @APIResponse(responseCode = "200", description = "The attribute values",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttributeView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = NO_ENTITY)
    public Uni<Response> attributes(@PathParam("name") @MaestroName String name, @QueryParam("key") String key) {
        return attributes.attributes(name, key).map(Json::ok);
    }

    @PUT
    @Path("{name}/attributes/{key}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "setAttribute", summary = "Set an attribute",
            description = "clusto attr set: replaces every value of the key with this one.")
    @APIResponse(responseCode = "200", description = "The entity with the key set", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = NO_ENTITY_OR_REFERENCE)
    @APIResponse(responseCode = "412", description = STALE)
    @APIResponse(responseCode = "409", description = RULE_CONFLICT)
    public Uni<Response> setAttribute(@PathParam("name") @MaestroName String name, @PathParam("key") String key,
                                 @HeaderParam("If-Match") String ifMatch, AttributeInput attribute) {
        return attributes.setAttribute(name, key, ifMatch, attribute, caller.subject()).map(entity -> Json.entity(200, entity));
    }

    @DELETE
    @Path("{name}/attributes/{key}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "deleteAttribute", summary = "Delete attribute values",
            description = "clusto attr del: every value of the key, or those whose text equals value.")
    @APIResponse(responseCode = "200", description = "The entity without those values", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = "No entity with this name, or it has no such attribute value")
    @APIResponse(responseCode = "412", description = STALE)
    @APIResponse(responseCode = "409", description = RULE_CONFLICT)
    public Uni<Response> deleteAttribute(@PathParam("name") @MaestroName String name, @PathParam("key") String key,
                                    @QueryParam("value") String value, @HeaderParam("If-Match") String ifMatch) {
        return attributes.deleteAttribute(name, key, value, ifMatch, caller.subject()).map(entity -> Json.entity(200, entity));
    }

    /** Puts {@code child} in this entity; the child's If-Match is honoured (it is the child that changes). */
    @POST
    @Path("{name}/contents")
    @RequiresScope("inventory:write")
    @Operation(operationId = "addContent", summary = "Put an entity inside another",
            description = "Inserts child into this entity, optionally at a rack position {unit, height}. If-Match applies to the child, which is what changes.")
    @APIResponse(responseCode = "201", description = "The child, now inside this entity", headers = @Header(name = "ETag", description = "The entity version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "404", description = "No entity with the parent's or the child's name")
    @APIResponse(responseCode = "409", description = "The child has a parent already, a unit is taken, or containment would form a cycle")
    @APIResponse(responseCode = "412", description = "If-Match does not name the child's current version")
    public Uni<Response> addContent(@PathParam("name") @MaestroName String parent, @HeaderParam("If-Match") String ifMatch, @NotNull(message = "is required") @Valid AddContent body) {
        return containment.addContent(parent, ifMatch, body, caller.subject()).map(entity -> Json.entity(201, entity));
    }

    @DELETE
    @Path("{name}/contents/{child}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "removeContent", summary = "Take an entity out of another",
            description = "Removes child from this entity (and its rack units). If-Match applies to the child.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such child entity, or it is not inside this one")
    @APIResponse(responseCode = "412", description = "If-Match does not name the child's current version")
    public Uni<Response> removeContent(@PathParam("name") @MaestroName String parent, @PathParam("child") @MaestroName String child, @HeaderParam("If-Match") String ifMatch) {
        return containment.removeContent(parent, child, ifMatch, caller.subject()).map(removed -> Response.noContent().build());
    }

    @GET
    @Path("{name}/location")
    @RequiresScope("inventory:read")
    @Operation(operationId = "locateEntity", summary = "Locate an entity",
            description = "clusto locate: the containment chain with positions, and the port connections.")
    @APIResponse(responseCode = "200", description = "Where the entity is",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Location.class)))
    @APIResponse(responseCode = "404", description = NO_ENTITY)
    public Uni<Response> location(@PathParam("name") @MaestroName String name) {
        return containment.location(name).map(Json::ok);
    }

    @GET
    @Path("{name}/history")
    @RequiresScope("inventory:read")
    @Operation(operationId = "entityHistory", summary = "History of an entity",
            description = "Every InventoryMutation of the entity (also of a deleted one), oldest first, read from the outbox.")
    @APIResponse(responseCode = "200", description = "The mutations, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Mutation.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No entity and no history for this name")
    public Uni<Response> history(@PathParam("name") @MaestroName String name) {
        return history.of(name).map(Json::ok);
    }

    @GET
    @Path("{name}/ports")
    @RequiresScope("inventory:read")
    @Operation(operationId = "entityPorts", summary = "An entity's ports",
            description = "The ports its type declared (PUT /v1/types/{type} with ports: given when the entity is created or given the "
                    + "type, kept after) and the ports it is cabled on, each with the port at the other end of its cable. An entity with "
                    + "declared ports is cabled on those only (400 naming the port otherwise).")
    @APIResponse(responseCode = "200", description = "The ports, in natural order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityPorts.Ports.class)))
    @APIResponse(responseCode = "404", description = "No entity with this name")
    public Uni<EntityPorts.Ports> ports(@PathParam("name") @MaestroName String name) {
        return ports.of(name);
    }

    @GET
    @Path("{name}/ports/{port}/trace")
    @RequiresScope("inventory:read")
    @Operation(operationId = "traceConnection", summary = "Trace a port's connection to the far end",
            description = "Follows the port's connection, and on through every entity whose type passes connections through "
                    + "(PUT /v1/types/{type} with passThrough: front+x wired to rear+x), to the far end: each connection in order. "
                    + "At most " + ConnectionTrace.MAX_SEGMENTS + " connections; one SQL statement however many there are.")
    @APIResponse(responseCode = "200", description = "The path",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectionTrace.Trace.class)))
    @APIResponse(responseCode = "404", description = "No entity with this name, or the port is not connected")
    public Uni<ConnectionTrace.Trace> trace(@PathParam("name") @MaestroName String name, @PathParam("port") @MaestroName String port) {
        return traces.trace(name, port);
    }
}
