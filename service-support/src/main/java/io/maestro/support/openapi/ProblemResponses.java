package io.maestro.support.openapi;

import io.maestro.support.http.RequestUriGuard;
import io.maestro.support.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Makes every service's OpenAPI document say what its operations really answer: the problem+json schema on every
 * error response, and the statuses that the shared layers (not the resource) produce — 400 for a malformed URI,
 * a parameter or a body that breaks its rule, 414 for a URI that is too long, 415 for a body that is not JSON, and
 * 500 (an incident id, never a caller's mistake). A resource declares its own statuses (404, 409, 412 ...).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {
    static final String PROBLEM_SCHEMA = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(PROBLEM_SCHEMA, problemSchema());
        if (openAPI.getServers() == null || openAPI.getServers().isEmpty()) {
            openAPI.addServer(OASFactory.createServer().url("/")
                    .description("this service, at the address this document was fetched from"));
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                complete(operation);
            }
        }
    }

    private static void complete(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        addIfMissing(responses, "400", "Invalid request: the URI, a parameter or the body breaks a rule; the problem names the field and the rule");
        // RequestUriGuard answers it for any request URI, with or without parameters, whatever the other filters add
        addIfMissing(responses, "414", "URI too long: more than " + RequestUriGuard.MAX_URI_LENGTH + " characters");
        if (operation.getRequestBody() != null) {
            addIfMissing(responses, "415", "Unsupported media type: the body must be sent as application/json");
        }
        addIfMissing(responses, "500", "Internal error, never a caller's mistake: the problem carries an incident id for the service log");
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            if ((response.getKey().startsWith("4") || response.getKey().startsWith("5")) && response.getValue().getContent() == null) {
                response.getValue().setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA))));
            }
        }
    }

    private static void addIfMissing(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the field, parameter or header, e.g. groups[0].count"))
                .addProperty("rule", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the rule it breaks, e.g. must be at least 1"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem detail, sent as application/problem+json")
                .required(List.of("title", "status"))
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).description("the HTTP status"))
                .addProperty("detail", text)
                .addProperty("instance", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError));
    }
}
