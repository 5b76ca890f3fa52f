package io.maestro.registry.messaging;

import io.maestro.registry.store.RegistryStore;
import io.maestro.events.CloudEvents;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.ServiceMembershipChanged.ChangeType;
import io.maestro.localstack.LocalStackResource;
import io.maestro.registry.ChangeRecords;
import io.maestro.registry.notifications.KeyspaceSubscriber;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registry changes reach Kafka through the relay in revision order, expiries are announced, nothing is lost. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ChangesToKafkaTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    @Inject
    KeyspaceSubscriber subscriber;

    ChangeRecords records;

    @BeforeEach
    void consume() {
        records = new ChangeRecords(bootstrapServers);
    }

    @AfterEach
    void stop() {
        records.close();
    }

    static String uniqueService() {
        return "bridge-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String register(String service, String instanceId, int ttlSeconds) {
        return register(service, instanceId, ttlSeconds, null);
    }

    /** Registers, or updates with the instance's token when it is registered already (an update needs it). */
    static String register(String service, String instanceId, int ttlSeconds, String token) {
        return given().contentType(ContentType.JSON).headers(token == null ? Map.of() : Map.of("X-Maestro-Token", token))
                .body(Map.of("endpoint", "http://10.0.0.1:8080/" + instanceId, "attributes", Map.of("id", instanceId), "ttlSeconds", ttlSeconds))
                .when().put("/v1/services/{s}/instances/{i}", service, instanceId).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                .extract().path("token");
    }

    static void deregister(String service, String instanceId, String token) {
        given().header("X-Maestro-Token", token).when().delete("/v1/services/{s}/instances/{i}", service, instanceId).then().statusCode(204);
    }

    @Test
    void threeNodesUnderOneNameGiveThreeRecordsWithTheGrowingListInRevisionOrder() {
        String service = uniqueService();
        register(service, "node-1", 30);
        register(service, "node-2", 30);
        register(service, "node-3", 30);

        await().atMost(Duration.ofSeconds(20)).until(() -> records.of(service).size() >= 3);
        List<ServiceMembershipChanged> events = records.of(service);
        assertThat(events).hasSize(3);
        assertThat(events).extracting(ServiceMembershipChanged::revision).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(e -> e.change().type()).containsOnly(ChangeType.REGISTERED);
        assertThat(events).extracting(e -> e.change().instanceId()).containsExactly("node-1", "node-2", "node-3");
        assertThat(events.get(0).instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId).containsExactly("node-1");
        assertThat(events.get(1).instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId).containsExactly("node-1", "node-2");
        assertThat(events.get(2).instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId).containsExactly("node-1", "node-2", "node-3");
        assertThat(events.get(2).instances().get(1).endpoint()).isEqualTo("http://10.0.0.1:8080/node-2");
        assertThat(events.get(2).instances().get(1).attributes()).containsEntry("id", "node-2");
        assertThat(events).extracting(ServiceMembershipChanged::eventId).doesNotHaveDuplicates();

        var first = records.receivedFor(service).get(0).record();
        assertThat(first.key()).isEqualTo(service);
        assertThat(header(first, CloudEvents.HEADER_TYPE)).isEqualTo("io.maestro.registry.ServiceMembershipChanged.v1");
        assertThat(header(first, CloudEvents.HEADER_SUBJECT)).isEqualTo(service);
        assertThat(header(first, CloudEvents.HEADER_ID)).isEqualTo(events.get(0).eventId());
        assertThat(header(first, CloudEvents.HEADER_SOURCE)).isEqualTo("/maestro/registry-service");
    }

    @Test
    void updatesAndDeregistrationsArePublishedAndTokensNeverAre() {
        String service = uniqueService();
        String token = register(service, "node-1", 30);
        given().contentType(ContentType.JSON).header("X-Maestro-Token", token)
                .body(Map.of("endpoint", "http://10.0.0.9:8080", "ttlSeconds", 30))
                .when().put("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(200);
        deregister(service, "node-1", token);

        await().atMost(Duration.ofSeconds(20)).until(() -> records.of(service).size() >= 3);
        List<ServiceMembershipChanged> events = records.of(service);
        assertThat(events).extracting(e -> e.change().type())
                .containsExactly(ChangeType.REGISTERED, ChangeType.UPDATED, ChangeType.DEREGISTERED);
        assertThat(events.get(1).instances().get(0).endpoint()).isEqualTo("http://10.0.0.9:8080");
        assertThat(events.get(2).instances()).isEmpty();
        assertThat(records.receivedFor(service)).allSatisfy(r -> assertThat(r.record().value()).doesNotContain(token));
    }

    @Test
    void heartbeatsAreNotChanges() throws InterruptedException {
        String service = uniqueService();
        String token = register(service, "node-1", 30);
        for (int i = 0; i < 5; i++) {
            given().header("X-Maestro-Token", token).put("/v1/services/{s}/instances/{i}/heartbeat", service, "node-1").then().statusCode(200);
        }
        // the registration and nothing else, for half a second after it arrived
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> records.of(service).size() == 1);
    }

    @Test
    void aNodeThatStopsHeartbeatingIsAnnouncedExpiredWithinItsTtlPlusOneSecond() {
        String service = uniqueService();
        register(service, "survivor", 60);
        String token = register(service, "crasher", 3);
        // It heartbeats every 500 ms until it has outlived its first TTL, never announced expired meanwhile, then
        // "crashes". The registry's own clock judges the bound: from the expiry its last heartbeat was granted to the
        // time the EXPIRED change was recorded, so a stalled test thread cannot fail it.
        long registered = System.nanoTime();
        Instant[] expiresAt = new Instant[1];
        await().pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15)).until(() -> {
            expiresAt[0] = Instant.parse(given().header("X-Maestro-Token", token)
                    .put("/v1/services/{s}/instances/{i}/heartbeat", service, "crasher").then().statusCode(200)
                    .extract().<String>path("expiresAt"));
            return System.nanoTime() - registered > Duration.ofSeconds(3).toNanos() + Duration.ofMillis(500).toNanos();
        });
        assertThat(records.of(service)).noneMatch(e -> e.change().type() == ChangeType.EXPIRED);
        await().atMost(Duration.ofSeconds(15)).until(() -> records.of(service).stream().anyMatch(e -> e.change().type() == ChangeType.EXPIRED));
        ChangeRecords.Received expired = records.receivedFor(service).stream()
                .filter(r -> r.event().change().type() == ChangeType.EXPIRED).findFirst().orElseThrow();
        long lateMs = Duration.between(expiresAt[0], expired.event().occurredAt()).toMillis();
        assertThat(lateMs).as("EXPIRED recorded %d ms after the lease granted by the last heartbeat ran out", lateMs).isBetween(0L, 1_000L);
        assertThat(expired.event().change().instanceId()).isEqualTo("crasher");
        assertThat(expired.event().instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId).containsExactly("survivor");
        given().get("/v1/services/{s}", service).then().body("instances.instanceId", org.hamcrest.Matchers.contains("survivor"));
    }

    @Test
    void aKeyDeletedBehindTheRegistrysBackIsAnnouncedAsDeregistered() {
        String service = uniqueService();
        register(service, "node-1", 60);
        redis.key().del(store.keys().instance(service, "node-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> records.of(service).size() >= 2);
        assertThat(records.of(service).get(1).change().type()).isEqualTo(ChangeType.DEREGISTERED);
        assertThat(records.of(service).get(1).instances()).isEmpty();
    }

    @Test
    void afterTheSubscriptionIsKilledTheLastRecordPerServiceEqualsRedisState() {
        List<String> services = List.of(uniqueService(), uniqueService(), uniqueService());
        Map<String, Map<String, String>> tokens = new HashMap<>();
        services.forEach(s -> tokens.put(s, new HashMap<>()));
        Random random = new Random(42);
        long subscriptionsBefore = subscriber.subscriptions();
        long[] atLastKill = {subscriptionsBefore - 1};
        for (int round = 0; round < 8; round++) {
            // Subscribed again since the last kill, not merely not yet told the old connection died.
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.isSubscribed() && subscriber.subscriptions() > atLastKill[0]);
            atLastKill[0] = subscriber.subscriptions();
            // Kill every pub/sub connection: notifications of the changes below are lost for good.
            redis.execute("CLIENT", "KILL", "TYPE", "pubsub");
            for (int op = 0; op < 6; op++) {
                String service = services.get(random.nextInt(services.size()));
                Map<String, String> live = tokens.get(service);
                if (!live.isEmpty() && random.nextBoolean()) {
                    String id = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
                    deregister(service, id, live.remove(id));
                } else {
                    String id = "node-" + random.nextInt(5);
                    live.put(id, register(service, id, 60, live.get(id)));
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.subscriptions() >= subscriptionsBefore + 8);

        // Converges before the periodic reconcile (10 s) would have: the re-subscription reconciled.
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            for (String service : services) {
                JsonPath state = given().get("/v1/services/{s}", service).then().extract().jsonPath();
                List<ServiceMembershipChanged> events = records.of(service);
                assertThat(events).as("records of %s", service).isNotEmpty();
                ServiceMembershipChanged last = events.get(events.size() - 1);
                assertThat(last.revision()).isEqualTo(state.getLong("revision"));
                assertThat(last.instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId)
                        .containsExactlyElementsOf(state.getList("instances.instanceId", String.class));
            }
        });
        for (String service : services) {
            List<Long> revisions = records.of(service).stream().map(ServiceMembershipChanged::revision).toList();
            assertThat(revisions).as("revisions of %s on Kafka", service).isSorted().doesNotHaveDuplicates();
        }
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
