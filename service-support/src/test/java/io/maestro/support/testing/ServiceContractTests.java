package io.maestro.support.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * What every Maestro service answers (DESIGN.md section 5): health, OpenAPI, Prometheus metrics and
 * problem+json errors. A service's test extends this with {@code @QuarkusTest} and its test resource.
 * Shipped in service-support's test-jar.
 */
public abstract class ServiceContractTests {

    @Test
    void readinessIsUpAndChecksKafka() {
        // Other tests of the same JVM may restart a server of the stack; readiness follows within a minute.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Kafka"))));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void anUnknownPathIsAnsweredWithAProblemDocument() {
        given().when().get("/v1/no-such-thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"));
    }

    @Test
    void openApiDocumentIsServed() {
        String application = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        given().queryParam("format", "json").when().get("/q/openapi").then()
                .statusCode(200)
                .body("info.title", equalTo("Maestro " + application));
    }

    @Test
    void theOpenApiDocumentDescribesEveryOperationWithAnIdADescriptionADeclaredTagAndProblemErrors() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().queryParam("format", "json").when().get("/q/openapi").asString());
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        assertThat(document.path("info").path("version").asText()).isNotBlank();
        assertThat(document.path("info").path("description").asText()).as("info.description").isNotBlank();
        assertThat(document.path("servers")).as("servers").isNotEmpty();
        Set<String> declaredTags = new HashSet<>();
        document.path("tags").forEach(tag -> declaredTags.add(tag.path("name").asText()));
        List<String> defects = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (method.getKey().equals("parameters")) {
                    continue;
                }
                operations++;
                String where = method.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = method.getValue();
                if (op.path("operationId").asText().isBlank() || !operationIds.add(op.path("operationId").asText())) {
                    defects.add(where + ": no operationId, or one used twice");
                }
                if (op.path("description").asText().isBlank()) {
                    defects.add(where + ": no description");
                }
                if (op.path("tags").isEmpty()) {
                    defects.add(where + ": no tag");
                }
                op.path("tags").forEach(tag -> {
                    if (!declaredTags.contains(tag.asText())) {
                        defects.add(where + ": tag '" + tag.asText() + "' is not declared in the document's tags");
                    }
                });
                op.path("responses").fields().forEachRemaining(response -> {
                    if (response.getKey().matches("[45]\\d\\d") && !response.getValue().path("content").has("application/problem+json")) {
                        defects.add(where + ": response " + response.getKey() + " is not documented as application/problem+json");
                    }
                });
                if (!op.path("responses").fieldNames().hasNext() || !op.path("responses").has("400") || !op.path("responses").has("500")) {
                    defects.add(where + ": the statuses every operation can return (400, 500) are not all listed");
                }
            }
        }
        assertThat(operations).isPositive();
        assertThat(defects).isEmpty();
    }

    @Test
    void anEncodedDotSegmentOrSlashInAPathIsRefusedBeforeRouting() {
        for (String path : List.of("/v1/x/%2E%2E/y", "/v1/x/%2e", "/v1/x/.%2E", "/v1/x/a%2Fb", "/v1/x/a%5cb")) {
            given().urlEncodingEnabled(false).when().get(path).then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors[0].field", equalTo("path"));
        }
    }

    @Test
    void aBadPercentEscapeOrATooLongUriIsAnsweredAsAProblem() throws Exception {
        RawHttp.Response badEscape = RawHttp.send(RestAssured.port, "GET", "/v1/x%zz?y=1", Map.of(), null);
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.header("content-type")).startsWith("application/problem+json");
        assertThat(badEscape.body()).contains("\"status\":400").contains("two hexadecimal digits");

        RawHttp.Response tooLong = RawHttp.send(RestAssured.port, "GET", "/v1/" + "a".repeat(20_000), Map.of(), null);
        assertThat(tooLong.status()).isEqualTo(414);
        assertThat(tooLong.header("content-type")).startsWith("application/problem+json");
        assertThat(tooLong.body()).contains("\"status\":414");
    }

    @Test
    void prometheusMetricsAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
