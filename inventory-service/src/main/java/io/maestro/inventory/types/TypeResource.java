package io.maestro.inventory.types;

import io.maestro.inventory.types.EntityTypes.TypeDefinition;
import io.maestro.inventory.types.EntityTypes.TypeList;
import io.maestro.inventory.types.EntityTypes.TypeView;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.validation.MaestroName;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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

/** {@code /v1/types}: the type registry. */
@Path("/v1/types")
@Tag(name = "types", description = "What the inventory knows about an entity type: whether its entities pass connections through (patch panels), the rules of their attributes, and their ports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TypeResource {
    private static final String NOT_DEFINED = "The type is not defined";

    private final EntityTypes types;

    public TypeResource(EntityTypes types) {
        this.types = types;
    }

    @PUT
    @Path("{type}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "defineType", summary = "Define an entity type",
            description = "Defines the type, or replaces its definition (its version goes up). Entities of the type need not exist yet. "
                    + "attributes: the rules of their attribute values by key (type, required, pattern, choices, min, max, unique), kept "
                    + "by every creation and every change of attributes or type (400 naming attributes.KEY and the rule; 409 for a unique "
                    + "value taken). The answer names the entities that break the rules now (violating, violations): they stay as they are, "
                    + "and their next change of attributes must mend them. ports: port templates (\"[1-48]\", \"mgmt0\"); every entity of the "
                    + "type has those ports (given at its creation or retyping, and now to the existing ones, with the ports they are "
                    + "cabled on: portsAdded) and is cabled on its declared ports only.")
    @APIResponse(responseCode = "200", description = "The type as defined now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TypeView.class)))
    public Uni<TypeView> define(@PathParam("type") @MaestroName String type, @NotNull(message = "is required") @Valid TypeDefinition body) {
        return types.define(type, body);
    }

    @GET
    @RequiresScope("inventory:read")
    @Operation(operationId = "listTypes", summary = "List the defined types", description = "Every defined type, by name.")
    @APIResponse(responseCode = "200", description = "The defined types",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TypeList.class)))
    public Uni<TypeList> list() {
        return types.list();
    }

    @GET
    @Path("{type}")
    @RequiresScope("inventory:read")
    @Operation(operationId = "getType", summary = "Read a type's definition", description = "The type's definition and its version.")
    @APIResponse(responseCode = "200", description = "The type's definition",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TypeView.class)))
    @APIResponse(responseCode = "404", description = NOT_DEFINED)
    public Uni<TypeView> get(@PathParam("type") @MaestroName String type) {
        return types.get(type);
    }

    @DELETE
    @Path("{type}")
    @RequiresScope("inventory:write")
    @Operation(operationId = "forgetType", summary = "Forget a type's definition",
            description = "Its entities stay, as entities of a type without a definition (a patch panel then ends a trace).")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", description = NOT_DEFINED)
    public Uni<Response> forget(@PathParam("type") @MaestroName String type) {
        return types.forget(type).map(done -> Response.noContent().build());
    }
}
