package io.maestro.inventory.mutation;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import java.util.Map;

/** Documents {@code ?dryRun} and {@code ?note} ({@link MutationParameters}) on every mutating operation, and the dry run's 200. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class MutationDocumentation implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().getOperations().entrySet()) {
                if (entry.getKey() == PathItem.HttpMethod.GET) {
                    continue;
                }
                Operation operation = entry.getValue();
                operation.addParameter(OASFactory.createParameter().name("note").in(Parameter.In.QUERY)
                        .description("Why: kept with the change in the entity's history and in the published InventoryMutation; 1 to "
                                + MutationParameters.MAX_NOTE + " characters")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(MutationParameters.MAX_NOTE)));
                if (path.getKey().startsWith("/v1/allocations") || path.getKey().startsWith("/v1/import")) {
                    continue; // their dryRun is their own (AllocationResource, ImportResource)
                }
                operation.addParameter(OASFactory.createParameter().name("dryRun").in(Parameter.In.QUERY)
                        .description("true: run every check and answer the changes it would make (200, DryRunAnswer); write nothing")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN)));
                if (operation.getResponses() != null && !operation.getResponses().hasAPIResponse("200")) {
                    operation.getResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                            .description("With dryRun=true: the changes it would make (DryRunAnswer: dryRun, changes); nothing was written"));
                }
            }
        }
    }
}
