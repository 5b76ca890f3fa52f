package io.maestro.registry.messaging;

import io.maestro.events.ServiceMembershipChanged;
import io.maestro.localstack.LocalStackResource;
import io.maestro.registry.ChangeRecords;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' bridges on one Redis and one Kafka: one publishes at a time, and when it dies without recording
 * what Kafka acknowledged, the other takes over without publishing any revision twice or out of order.
 */
@QuarkusTest
@TestProfile(BridgeTakeoverTest.ShortLease.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class BridgeTakeoverTest {
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "registry.bridge.lease-ttl", "3s", // short, yet a pause after the profile restart does not cost the first its lease
                    "registry.bridge.delivery-timeout", "2s",
                    "registry.bridge.request-timeout", "1s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MembershipChangeBridgeRunner runner;

    @Test
    void aSecondReplicaTakesOverWithoutRepeatingOrReorderingRevisions() throws InterruptedException {
        List<String> services = List.of(svc(), svc(), svc());
        await().atMost(Duration.ofSeconds(20)).until(runner::isLeader);
        MembershipChangeBridge first = runner.bridge().orElseThrow();
        MembershipChangeBridge second = runner.create("replica-b-" + UUID.randomUUID(), null).start();
        try (ChangeRecords records = new ChangeRecords(bootstrapServers)) {
            // only one bridge is active, for as long as the first holds its lease
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !second.isLeader());

            int node = 0;
            for (String service : services) {
                register(service, "node-" + node++);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> services.stream().allMatch(s -> records.of(s).size() == 1));

            // The first bridge keeps publishing but records nothing more, then dies.
            first.holdCommits();
            for (String service : services) {
                register(service, "node-" + node++);
                register(service, "node-" + node++);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> services.stream().allMatch(s -> records.of(s).size() == 3));
            first.crash();

            // Changes while no bridge is active wait in Redis.
            for (String service : services) {
                register(service, "node-" + node++);
            }
            await().atMost(Duration.ofSeconds(20)).until(second::isLeader);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String service : services) {
                    JsonPath state = given().get("/v1/services/{s}", service).then().extract().jsonPath();
                    List<ServiceMembershipChanged> events = records.of(service);
                    assertThat(events).isNotEmpty();
                    assertThat(events.get(events.size() - 1).revision()).isEqualTo(state.getLong("revision"));
                }
            });
            // nothing more arrives: each service stays at four records
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> services.stream().allMatch(s -> records.of(s).size() == 4));
            for (String service : services) {
                assertThat(records.of(service)).extracting(ServiceMembershipChanged::revision)
                        .as("revisions of %s on Kafka", service)
                        .containsExactly(1L, 2L, 3L, 4L);
            }
            assertThat(second.recoveredServices()).as("the takeover found the unrecorded records").isEqualTo(services.size());
        } finally {
            second.close();
        }
    }

    private static String svc() {
        return "takeover-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void register(String service, String instanceId) {
        given().contentType("application/json").body(Map.of("endpoint", "http://10.1.0.1:80", "ttlSeconds", 60))
                .put("/v1/services/{s}/instances/{i}", service, instanceId).then().statusCode(201);
    }
}
