package io.maestro.registry.messaging;

import io.maestro.events.ServiceMembershipChanged;
import io.maestro.localstack.LocalStackResource;
import io.maestro.registry.ChangeRecords;
import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' relays on one Redis and one Kafka: one publishes at a time, and when it dies (as kill -9: lease
 * kept, cursor where it was) the other takes over once the lease ran out. As an idempotent consumer sees it, every
 * revision arrives once, in order, each under one event id.
 */
@QuarkusTest
@TestProfile(RelayTakeoverTest.ShortLease.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class RelayTakeoverTest {
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maestro.relay.lease-ttl", "3s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    EventRelays relays;

    @Inject
    MembershipRelaySource source;

    @Test
    void aSecondReplicaTakesOverAndEveryRevisionArrivesOnceInOrderUnderOneEventId() {
        List<String> services = List.of(svc(), svc(), svc());
        EventRelay first = relays.started().get(relays.started().size() - 1);
        await().atMost(Duration.ofSeconds(20)).until(first::isHolding);
        EventRelay second = relays.create(source.open().get(0)).start(relays.executor());
        try (ChangeRecords records = new ChangeRecords(bootstrapServers)) {
            // only one relay is active, for as long as the first holds its lease
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !second.isHolding());

            int node = 0;
            for (String service : services) {
                register(service, "node-" + node++);
                register(service, "node-" + node++);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> services.stream().allMatch(s -> records.of(s).size() >= 2));
            first.abandon();

            // changes while no relay is active wait in Redis
            for (String service : services) {
                register(service, "node-" + node++);
                register(service, "node-" + node++);
            }
            await().atMost(Duration.ofSeconds(20)).until(second::isHolding);
            await().atMost(Duration.ofSeconds(20)).until(() -> services.stream().allMatch(s -> distinct(records.of(s)).size() == 4));
            for (String service : services) {
                List<ServiceMembershipChanged> all = records.of(service);
                assertThat(distinct(all)).extracting(ServiceMembershipChanged::revision).as("revisions of %s on Kafka", service)
                        .containsExactly(1L, 2L, 3L, 4L);
                Map<Long, String> idOfRevision = new LinkedHashMap<>();
                all.forEach(event -> assertThat(idOfRevision.computeIfAbsent(event.revision(), r -> event.eventId()))
                        .as("revision %d of %s under one event id", event.revision(), service).isEqualTo(event.eventId()));
            }
        } finally {
            second.close();
            source.open().forEach(relays::start); // the service's relay again, for the other tests
        }
    }

    /** What a consumer idempotent by event id keeps: the first record of each id, in arrival order. */
    private static List<ServiceMembershipChanged> distinct(List<ServiceMembershipChanged> events) {
        Map<String, ServiceMembershipChanged> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        return new ArrayList<>(byId.values());
    }

    private static String svc() {
        return "takeover-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void register(String service, String instanceId) {
        given().contentType("application/json").body(Map.of("endpoint", "http://10.1.0.1:80", "ttlSeconds", 60))
                .put("/v1/services/{s}/instances/{i}", service, instanceId).then().statusCode(201);
    }
}
