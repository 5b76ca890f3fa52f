package io.maestro.registry.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Every invalid field is answered 400 problem+json naming it, and nothing is registered. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class RegistrationValidationTest {

    static Stream<Arguments> invalidRegistrations() {
        String big = "x".repeat(16 * 1024);
        return Stream.of(
                Arguments.of("Bad_Service", "node-1", valid(), "service"),
                Arguments.of("-leading-dash", "node-1", valid(), "service"),
                Arguments.of("x".repeat(129), "node-1", valid(), "service"),
                Arguments.of(null, "Node:1", valid(), "instanceId"),
                Arguments.of(null, "node 1", valid(), "instanceId"),
                Arguments.of(null, "node-1", without("endpoint"), "endpoint"),
                Arguments.of(null, "node-1", with("endpoint", ""), "endpoint"),
                Arguments.of(null, "node-1", with("endpoint", "not a uri"), "endpoint"),
                Arguments.of(null, "node-1", with("endpoint", "/relative/path"), "endpoint"),
                Arguments.of(null, "node-1", with("endpoint", "localhost:8080"), "endpoint"),
                Arguments.of(null, "node-1", with("attributes", Map.of("blob", big)), "attributes"),
                Arguments.of(null, "node-1", with("attributes", Map.of("", "empty key")), "attributes"),
                Arguments.of(null, "node-1", with("attributes", Map.of("nested", Map.of("a", "b"))), "attributes.nested"),
                Arguments.of(null, "node-1", with("attributes", "not an object"), "attributes"),
                Arguments.of(null, "node-1", with("ttlSeconds", 0), "ttlSeconds"),
                Arguments.of(null, "node-1", with("ttlSeconds", 3601), "ttlSeconds"),
                Arguments.of(null, "node-1", with("ttlSeconds", -5), "ttlSeconds"),
                Arguments.of(null, "node-1", with("ttlSeconds", "ten"), "ttlSeconds"));
    }

    static Map<String, Object> valid() {
        Map<String, Object> body = new HashMap<>();
        body.put("endpoint", "http://10.0.0.1:8080");
        body.put("attributes", Map.of("version", "1"));
        body.put("ttlSeconds", 10);
        return body;
    }

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = valid();
        body.put(field, value);
        return body;
    }

    static Map<String, Object> without(String field) {
        Map<String, Object> body = valid();
        body.remove(field);
        return body;
    }

    @ParameterizedTest(name = "{3}: {2}")
    @MethodSource("invalidRegistrations")
    void anInvalidFieldIsA400NamingItAndNothingIsRegistered(String service, String instanceId, Map<String, Object> body, String field) {
        String target = service != null ? service : InstanceRegistrationResourceTest.uniqueService();
        given().contentType(ContentType.JSON).body(body)
                .when().put("/v1/services/{s}/instances/{i}", target, instanceId).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
        if (service == null) {
            given().when().get("/v1/services/{s}", target).then()
                    .statusCode(200)
                    .body("revision", equalTo(0))
                    .body("instances", empty());
        }
    }

    @Test
    void aMissingBodyIsA400() {
        given().contentType(ContentType.JSON)
                .when().put("/v1/services/{s}/instances/{i}", InstanceRegistrationResourceTest.uniqueService(), "node-1").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void malformedJsonIsA400() {
        given().contentType(ContentType.JSON).body("{\"endpoint\": ")
                .when().put("/v1/services/{s}/instances/{i}", InstanceRegistrationResourceTest.uniqueService(), "node-1").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void everyBrokenFieldIsReportedAtOnce() {
        Map<String, Object> body = new HashMap<>();
        body.put("endpoint", "nope");
        body.put("ttlSeconds", 0);
        given().contentType(ContentType.JSON).body(body)
                .when().put("/v1/services/{s}/instances/{i}", "Bad", "Bad").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("service", "instanceId", "endpoint", "ttlSeconds"));
    }

    @Test
    void invalidNamesInOtherCallsAre400s() {
        given().header("X-Maestro-Token", "t").when().put("/v1/services/{s}/instances/{i}/heartbeat", "BAD", "node-1").then()
                .statusCode(400).body("errors.field", hasItem("service"));
        given().header("X-Maestro-Token", "t").when().delete("/v1/services/{s}/instances/{i}", "svc", "BAD!").then()
                .statusCode(400).body("errors.field", hasItem("instanceId"));
        given().when().get("/v1/services/{s}", "BAD").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("service"));
    }
}
