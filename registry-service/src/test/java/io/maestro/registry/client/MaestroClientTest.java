package io.maestro.registry.client;

import io.maestro.registry.store.RegistryStore;
import io.maestro.client.registry.Instance;
import io.maestro.client.registry.Maestro;
import io.maestro.client.registry.Registry;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;

/** The MaestroJS-style client against the real registry-service. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class MaestroClientTest {
    @TestHTTPResource("/")
    URI registry;

    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    final List<Maestro> clients = new ArrayList<>();

    @AfterEach
    void quitAll() {
        clients.forEach(Maestro::quit);
    }

    Maestro client(String instanceId, Duration ttl) {
        Maestro maestro = Maestro.builder(registry).token(Tokens.admin()).instanceId(instanceId).ttl(ttl).build();
        clients.add(maestro);
        return maestro;
    }

    static String svc(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String register(String service, String instanceId, String endpoint) {
        return given().contentType(ContentType.JSON).body(Map.of("endpoint", endpoint, "ttlSeconds", 60))
                .put("/v1/services/{s}/instances/{i}", service, instanceId).then().statusCode(201).extract().path("token");
    }

    static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::instanceId).toList();
    }

    @Test
    void aReaderSeesEachServiceWithItsCountAndItsInstancesFilteredByAttribute() {
        String service = svc("read");
        given().contentType(ContentType.JSON).body(Map.of("endpoint", "http://10.0.2.1:80", "ttlSeconds", 60, "attributes", Map.of("zone", "a")))
                .put("/v1/services/{s}/instances/{i}", service, "r-1").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("endpoint", "http://10.0.2.2:80", "ttlSeconds", 60, "attributes", Map.of("zone", "b")))
                .put("/v1/services/{s}/instances/{i}", service, "r-2").then().statusCode(201);
        Registry reader = Registry.builder(registry).token(Tokens.admin()).build();

        assertThat(reader.services()).filteredOn(s -> s.service().equals(service)).singleElement()
                .satisfies(s -> assertThat(s.instances()).isEqualTo(2));
        Registry.Service all = reader.service(service);
        assertThat(all.revision()).isPositive();
        assertThat(ids(all.instances())).containsExactlyInAnyOrder("r-1", "r-2");
        Registry.Service zoneB = reader.service(service, Map.of("zone", "b"));
        assertThat(zoneB.instances()).singleElement().satisfies(i -> {
            assertThat(i.endpoint()).isEqualTo("http://10.0.2.2:80");
            assertThat(i.attribute("zone")).isEqualTo("b");
            assertThat(i.expiresAt()).isAfter(i.registeredAt());
        });
        assertThat(reader.service(svc("never")).instances()).isEmpty();
    }

    @Test
    void startRunsOnlyAfterEveryDependencyHasAnInstanceAndOnlyThenRegisters() throws InterruptedException {
        String db = svc("db");
        String cache = svc("cache");
        String api = svc("api");
        Maestro maestro = client("api-node-1", Duration.ofSeconds(10));
        AtomicBoolean started = new AtomicBoolean();
        maestro.use(db, list -> { }).use(cache, list -> { });
        maestro.register(api, Map.of("endpoint", "http://10.0.0.7:8080", "version", "2"));
        maestro.start(() -> started.set(true));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !started.get());
        assertThat(maestro.missing()).containsExactlyInAnyOrder(db, cache);
        given().get("/v1/services/{s}", api).then().body("instances", empty());

        register(db, "db-1", "tcp://10.0.0.2:5432");
        // Once the client's watch has seen db-1, only the cache is missing, and start still waits.
        await().atMost(Duration.ofSeconds(10)).until(() -> maestro.missing().equals(Set.of(cache)));
        assertThat(started).isFalse();

        register(cache, "cache-1", "tcp://10.0.0.3:6379");
        await().atMost(Duration.ofSeconds(5)).untilTrue(started);
        assertThat(maestro.started()).isCompleted();
        // Registered before the callback ran.
        given().get("/v1/services/{s}", api).then()
                .body("instances.instanceId", org.hamcrest.Matchers.contains("api-node-1"))
                .body("instances[0].endpoint", org.hamcrest.Matchers.equalTo("http://10.0.0.7:8080"))
                .body("instances[0].attributes.version", org.hamcrest.Matchers.equalTo("2"));
    }

    @Test
    void aHealthyOnlyUseGetsTheServingInstancesOnlyAndStartWaitsForOne() {
        String service = svc("healthy");
        String token = register(service, "h-1", "http://10.0.4.1:80");
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(Map.of("state", "draining"))
                .put("/v1/services/{s}/instances/h-1/state", service).then().statusCode(200);
        Maestro maestro = client("healthy-reader", Duration.ofSeconds(10));
        List<List<String>> healthy = new CopyOnWriteArrayList<>();
        List<List<String>> all = new CopyOnWriteArrayList<>();
        AtomicBoolean started = new AtomicBoolean();
        maestro.use(service, true, list -> healthy.add(ids(list))).use(service, list -> all.add(ids(list)));
        maestro.start(() -> started.set(true));

        await().atMost(Duration.ofSeconds(10)).until(() -> !all.isEmpty() && all.get(all.size() - 1).equals(List.of("h-1")));
        assertThat(healthy).containsExactly(List.of());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !started.get());
        assertThat(maestro.missing()).containsExactly(service);

        register(service, "h-2", "http://10.0.4.2:80");
        await().atMost(Duration.ofSeconds(5)).untilTrue(started);
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get(healthy.size() - 1).equals(List.of("h-2")));
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token).body(Map.of("state", "active"))
                .put("/v1/services/{s}/instances/h-1/state", service).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get(healthy.size() - 1).equals(List.of("h-1", "h-2")));
        assertThat(maestro.instances(service)).allSatisfy(i -> assertThat(i.state()).isEqualTo("active"));
        assertThat(healthy).as("told only when the serving list changed").containsExactly(List.of(), List.of("h-2"), List.of("h-1", "h-2"));
    }

    @Test
    void startWithoutDependenciesRunsAtOnce() {
        Maestro maestro = client("lonely", Duration.ofSeconds(10));
        AtomicBoolean started = new AtomicBoolean();
        maestro.start(() -> started.set(true));
        await().atMost(Duration.ofSeconds(5)).untilTrue(started);
    }

    @Test
    void useSeesEveryChangeInOrderEvenAcrossReconnections() {
        String service = svc("orders");
        // An idle timeout far below the registry's keep-alive: the watch is dropped whenever it is quiet for
        // 200 ms, and resumed from the last revision seen; every change after the first lands on a resumed watch.
        Maestro maestro = Maestro.builder(registry).token(Tokens.admin()).instanceId("watcher").idleTimeout(Duration.ofMillis(200)).build();
        clients.add(maestro);
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        maestro.use(service, list -> seen.add(ids(list)));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen.get(0)).isEmpty();

        List<List<String>> expected = new ArrayList<>();
        expected.add(List.of());
        String tokenA = null;
        String tokenB = null;
        for (int round = 0; round < 4; round++) {
            String a = "a" + round;
            String b = "b" + round;
            tokenA = register(service, a, "http://10.0.1.1:80");
            expected.add(withPrevious(expected, a, null));
            awaitSeenThenResumed(maestro, service, seen, expected.size());
            tokenB = register(service, b, "http://10.0.1.2:80");
            expected.add(withPrevious(expected, b, null));
            awaitSeenThenResumed(maestro, service, seen, expected.size());
            given().header("X-Maestro-Token", tokenA).delete("/v1/services/{s}/instances/{i}", service, a).then().statusCode(204);
            expected.add(withPrevious(expected, null, a));
            awaitSeenThenResumed(maestro, service, seen, expected.size());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= expected.size());
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(maestro.revision(service)).isEqualTo(12);
        assertThat(maestro.watchConnections(service)).as("the watch was resumed").isGreaterThan(3);
    }

    private static List<String> withPrevious(List<List<String>> expected, String add, String remove) {
        List<String> next = new ArrayList<>(expected.get(expected.size() - 1));
        if (add != null) {
            next.add(add);
        }
        next.remove(remove);
        next.sort(String::compareTo);
        return List.copyOf(next);
    }

    @Test
    void heartbeatsKeepARegistrationAliveAndQuitRemovesIt() {
        String service = svc("worker");
        Maestro maestro = client("worker-1", Duration.ofSeconds(2));
        maestro.register(service, "http://10.0.0.8:9000", Map.of());
        maestro.start(() -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> instanceIds(service).contains("worker-1"));
        // the client's own heartbeats keep it registered well past its 2 s TTL
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> instanceIds(service).equals(List.of("worker-1")));

        maestro.quit();
        assertThat(instanceIds(service)).isEmpty();
    }

    @Test
    void aClientGivenSeveralRegistriesCarriesOnWithOneThatAnswers() {
        String service = svc("relay");
        String dependency = svc("db");
        URI unreachable = URI.create("http://127.0.0.1:1/"); // nothing listens: connection refused
        Maestro maestro = Maestro.builder(List.of(unreachable, registry)).token(Tokens.admin()).instanceId("relay-1").ttl(Duration.ofSeconds(2)).build();
        clients.add(maestro);
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean started = new AtomicBoolean();
        maestro.use(dependency, list -> seen.add(ids(list)));
        maestro.register(service, "http://10.0.0.12:80", Map.of());
        maestro.start(() -> started.set(true));
        register(dependency, "db-1", "tcp://10.0.0.13:5432");

        // The watch, the registration and its heartbeats all reach the registry that answers.
        await().atMost(Duration.ofSeconds(10)).untilTrue(started);
        assertThat(seen).contains(List.of("db-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> instanceIds(service).contains("relay-1"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> instanceIds(service).equals(List.of("relay-1")));
    }

    @Test
    void aRegistrationTheRegistryLostIsRegisteredAgain() {
        String service = svc("phoenix");
        Maestro maestro = client("phoenix-1", Duration.ofSeconds(3));
        maestro.register(service, "http://10.0.0.9:9000", Map.of());
        maestro.start(() -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> instanceIds(service).contains("phoenix-1"));
        long before = given().get("/v1/services/{s}", service).then().extract().jsonPath().getLong("revision");
        redis.key().del(store.keys().instance(service, "phoenix-1"));
        // Listed again under a newer revision: the loss was noticed and the client registered again (a heartbeat
        // changes no revision). The empty list in between may be too brief for a poll to see.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                given().get("/v1/services/{s}", service).then().extract().jsonPath().getLong("revision") > before
                        && instanceIds(service).contains("phoenix-1"));
    }

    @Test
    void unregisterRemovesThisNodeButKeepsWatching() {
        String service = svc("shared");
        Maestro node = client("node-x", Duration.ofSeconds(10));
        Maestro observer = client("observer", Duration.ofSeconds(10));
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        observer.use(service, list -> seen.add(ids(list)));
        node.use(service, list -> { });
        node.register(service, "http://10.0.0.10:80", Map.of());
        register(service, "seed", "http://10.0.0.11:80");
        node.start(() -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(List.of("node-x", "seed")));
        node.unregister();
        assertThat(instanceIds(service)).containsExactly("seed");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.get(seen.size() - 1).equals(List.of("seed")));
        assertThat(node.instances(service)).extracting(Instance::instanceId).containsExactly("seed");
    }

    @Test
    void startGivesUpAfterItsTimeoutNamingWhatIsMissing() {
        String missing = svc("never");
        String own = svc("own");
        Maestro maestro = client("impatient", Duration.ofSeconds(10));
        AtomicReference<Set<String>> reported = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        maestro.use(missing, list -> { });
        maestro.register(own, "http://10.0.0.12:80", Map.of());
        maestro.start(() -> started.set(true), Duration.ofMillis(700), reported::set);
        await().atMost(Duration.ofSeconds(5)).until(() -> reported.get() != null);
        assertThat(reported.get()).containsExactly(missing);
        assertThat(started).isFalse();
        assertThat(maestro.started()).isCompletedExceptionally();
        assertThat(instanceIds(own)).isEmpty();
    }

    private static List<String> instanceIds(String service) {
        return given().get("/v1/services/{s}", service).then().extract().jsonPath().getList("instances.instanceId", String.class);
    }

    /** The client saw the change, then its quiet watch was dropped and resumed, so the next change meets a new one. */
    private static void awaitSeenThenResumed(Maestro maestro, String service, List<List<String>> seen, int changes) {
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= changes);
        int connections = maestro.watchConnections(service);
        await().atMost(Duration.ofSeconds(5)).until(() -> maestro.watchConnections(service) > connections);
    }
}
