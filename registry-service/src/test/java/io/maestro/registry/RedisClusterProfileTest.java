package io.maestro.registry;

import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.ServiceMembershipChanged.ChangeType;
import io.maestro.localstack.LocalStackResource;
import io.maestro.localstack.RedisCluster;
import io.maestro.localstack.RedisServer;
import io.maestro.registry.notifications.KeyspaceSubscriber;
import io.maestro.registry.store.RegistryStore;
import io.maestro.support.redis.KeyShards;
import io.maestro.support.testing.Tokens;
import io.maestro.support.watch.SseClient;
import io.maestro.support.testing.OnRedisCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The registry on a real Redis Cluster (three masters from the local stack), its services spread over six shards:
 * every script touches one slot, the shards live on several masters, and what depends on each master's own keyspace
 * notifications (watches, expiries) works whichever master holds a service.
 */
@QuarkusTest
@TestProfile(RedisClusterProfileTest.SixShards.class)
class RedisClusterProfileTest {
    static final int SHARDS = 6;

    public static class SixShards extends OnRedisCluster {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.shards", Integer.toString(SHARDS));
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @TestHTTPResource("/")
    URI base;
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

    /** A new service name for each shard, by shard. */
    Map<Integer, String> oneServicePerShard() {
        return OnRedisCluster.oneNamePerShard(store.keys().shards(), "cluster");
    }

    static String register(String service, String instanceId, int ttlSeconds) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("endpoint", "http://10.0.0.1:8080/" + instanceId, "ttlSeconds", ttlSeconds))
                .when().put("/v1/services/{s}/instances/{i}", service, instanceId).then().statusCode(201)
                .extract().path("token");
    }

    @Test
    void servicesOfEveryShardLiveOnSeveralMastersAndTheirChangesReachKafkaInRevisionOrder() throws IOException {
        Map<Integer, String> services = oneServicePerShard();
        for (String service : services.values()) {
            register(service, "node-1", 30);
            String token = register(service, "node-2", 30);
            given().header("X-Maestro-Token", token).when().delete("/v1/services/{s}/instances/{i}", service, "node-2")
                    .then().statusCode(204);
        }
        for (String service : services.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(service).size() >= 3);
            List<ServiceMembershipChanged> events = records.of(service);
            assertThat(events).extracting(ServiceMembershipChanged::revision).containsExactly(1L, 2L, 3L);
            assertThat(events).extracting(e -> e.change().type())
                    .containsExactly(ChangeType.REGISTERED, ChangeType.REGISTERED, ChangeType.DEREGISTERED);
            assertThat(events.get(2).instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId).containsExactly("node-1");
        }
        List<Integer> mastersHoldingAService = new ArrayList<>();
        List<RedisServer> nodes = LocalStackResource.redisCluster().nodes();
        for (int n = 0; n < nodes.size(); n++) {
            for (String service : services.values()) {
                if (!RedisCluster.call(nodes.get(n).port(), List.of("KEYS", store.keys().log(service))).isEmpty()) {
                    mastersHoldingAService.add(n);
                    break;
                }
            }
        }
        assertThat(mastersHoldingAService).as("masters holding the shards' keys").hasSizeGreaterThanOrEqualTo(2);
        List<String> listed = given().get("/v1/services").then().statusCode(200).extract().jsonPath().getList("service");
        assertThat(listed).containsAll(services.values()).isSorted();
    }

    @Test
    void everyMasterIsSubscribedToAndWatchersAndExpiriesOfEveryShardAreWoken() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(subscriber::isSubscribed);
        assertThat(subscriber.subscriptions()).as("one keyspace subscription per master").isGreaterThanOrEqualTo(RedisCluster.MASTERS);
        Map<Integer, String> services = oneServicePerShard();
        for (String service : services.values()) {
            try (SseClient watch = new SseClient(base.resolve("/v1/services/" + service + "/watch"),
                    Map.of("Authorization", Tokens.bearer(Tokens.admin())))) {
                assertThat(watch.status).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> watch.events.size() >= 1); // the snapshot
                register(service, "short-lived", 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> watch.events.size() >= 3);
                assertThat(watch.events.get(1).data()).contains("REGISTERED");
                assertThat(watch.events.get(2).data()).as("the expiry, announced from the master holding " + service).contains("EXPIRED");
            }
        }
    }

    @Test
    void aDataSetWrittenWithOneShardCountRefusesAnother() {
        KeyShards other = new KeyShards(SHARDS + 1);
        assertThatThrownBy(() -> other.verify(store.redis(), store.keys().shardCount(), "registry.shards"))
                .hasMessageContaining("written with " + SHARDS + " shards")
                .hasMessageContaining("registry.shards=" + SHARDS);
    }
}
