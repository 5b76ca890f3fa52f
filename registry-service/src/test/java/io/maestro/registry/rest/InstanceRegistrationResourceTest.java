package io.maestro.registry.rest;

import io.maestro.registry.store.RegistryStore;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class InstanceRegistrationResourceTest {
    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    static String uniqueService() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse register(String service, String instanceId, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().put("/v1/services/{s}/instances/{i}", service, instanceId).then();
    }

    static String registerAndGetToken(String service, String instanceId, String endpoint) {
        return register(service, instanceId, Map.of("endpoint", endpoint, "attributes", Map.of("version", "1"), "ttlSeconds", 30))
                .statusCode(201).extract().path("token");
    }

    @Test
    void aNewInstanceIsCreatedWithATokenAndTheNextRevision() {
        String service = uniqueService();
        register(service, "node-1", Map.of("endpoint", "http://10.0.0.1:8080", "attributes", Map.of("zone", "a"), "ttlSeconds", 15))
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("service", equalTo(service))
                .body("instanceId", equalTo("node-1"))
                .body("revision", equalTo(1))
                .body("ttlSeconds", equalTo(15))
                .body("token", notNullValue())
                .body("expiresAt", notNullValue());

        given().when().get("/v1/services/{s}", service).then()
                .statusCode(200)
                .body("service", equalTo(service))
                .body("revision", equalTo(1))
                .body("instances", hasSize(1))
                .body("instances[0].instanceId", equalTo("node-1"))
                .body("instances[0].endpoint", equalTo("http://10.0.0.1:8080"))
                .body("instances[0].attributes.zone", equalTo("a"))
                .body("instances[0].registeredAt", notNullValue())
                .body("instances[0].expiresAt", notNullValue())
                .body("instances[0]", not(org.hamcrest.Matchers.hasKey("token")));
    }

    @Test
    void theTtlDefaultsToTenSeconds() {
        String service = uniqueService();
        register(service, "node-1", Map.of("endpoint", "http://10.0.0.1:8080")).statusCode(201).body("ttlSeconds", equalTo(10));
    }

    @Test
    void registeringTheSameIdAgainUpdatesItAndNeverDuplicates() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");

        given().contentType(ContentType.JSON).header("X-Maestro-Token", token)
                .body(Map.of("endpoint", "http://10.0.0.1:9090", "attributes", Map.of("version", "2")))
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("token", equalTo(token));

        given().when().get("/v1/services/{s}", service).then()
                .body("instances", hasSize(1))
                .body("instances[0].endpoint", equalTo("http://10.0.0.1:9090"))
                .body("instances[0].attributes.version", equalTo("2"));
    }

    @Test
    void anIdenticalReRegistrationIsNotAChange() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token)
                .body(Map.of("endpoint", "http://10.0.0.1:8080", "attributes", Map.of("version", "1"), "ttlSeconds", 30))
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(200)
                .body("revision", equalTo(1));
    }

    @Test
    void reRegisteringAnUnexpiredInstanceWithoutItsTokenIsForbiddenAndLeavesTheOwnerInCharge() {
        String service = uniqueService();
        String ownerToken = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        given().contentType(ContentType.JSON)
                .body(Map.of("endpoint", "http://10.6.6.6:8080", "attributes", Map.of("version", "1"), "ttlSeconds", 30))
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", containsString("X-Maestro-Token"))
                .body("$", not(org.hamcrest.Matchers.hasKey("token")));

        given().when().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(1))
                .body("instances", hasSize(1))
                .body("instances[0].endpoint", equalTo("http://10.0.0.1:8080"));
        heartbeat(service, "node-1", ownerToken).statusCode(200);
    }

    @Test
    void aTokenChosenByTheCallerMakesRetryingARegistrationSafe() {
        String service = uniqueService();
        String chosen = "chosen-by-the-client-0123456789abcdef-XYZ_";
        Map<String, Object> body = Map.of("endpoint", "http://10.0.0.1:8080", "ttlSeconds", 30);
        given().contentType(ContentType.JSON).header("X-Maestro-Token", chosen).body(body)
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(201).body("token", equalTo(chosen)).body("revision", equalTo(1));
        // the answer was lost: the same request again, on any replica, is an update that changes nothing
        given().contentType(ContentType.JSON).header("X-Maestro-Token", chosen).body(body)
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(200).body("token", equalTo(chosen)).body("revision", equalTo(1));
        heartbeat(service, "node-1", chosen).statusCode(200);
    }

    @Test
    void aChosenTokenMustLookLikeOneTheRegistryIssues() {
        String service = uniqueService();
        for (String weak : List.of("short", "x".repeat(31), "has spaces in it and is long enough to count", "x".repeat(257))) {
            given().contentType(ContentType.JSON).header("X-Maestro-Token", weak).body(Map.of("endpoint", "http://10.0.0.1:8080"))
                    .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("X-Maestro-Token"));
        }
        given().when().get("/v1/services/{s}", service).then().body("instances", empty());
    }

    @Test
    void anExpiredInstanceIdCanBeRegisteredAgainWithoutAToken() {
        String service = uniqueService();
        String oldToken = register(service, "node-1", Map.of("endpoint", "http://10.0.0.1:8080", "ttlSeconds", 1))
                .statusCode(201).extract().path("token");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().when().get("/v1/services/{s}", service).then().body("instances", empty()));

        String newToken = register(service, "node-1", Map.of("endpoint", "http://10.0.0.2:8080", "ttlSeconds", 30))
                .statusCode(201).extract().path("token");
        assertThat(newToken).isNotEqualTo(oldToken);
        heartbeat(service, "node-1", newToken).statusCode(200);
    }

    @Test
    void reRegisteringWithAWrongTokenIsForbiddenAndChangesNothing() {
        String service = uniqueService();
        registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        given().contentType(ContentType.JSON).header("X-Maestro-Token", "a-well-formed-token-that-is-not-the-instances")
                .body(Map.of("endpoint", "http://10.6.6.6:8080"))
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("X-Maestro-Token presented is not the token"));
        given().when().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(1))
                .body("instances[0].endpoint", equalTo("http://10.0.0.1:8080"));
    }

    @Test
    void severalNodesUnderOneNameAreListedInIdOrder() {
        String service = uniqueService();
        registerAndGetToken(service, "node-b", "http://10.0.0.2:8080");
        registerAndGetToken(service, "node-a", "http://10.0.0.1:8080");
        registerAndGetToken(service, "node-c", "http://10.0.0.3:8080");
        given().when().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(3))
                .body("instances.instanceId", org.hamcrest.Matchers.contains("node-a", "node-b", "node-c"));
    }

    @Test
    void aHeartbeatRenewsTheTtlWithoutANewRevision() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        heartbeat(service, "node-1", token)
                .statusCode(200)
                .body("service", equalTo(service))
                .body("instanceId", equalTo("node-1"))
                .body("ttlSeconds", equalTo(30))
                .body("expiresAt", notNullValue());
        given().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(1));
    }

    @Test
    void aHeartbeatWithAWrongOrMissingTokenIsForbidden() {
        String service = uniqueService();
        registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        heartbeat(service, "node-1", "wrong").statusCode(403).contentType("application/problem+json").body("status", equalTo(403))
                .body("detail", containsString("X-Maestro-Token presented is not the token"));
        given().when().put("/v1/services/{s}/instances/{i}/heartbeat", service, "node-1").then()
                .statusCode(403).contentType("application/problem+json").body("detail", containsString("X-Maestro-Token is required"));
    }

    @Test
    void aHeartbeatForAnExpiredInstanceIsNotFound() throws InterruptedException {
        String service = uniqueService();
        String token = register(service, "node-1", Map.of("endpoint", "http://10.0.0.1:8080", "ttlSeconds", 1))
                .statusCode(201).extract().path("token");
        // Watch the listing, not the heartbeat: a heartbeat that arrived in time would renew the lease.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                given().get("/v1/services/{s}", service).then().body("instances", empty()));
        heartbeat(service, "node-1", token).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void deregistrationNeedsTheTokenAndRemovesTheInstance() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        registerAndGetToken(service, "node-2", "http://10.0.0.2:8080");

        given().header("X-Maestro-Token", "wrong").when().delete("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("X-Maestro-Token presented is not the token"));
        given().when().delete("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(403)
                .body("detail", containsString("X-Maestro-Token is required"));
        given().get("/v1/services/{s}", service).then().body("instances", hasSize(2));

        given().header("X-Maestro-Token", token).when().delete("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(204);
        given().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(3))
                .body("instances.instanceId", org.hamcrest.Matchers.contains("node-2"));
        given().header("X-Maestro-Token", token).when().delete("/v1/services/{s}/instances/{i}", service, "node-1").then()
                .statusCode(404);
    }

    @Test
    void anUnknownServiceHasRevisionZeroAndNoInstances() {
        given().when().get("/v1/services/{s}", uniqueService()).then()
                .statusCode(200)
                .body("revision", equalTo(0))
                .body("instances", empty());
    }

    @Test
    void instancesCanBeFilteredByAttribute() {
        String service = uniqueService();
        register(service, "old", Map.of("endpoint", "http://10.0.0.1:8080", "attributes", Map.of("version", "1"))).statusCode(201);
        register(service, "new", Map.of("endpoint", "http://10.0.0.2:8080", "attributes", Map.of("version", "2", "zone", "b"))).statusCode(201);
        given().queryParam("attr.version", "2").when().get("/v1/services/{s}", service).then()
                .body("revision", equalTo(2))
                .body("instances.instanceId", org.hamcrest.Matchers.contains("new"));
        given().queryParam("attr.version", "2").queryParam("attr.zone", "a").when().get("/v1/services/{s}", service).then()
                .body("instances", empty());
    }

    @Test
    void theServiceListShowsInstanceCountsAndRevisionsButNoTokens() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        registerAndGetToken(service, "node-2", "http://10.0.0.2:8080");
        String body = given().when().get("/v1/services").then()
                .statusCode(200)
                .body("service", hasItem(service))
                .body("find { it.service == '" + service + "' }.instances", equalTo(2))
                .body("find { it.service == '" + service + "' }.revision", equalTo(2))
                .extract().asString();
        assertThat(body).doesNotContain(token);
        assertThat(given().get("/v1/services/{s}", service).asString()).doesNotContain(token);
    }

    @Test
    void redisHoldsOnlyAHashOfTheTokenAndTheInstanceKeyHasTheTtl() {
        String service = uniqueService();
        String token = registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        String key = store.keys().instance(service, "node-1");
        Map<String, String> fields = redis.hash(String.class).hgetall(key);
        assertThat(fields).containsKeys("endpoint", "attributes", "registeredAt", "ttl", "token");
        assertThat(fields.get("token")).isNotEqualTo(token).hasSize(64);
        assertThat(redis.key().pttl(key)).isBetween(25_000L, 30_000L);
        assertThat(redis.sortedSet(String.class).zscore(store.keys().index(service), "node-1")).isNotNull();
        assertThat(redis.value(String.class).get(store.keys().revision(service))).isEqualTo("1");
    }

    static ValidatableResponse heartbeat(String service, String instanceId, String token) {
        return given().header("X-Maestro-Token", token)
                .when().put("/v1/services/{s}/instances/{i}/heartbeat", service, instanceId).then();
    }

    @Test
    void problemDetailsNeverEchoTheToken() {
        String service = uniqueService();
        registerAndGetToken(service, "node-1", "http://10.0.0.1:8080");
        heartbeat(service, "node-1", "secret-guess-123").statusCode(403)
                .body("detail", containsString("X-Maestro-Token presented is not the token"))
                .body(not(containsString("secret-guess-123")));
    }
}
