package io.maestro.registry;

import io.maestro.registry.store.RegistryStore;
import io.maestro.registry.store.MembershipChanges;
import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.ServiceMembershipChanged.ChangeType;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Scopes on top of ownership tokens, and who did what: every change names the subject of the token of the request
 * that made it (in the service's change log in Redis, on Kafka), and no one for an expiry; a scope narrowed to names
 * allows those names only, and a refused request writes nothing.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class AccessAndAuditTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    @TestHTTPResource("/")
    URI base;

    ChangeRecords records;

    @BeforeEach
    void consume() {
        records = new ChangeRecords(bootstrapServers);
    }

    @AfterEach
    void stop() {
        records.close();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse register(String bearer, String service, String instanceId, int ttlSeconds, String instanceToken) {
        return register(bearer, service, instanceId, "http://10.0.0.1:8080/" + instanceId, ttlSeconds, instanceToken);
    }

    static ValidatableResponse register(String bearer, String service, String instanceId, String endpoint, int ttlSeconds,
                                        String instanceToken) {
        var request = given().header("Authorization", Tokens.bearer(bearer)).contentType(ContentType.JSON)
                .body(Map.of("endpoint", endpoint, "ttlSeconds", ttlSeconds));
        if (instanceToken != null) {
            request.header("X-Maestro-Token", instanceToken);
        }
        return request.when().put("/v1/services/{s}/instances/{i}", service, instanceId).then();
    }

    /** The JSON of every change the registry logged for {@code service} in Redis, oldest first. */
    List<String> loggedChanges(String service) {
        return redis.stream(String.class).xrange(store.keys().log(service), StreamRange.of("-", "+"))
                .stream().map(StreamMessage::payload).map(fields -> EventCodec.encodeToString(MembershipChanges.decode(fields))).toList();
    }

    @Test
    void eachChangeNamesTheSubjectOfTheTokenOfItsRequest() {
        String service = unique("audit-");
        String alice = Tokens.of("alice", "registry:register");
        String bob = Tokens.of("bob", "registry:register:audit-*");
        String instanceToken = register(alice, service, "node-1", 30, null).statusCode(201).extract().path("token");
        // another caller with the scope and the instance's token updates it, then deregisters it
        register(bob, service, "node-1", "http://10.0.0.2:8080", 30, instanceToken).statusCode(200);
        given().header("Authorization", Tokens.bearer(Tokens.of("carol", "registry:register")))
                .header("X-Maestro-Token", instanceToken)
                .when().delete("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(204);

        assertThat(loggedChanges(service)).hasSize(3)
                .satisfiesExactly(
                        json -> assertThat(json).contains("\"actor\":\"alice\""),
                        json -> assertThat(json).contains("\"actor\":\"bob\""),
                        json -> assertThat(json).contains("\"actor\":\"carol\""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(records.of(service)).hasSizeGreaterThanOrEqualTo(3));
        List<ServiceMembershipChanged> events = records.of(service);
        assertThat(events).extracting(e -> e.change().type())
                .containsExactly(ChangeType.REGISTERED, ChangeType.UPDATED, ChangeType.DEREGISTERED);
        assertThat(events).extracting(ServiceMembershipChanged::actor).containsExactly("alice", "bob", "carol");
        // the bearer tokens are in no event
        assertThat(records.receivedFor(service)).allSatisfy(r -> assertThat(r.record().value())
                .doesNotContain(alice).doesNotContain(bob).doesNotContain(instanceToken));
    }

    @Test
    void anExpiryWasNoOnesDoing() {
        String service = unique("audit-");
        register(Tokens.of("alice", "registry:register"), service, "node-1", 1, null).statusCode(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> records.of(service).size() >= 2);
        List<ServiceMembershipChanged> events = records.of(service);
        assertThat(events).extracting(e -> e.change().type()).containsExactly(ChangeType.REGISTERED, ChangeType.EXPIRED);
        assertThat(events.get(0).actor()).isEqualTo("alice");
        assertThat(events.get(1).actor()).isNull();
        assertThat(loggedChanges(service).get(1)).contains("\"actor\":null");
    }

    @Test
    void aRegisterScopeNarrowedToPaymentsRegistersUnderPaymentsOnlyAndARefusalWritesNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String payments = "payments.api-" + suffix;
        String billing = "billing-" + suffix;
        String token = Tokens.of("payments-deployer", "registry:register:payments.*");

        String instanceToken = register(token, payments, "node-1", 30, null).statusCode(201).extract().path("token");
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", instanceToken)
                .when().put("/v1/services/{s}/instances/{i}/heartbeat", payments, "node-1").then().statusCode(200);

        register(token, billing, "node-1", 30, null)
                .statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("insufficient_scope"))
                .body("detail", containsString("missing scope registry:register on service '" + billing + "'"))
                .body("detail", containsString("payments-deployer"));
        given().get("/v1/services/{s}", billing).then().statusCode(200).body("revision", equalTo(0)).body("instances", empty());
        assertThat(redis.key().keys(store.keys().log(billing).replace(":log", ":*"))).isEmpty();

        // nor can it touch an instance of billing that someone else registered, even with that instance's token
        String billingToken = register(Tokens.admin(), billing, "node-1", 30, null).statusCode(201).extract().path("token");
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", billingToken)
                .when().delete("/v1/services/{s}/instances/{i}", billing, "node-1").then()
                .statusCode(403).body("detail", containsString("missing scope registry:register"));
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", billingToken)
                .when().put("/v1/services/{s}/instances/{i}/heartbeat", billing, "node-1").then().statusCode(403);
        given().get("/v1/services/{s}", billing).then().body("revision", equalTo(1)).body("instances.instanceId", org.hamcrest.Matchers.contains("node-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> records.of(payments).size() >= 1 && records.of(billing).size() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> records.of(payments).size() == 1 && records.of(billing).size() == 1);
        assertThat(records.of(billing).get(0).actor()).isEqualTo("test-admin");
    }

    @Test
    void aReadScopeNarrowedToAServiceCannotListEveryServiceButReadsAndWatchesItsOwn() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String payments = "payments.api-" + suffix;
        String billing = "billing-" + suffix;
        register(Tokens.admin(), payments, "node-1", 30, null).statusCode(201);
        String reader = Tokens.of("payments-reader", "registry:read:payments.*");

        given().header("Authorization", Tokens.bearer(reader)).when().get("/v1/services").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("missing scope registry:read without a name pattern"));
        given().header("Authorization", Tokens.bearer(reader)).when().get("/v1/services/{s}", payments).then()
                .statusCode(200).body("instances.instanceId", org.hamcrest.Matchers.contains("node-1"));
        given().header("Authorization", Tokens.bearer(reader)).when().get("/v1/services/{s}", billing).then()
                .statusCode(403).body("detail", containsString("missing scope registry:read on service '" + billing + "'"));
        // a read scope registers nothing
        register(reader, payments, "node-2", 30, null).statusCode(403).body("detail", containsString("missing scope registry:register"));

        assertThat(watchStatus(payments, reader)).isEqualTo(200);
        assertThat(watchStatus(billing, reader)).isEqualTo(403);
        given().header("Authorization", Tokens.bearer(Tokens.of("payments-reader", "registry:read"))).when().get("/v1/services").then()
                .statusCode(200).body("service", org.hamcrest.Matchers.hasItem(payments));
    }

    private int watchStatus(String service, String bearer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/services/" + service + "/watch"))
                .header("Accept", "text/event-stream").header("Authorization", Tokens.bearer(bearer)).GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
