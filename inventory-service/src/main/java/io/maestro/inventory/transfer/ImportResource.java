package io.maestro.inventory.transfer;

import io.maestro.inventory.config.InventoryConfig;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.http.QueryFlags;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;

/** {@code POST /v1/import}: entities, their attributes, positions, pools and connections from CSV or YAML. */
@Path("/v1/import")
@Tag(name = "import", description = "Bulk import of CSV or YAML, the shape GET /v1/entities?format=csv|yaml exports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
    private final ImportService imports;
    private final InventoryConfig config;
    private final CurrentCaller caller;

    public ImportResource(ImportService imports, InventoryConfig config, CurrentCaller caller) {
        this.imports = imports;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes({CsvFormat.MEDIA_TYPE, YamlFormat.MEDIA_TYPE, "application/x-yaml", "text/yaml"})
    @RequiresScope("inventory:write")
    @Operation(operationId = "importEntities", summary = "Import entities from CSV or YAML",
            description = "Creates the entities a row names that do not exist and changes those that do, in one transaction: type, "
                    + "the attributes of each key the row names (other keys are kept), the position (parent, unit, height), pools joined "
                    + "and connections made. It never deletes: an empty cell or a field left out changes nothing. CSV columns: name, type, "
                    + "parent, unit, height, pools (;-separated), connections (port=entity:remotePort, ;-separated), attr.<key>[.<subkey>][:<type>] "
                    + "(several values ;-separated, \\; for a literal ;; a leading apostrophe is dropped). YAML: a sequence of {name, type, parent, "
                    + "unit, height, pools, connections: [{port, entity, remotePort}], attributes: [{key, subkey, number, type, value}]}; tags, "
                    + "anchors and aliases are refused. mode=atomic (the default): a refused row refuses the import (400 naming each row's "
                    + "line and column). mode=per-row: the other rows are written and the refused ones reported. dryRun=true: decided and "
                    + "written in full, then rolled back; the report says what would happen. At most 8 MiB and 50,000 rows (413).")
    @RequestBody(required = true, content = {
            @Content(mediaType = CsvFormat.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = YamlFormat.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "The import's outcome row by row (with dryRun=true: what it would be)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportReport.class)))
    @APIResponse(responseCode = "409", description = "A change another caller made at the same time conflicts, or an entity no row names (a cable's far end) breaks its type's unique rule")
    @APIResponse(responseCode = "413", description = "The body is larger than 8 MiB or holds more than 50,000 rows")
    @APIResponse(responseCode = "415", description = "Unsupported media type: the body must be sent as text/csv or application/yaml")
    public Uni<ImportReport> importEntities(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            @Parameter(description = "atomic (the default): all or nothing; per-row: the rows that can be written are",
                                                    schema = @Schema(enumeration = {"atomic", "per-row"})) @QueryParam("mode") String mode,
                                            @Parameter(description = "true: decide and report, write nothing", schema = @Schema(type = SchemaType.BOOLEAN))
                                            @QueryParam("dryRun") String dryRun,
                                            String body) {
        ImportService.Mode importMode = ImportService.Mode.of(mode);
        boolean dry = QueryFlags.flag("dryRun", dryRun);
        int maxBytes = config.transfer().maxBytes();
        if (body == null || body.isEmpty()) {
            throw ProblemException.invalid("body", "holds no rows");
        }
        if (body.length() > maxBytes || body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw ImportLimits.tooManyBytes(maxBytes);
        }
        if (body.indexOf('\u0000') >= 0) {
            throw ProblemException.invalid("body", "must not hold U+0000");
        }
        MediaType type = MediaType.valueOf(contentType);
        String bare = type.getType() + "/" + type.getSubtype();
        ImportFile file = bare.equals(CsvFormat.MEDIA_TYPE)
                ? CsvFormat.read(body, config.transfer().maxRows())
                : YamlFormat.read(body, config.transfer().maxRows());
        return imports.importFile(file, importMode, dry, caller.subject());
    }
}
