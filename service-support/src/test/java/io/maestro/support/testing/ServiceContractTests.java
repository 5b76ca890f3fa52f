package io.maestro.support.testing;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
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
    void prometheusMetricsAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
