package io.maestro.registry.checks;

import com.sun.net.httpserver.HttpServer;
import io.maestro.localstack.LocalStackResource;
import io.maestro.registry.store.RegistryStore;
import jakarta.inject.Inject;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Health checks run by the registry itself (one replica here, coordination single): status changes are announced,
 * {@code ?healthy=true} keeps the serving instances, and a check can never make the registry a way into its network.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class HealthChecksTest {
    private HttpServer server;
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private String base;

    @BeforeEach
    void startTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            byte[] body = ("status " + healthStatus.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(healthStatus.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/big", exchange -> {
            byte[] body = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/health");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopTarget() {
        server.stop(0);
    }

    static String uniqueService() {
        return "chk-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse register(String service, String instanceId, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/v1/services/{s}/instances/{i}", service, instanceId).then();
    }

    static Map<String, Object> instance(String service, String instanceId) {
        List<Map<String, Object>> instances = given().when().get("/v1/services/{s}", service).then().statusCode(200)
                .extract().jsonPath().getList("instances");
        return instances.stream().filter(i -> instanceId.equals(i.get("instanceId"))).findFirst().orElse(null);
    }

    static String health(String service, String instanceId) {
        Map<String, Object> found = instance(service, instanceId);
        return found == null ? null : (String) found.get("health");
    }

    @Inject
    RegistryStore store;

    /** The types of the service's logged changes, oldest first (what watches and Kafka get). */
    List<String> changeTypes(String service) {
        return store.changesAfter(Map.of(service, 0L), 1000).await().atMost(Duration.ofSeconds(5)).get(service).stream()
                .map(entry -> entry.event().change().type().name()).toList();
    }

    private Map<String, Object> httpCheck(String url, int interval, int timeout) {
        return Map.of("http", url, "intervalSeconds", interval, "timeoutSeconds", timeout);
    }

    @Test
    void anHttpCheckThatStartsFailingIsAnnouncedCriticalWithinIntervalPlusTimeoutPlusOneSecond() {
        String service = uniqueService();
        register(service, "web-1", Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 1, 1))))
                .statusCode(201);
        assertThat(health(service, "web-1")).as("before its first probe").isEqualTo("critical");
        await().atMost(Duration.ofSeconds(5)).until(() -> "passing".equals(health(service, "web-1")));
        given().when().get("/v1/services/{s}?healthy=true", service).then().body("instances.instanceId", hasItem("web-1"));

        healthStatus.set(503);
        long failingSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50)).until(() -> "critical".equals(health(service, "web-1")));
        Duration announced = Duration.ofNanos(System.nanoTime() - failingSince);
        assertThat(announced).as("interval 1 s + timeout 1 s + 1 s").isLessThanOrEqualTo(Duration.ofSeconds(3));

        Map<String, Object> critical = instance(service, "web-1");
        assertThat((String) critical.get("healthOutput")).contains("HTTP 503").contains("status 503");
        assertThat(changeTypes(service)).containsSubsequence("REGISTERED", "CHECK_PASSING", "CHECK_CRITICAL");
        assertThat(given().when().get("/v1/services/{s}?healthy=true", service).then().statusCode(200)
                .extract().jsonPath().getList("instances")).isEmpty();

        healthStatus.set(200);
        await().atMost(Duration.ofSeconds(4)).until(() -> "passing".equals(health(service, "web-1")));
        assertThat(instance(service, "web-1").get("healthOutput")).isNull();
    }

    @Test
    void aTcpCheckIsPassingWhileThePortAcceptsAndCriticalOnceItIsClosed() throws IOException {
        String service = uniqueService();
        ServerSocket port = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        int number = port.getLocalPort();
        register(service, "db-1", Map.of("endpoint", "tcp://127.0.0.1:" + number,
                "checks", List.of(Map.of("tcp", "127.0.0.1:" + number, "intervalSeconds", 1, "timeoutSeconds", 1)))).statusCode(201);
        await().atMost(Duration.ofSeconds(5)).until(() -> "passing".equals(health(service, "db-1")));
        port.close();
        long closedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50)).until(() -> "critical".equals(health(service, "db-1")));
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat((String) instance(service, "db-1").get("healthOutput")).contains("TCP connect 127.0.0.1:" + number);
    }

    @Test
    void aServerThatNeverAnswersIsCriticalAfterTheTimeout() throws IOException {
        String service = uniqueService();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/health";
            register(service, "stuck-1", Map.of("endpoint", "http://127.0.0.1:" + silent.getLocalPort(),
                    "checks", List.of(httpCheck(url, 2, 1)))).statusCode(201);
            await().atMost(Duration.ofSeconds(6)).until(() -> {
                Map<String, Object> found = instance(service, "stuck-1");
                return found != null && String.valueOf(found.get("healthOutput")).contains("failed after");
            });
            assertThat(health(service, "stuck-1")).isEqualTo("critical");
        }
    }

    @Test
    void redirectsAreNotFollowedAndBodiesAreReadUpTo4KiB() {
        String service = uniqueService();
        register(service, "moved-1", Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/moved", 1, 1)))).statusCode(201);
        register(service, "big-1", Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/big", 1, 1)))).statusCode(201);
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(instance(service, "moved-1").get("healthOutput")).contains("HTTP 302"));
        assertThat(health(service, "moved-1")).as("a 302 is not a 2xx, and /health behind it is not asked").isEqualTo("critical");
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(instance(service, "big-1").get("healthOutput")).contains("HTTP 500"));
        String output = (String) instance(service, "big-1").get("healthOutput");
        assertThat(output.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096).isGreaterThan(4000);
    }

    @Test
    void checksMayNotTargetOtherHostsMetadataAddressesOrTooMany() {
        String service = uniqueService();
        Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
        refused.put("must target the host of the instance's endpoint",
                Map.of("endpoint", "http://127.0.0.1:8080", "checks", List.of(httpCheck("http://10.1.2.3:8080/health", 5, 2))));
        refused.put("169.254.0.0/16 (link-local, where cloud metadata services answer)",
                Map.of("endpoint", "http://169.254.169.254", "checks", List.of(httpCheck("http://169.254.169.254/latest/meta-data/", 5, 2))));
        refused.put("fd00:ec2::254 (the EC2 metadata service)",
                Map.of("endpoint", "http://[fd00:ec2::254]", "checks", List.of(Map.of("tcp", "[fd00:ec2::254]:80"))));
        refused.put("at most 4 checks per instance",
                Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 5, 2), httpCheck(base + "/health", 5, 2),
                        httpCheck(base + "/health", 5, 2), httpCheck(base + "/health", 5, 2), httpCheck(base + "/health", 5, 2))));
        refused.put("checks[0].intervalSeconds: must be between 1 and 3600",
                Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 0, 1))));
        refused.put("checks[0].timeoutSeconds: must be between 1 and the interval (2)",
                Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 2, 3))));
        refused.put("needs exactly one of \"http\" (a URL) and \"tcp\" (host:port)",
                Map.of("endpoint", base, "checks", List.of(Map.of("http", base + "/health", "tcp", "127.0.0.1:80"))));
        refused.put("must be an http:// or https:// URL",
                Map.of("endpoint", base, "checks", List.of(Map.of("http", "file:///etc/passwd"))));
        refused.put("must be host:port",
                Map.of("endpoint", base, "checks", List.of(Map.of("tcp", "127.0.0.1"))));
        int n = 0;
        for (var entry : refused.entrySet()) {
            register(service, "bad-" + n++, entry.getValue())
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(entry.getKey()));
        }
        assertThat(given().when().get("/v1/services/{s}", service).then().extract().jsonPath().getInt("revision"))
                .as("a refused registration writes nothing").isZero();
    }

    @Test
    void aDrainedInstanceStaysRegisteredButLeavesTheHealthyListAndTheChangeIsAnnounced() {
        String service = uniqueService();
        String token = register(service, "web-1", Map.of("endpoint", "http://10.0.0.1:8080")).statusCode(201).extract().path("token");
        register(service, "web-2", Map.of("endpoint", "http://10.0.0.2:8080")).statusCode(201);

        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(Map.of("state", "draining"))
                .when().put("/v1/services/{s}/instances/web-1/state", service)
                .then().statusCode(200).body("state", equalTo("draining"));
        assertThat(instance(service, "web-1").get("state")).isEqualTo("draining");
        assertThat(given().when().get("/v1/services/{s}?healthy=true", service).then().extract().jsonPath().getList("instances.instanceId"))
                .containsExactly("web-2");
        assertThat(changeTypes(service)).endsWith("STATE_CHANGED");

        // the same state again changes nothing; a wrong token changes nothing; an unknown state is a 400
        int revision = given().when().get("/v1/services/{s}", service).then().extract().path("revision");
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(Map.of("state", "draining"))
                .when().put("/v1/services/{s}/instances/web-1/state", service).then().statusCode(200).body("revision", equalTo(revision));
        given().contentType(ContentType.JSON).header("X-Maestro-Token", "x".repeat(40)).body(Map.of("state", "active"))
                .when().put("/v1/services/{s}/instances/web-1/state", service).then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("state", "asleep"))
                .when().put("/v1/services/{s}/instances/web-1/state", service)
                .then().statusCode(400).body("detail", containsString("state: must be one of active, draining, maintenance"));

        // an operator (registry:register for the service) may act without the instance's token
        given().contentType(ContentType.JSON).body(Map.of("state", "maintenance"))
                .when().put("/v1/services/{s}/instances/web-2/state", service).then().statusCode(200);
        assertThat(given().when().get("/v1/services/{s}?healthy=true", service).then().extract().jsonPath().getList("instances")).isEmpty();
        given().contentType(ContentType.JSON).body(Map.of("state", "active"))
                .when().put("/v1/services/{s}/instances/web-2/state", service).then().statusCode(200);
        assertThat(given().when().get("/v1/services/{s}?healthy=true", service).then().extract().jsonPath().getList("instances.instanceId"))
                .containsExactly("web-2");
        given().contentType(ContentType.JSON).body(Map.of("state", "active"))
                .when().put("/v1/services/{s}/instances/gone/state", service).then().statusCode(404);
    }

    @Test
    void anInstanceCriticalForLongerThanItsLimitIsDeregistered() {
        String service = uniqueService();
        healthStatus.set(500);
        register(service, "web-1", Map.of("endpoint", base, "ttlSeconds", 60, "deregisterCriticalAfterSeconds", 2,
                "checks", List.of(httpCheck(base + "/health", 1, 1)))).statusCode(201);
        await().atMost(Duration.ofSeconds(8)).until(() -> instance(service, "web-1") == null);
        assertThat(changeTypes(service)).last().isEqualTo("DEREGISTERED");
    }

    @Test
    void registeringAgainWithTheSameChecksKeepsTheirStatusAndNewChecksStartOver() {
        String service = uniqueService();
        Map<String, Object> body = Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 1, 1)));
        String token = register(service, "web-1", body).statusCode(201).extract().path("token");
        await().atMost(Duration.ofSeconds(5)).until(() -> "passing".equals(health(service, "web-1")));
        int revision = given().when().get("/v1/services/{s}", service).then().extract().path("revision");
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(body)
                .when().put("/v1/services/{s}/instances/web-1", service).then().statusCode(200).body("revision", equalTo(revision));
        assertThat(health(service, "web-1")).isEqualTo("passing");

        Map<String, Object> changed = Map.of("endpoint", base, "checks", List.of(httpCheck(base + "/health", 2, 1)));
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(changed)
                .when().put("/v1/services/{s}/instances/web-1", service).then().statusCode(200);
        assertThat(health(service, "web-1")).isEqualTo("critical");
        await().atMost(Duration.ofSeconds(5)).until(() -> "passing".equals(health(service, "web-1")));
        List<String> types = new ArrayList<>(changeTypes(service));
        assertThat(types).containsSubsequence("CHECK_PASSING", "UPDATED", "CHECK_PASSING");
    }
}
