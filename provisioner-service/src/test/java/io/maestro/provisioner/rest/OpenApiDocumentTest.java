package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** /q/openapi describes every provisioner operation: a tagged, named operation with the statuses it answers. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class OpenApiDocumentTest {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private static JsonPath document() {
        return given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationIsTaggedNamedDescribedAndListsItsSuccessAndErrorStatuses() {
        Map<String, Map<String, Map<String, Object>>> paths = document().getMap("paths");
        List<String> operationIds = new java.util.ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!path.startsWith("/v1/") || !METHODS.contains(method)) {
                return;
            }
            String at = method.toUpperCase() + " " + path;
            assertThat((String) operation.get("operationId")).as("operationId of %s", at).matches("[a-z][A-Za-z]+");
            assertThat((List<String>) operation.get("tags")).as("tags of %s", at).isNotEmpty();
            assertThat((String) operation.get("summary")).as("summary of %s", at).isNotBlank();
            assertThat((String) operation.get("description")).as("description of %s", at).isNotBlank();
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            assertThat(responses.keySet()).as("statuses of %s", at).anyMatch(status -> status.startsWith("2"));
            if (path.contains("{")) {
                assertThat(responses.keySet()).as("statuses of %s", at).anyMatch(status -> status.equals("404") || status.equals("400"));
            }
            operationIds.add((String) operation.get("operationId"));
        }));
        assertThat(operationIds).as("every provisioner operation").hasSize(16).doesNotHaveDuplicates();
    }

    @Test
    void acceptedCommandsDocumentTheirLocationAndTheCommandIdRule() {
        JsonPath doc = document();
        for (String at : List.of("paths.'/v1/clusters'.post", "paths.'/v1/clusters/{name}'.delete", "paths.'/v1/clusters/{name}/stop'.post",
                "paths.'/v1/clusters/{name}/start'.post", "paths.'/v1/clusters/{name}/groups/{tag}/count'.put")) {
            assertThat(doc.getMap(at + ".responses.'202'.headers")).as("headers of %s", at).containsKey("Location");
            assertThat(doc.getString(at + ".responses.'202'.content.'application/json'.schema.'$ref'")).as("202 body of %s", at)
                    .endsWith("/CommandAccepted");
        }
        assertThat(doc.getString("components.schemas.LaunchRequest.properties.commandId.pattern")).isEqualTo("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
        assertThat(doc.getString("paths.'/v1/clusters/{name}/stop'.post.parameters.find { it.name == 'commandId' }.schema.pattern"))
                .isEqualTo("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    }
}
