package io.maestro.election.messaging;

import io.maestro.election.LeadershipRecords;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' relays share one event log: only one publishes at a time, and when it stops the other takes over
 * where it left off. After a clean stop Kafka gets every event once, in log order; after a crash every event
 * arrives, a repeated one with the same event id.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class RelayReplicasTest {
    private static final String GROUP = "relay-replicas";

    @Inject
    LeadershipRelaySource source;

    @Inject
    EventRelays relays;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void oneRelayAtATimeAndTheOtherTakesOverWhereItLeftOff() {
        EventRelay first = current();
        EventRelay second = relays.create(source.open().get(0)).start(relays.executor());
        try {
            await().atMost(Duration.ofSeconds(10)).until(first::isHolding);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tokens.add(join("before-" + i));
            }
            assertThat(second.isHolding()).isFalse();

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(second::isHolding);
            for (int i = 0; i < 5; i++) {
                given().header("X-Maestro-Token", tokens.get(i)).delete("/v1/groups/{g}/candidates/before-{i}", GROUP, i)
                        .then().statusCode(204);
            }

            try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
                ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
                try {
                    // 1 ELECTED, then for each of the first 4 resignations RESIGNED + ELECTED, then the last RESIGNED
                    await().atMost(Duration.ofSeconds(30)).until(() -> events(task).size() >= 10);
                    List<LeadershipChanged> events = events(task);
                    assertThat(events).hasSize(10);
                    assertThat(events).extracting(LeadershipChanged::eventId).doesNotHaveDuplicates();
                    assertThat(events).extracting(LeadershipChanged::fencingToken).containsExactly(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L);
                } finally {
                    task.stop();
                }
            }
        } finally {
            second.close();
            source.open().forEach(relays::start); // the service's relay again, for the other tests
        }
    }

    @Test
    void aCrashedRelaysSuccessorDeliversEveryEventAndRepeatsNoneUnderANewId() {
        String group = "relay-crash";
        EventRelay first = current();
        EventRelay second = relays.create(source.open().get(0)).start(relays.executor());
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
            try {
                await().atMost(Duration.ofSeconds(10)).until(first::isHolding);
                List<String> tokens = new ArrayList<>();
                for (String id : List.of("a", "b", "c")) {
                    tokens.add(join(group, id));
                }
                first.abandon(); // as kill -9: its lease stays until it runs out, its cursor where it was
                for (int i = 0; i < 3; i++) {
                    given().header("X-Maestro-Token", tokens.get(i)).delete("/v1/groups/{g}/candidates/{c}", group, List.of("a", "b", "c").get(i))
                            .then().statusCode(204);
                }
                await().atMost(Duration.ofSeconds(15)).until(second::isHolding);
                // ELECTED a; then RESIGNED + ELECTED for a and b; RESIGNED c: six distinct events, as an idempotent consumer sees them
                await().atMost(Duration.ofSeconds(30)).until(() -> distinct(events(task, group)).size() >= 6);
                List<LeadershipChanged> seen = distinct(events(task, group));
                assertThat(seen).extracting(LeadershipChanged::fencingToken).containsExactly(1L, 1L, 2L, 2L, 3L, 3L);
                assertThat(seen).extracting(LeadershipChanged::reason).extracting(Enum::name)
                        .containsExactly("ELECTED", "RESIGNED", "ELECTED", "RESIGNED", "ELECTED", "RESIGNED");
            } finally {
                task.stop();
            }
        } finally {
            second.close();
            source.open().forEach(relays::start); // the service's relay again, for the other tests
        }
    }

    /** The service's own relay (the latest started: a test replaces the one it stopped). */
    private EventRelay current() {
        List<EventRelay> started = relays.started();
        return started.get(started.size() - 1);
    }

    /** What a consumer idempotent by event id keeps: the first record of each id, in arrival order. */
    private static List<LeadershipChanged> distinct(List<LeadershipChanged> events) {
        java.util.Map<String, LeadershipChanged> byId = new java.util.LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        return new ArrayList<>(byId.values());
    }

    private static String join(String id) {
        return join(GROUP, id);
    }

    private static String join(String group, String id) {
        return given().contentType(ContentType.JSON).body(Map.of("candidateId", id, "ttlMillis", 60_000))
                .post("/v1/groups/{g}/candidates", group).then().statusCode(201).extract().path("token");
    }

    private static List<LeadershipChanged> events(ConsumerTask<String, String> task) {
        return events(task, GROUP);
    }

    private static List<LeadershipChanged> events(ConsumerTask<String, String> task, String group) {
        return LeadershipRecords.of(task, group);
    }
}
