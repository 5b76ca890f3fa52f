package io.maestro.election;

import io.maestro.events.CloudEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.LeadershipChanged.Reason;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** Leases that run out and resignations: the next holder at once, EXPIRED/RESIGNED then ELECTED, higher tokens. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class FailoverTest {
    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aLeaderThatStopsHeartbeatingIsReplacedWithinTtlPlus100Millis() {
        // b's own heartbeat would come only after 3.3 s: a successor within 500 ms each time was elected by the sweep.
        // The 100 ms goal is held by the median of five runs, so one scheduler stall on a busy machine is not a failure.
        List<Duration> lateness = new java.util.ArrayList<>();
        for (int run = 0; run < 5; run++) {
            String group = "failover-expiry-" + run;
            try (SseWatch watch = new SseWatch(base, group, null)) {
                // a leads and never renews; b joins while a's lease runs
                Instant aExpires = Instant.parse(io.restassured.RestAssured.given().contentType("application/json")
                        .body(java.util.Map.of("candidateId", "a", "ttlMillis", 1500, "keys", List.of("k")))
                        .post("/v1/groups/{group}/candidates", group).then().statusCode(201).extract().path("leaseExpiresAt"));
                Candidates.join(group, "b", 10_000, List.of("k"));
                await().atMost(Duration.ofSeconds(5)).until(() -> watch.changes().stream()
                        .filter(e -> "b".equals(e.leader())).count() == 2);

                List<LeadershipChanged> seat = watch.changes().stream().filter(e -> e.key() == null).toList();
                assertThat(seat).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.EXPIRED, Reason.ELECTED);
                seat = seat.subList(1, 3);
                assertThat(seat.get(0).previousLeader()).isEqualTo("a");
                assertThat(seat.get(0).fencingToken()).isEqualTo(1);
                assertThat(seat.get(1).leader()).isEqualTo("b");
                assertThat(seat.get(1).fencingToken()).isEqualTo(2);
                Duration late = Duration.between(aExpires, seat.get(1).occurredAt());
                assertThat(late).as("new leader elected %s after the old lease ran out", late)
                        .isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(Duration.ofMillis(500));
                lateness.add(late);

                List<LeadershipChanged> key = watch.changes().stream().filter(e -> "k".equals(e.key())).toList();
                assertThat(key).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.EXPIRED, Reason.ELECTED);
                assertThat(key.get(2).leader()).isEqualTo("b");
                assertThat(key.get(2).fencingToken()).isEqualTo(2);
            }
        }
        Duration median = lateness.stream().sorted().toList().get(lateness.size() / 2);
        assertThat(median).as("median lateness of %s", lateness).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void resignHandsLeadershipAndKeysOverAtOnce() {
        String group = "failover-resign";
        String a = Candidates.join(group, "a", 10_000, List.of("x", "y"));
        String b = Candidates.join(group, "b", 10_000, List.of("x", "y"));
        try (SseWatch watch = new SseWatch(base, group, null)) {
            Candidates.resign(group, "a", a).then().statusCode(204);
            Candidates.heartbeat(group, "b", b).then().statusCode(200)
                    .body("leader", equalTo(true))
                    .body("fencingToken", equalTo(2))
                    .body("keys.key", contains("x", "y"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.changes().stream().filter(e -> e.key() == null).count() >= 2);
            List<LeadershipChanged> seat = watch.changes().stream().filter(e -> e.key() == null).toList();
            assertThat(seat).extracting(LeadershipChanged::reason).containsExactly(Reason.RESIGNED, Reason.ELECTED);
            assertThat(seat.get(1).occurredAt()).isEqualTo(seat.get(0).occurredAt());
        }
        Candidates.resign(group, "a", a).then().statusCode(404);
    }

    @Test
    void everyChangeReachesKafkaInOrderWithCloudEventsHeaders() {
        String group = "failover-kafka";
        String a = Candidates.join(group, "a", 10_000, List.of("k"));
        Candidates.join(group, "b", 10_000, List.of("k"));
        Candidates.resign(group, "a", a).then().statusCode(204);
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> records(task, group).size() >= 3);
                List<ConsumerRecord<String, String>> seat = records(task, group);
                List<LeadershipChanged> changes = seat.stream().map(r -> EventCodec.decode(r.value(), LeadershipChanged.class)).toList();
                assertThat(changes).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.RESIGNED, Reason.ELECTED);
                assertThat(changes).extracting(LeadershipChanged::fencingToken).containsExactly(1L, 1L, 2L);
                ConsumerRecord<String, String> last = seat.get(2);
                assertThat(header(last, CloudEvents.HEADER_TYPE)).isEqualTo("io.maestro.election.LeadershipChanged.v1");
                assertThat(header(last, CloudEvents.HEADER_SUBJECT)).isEqualTo(group);
                assertThat(header(last, CloudEvents.HEADER_ID)).isEqualTo(changes.get(2).eventId());
                await().atMost(Duration.ofSeconds(30)).until(() -> records(task, group + "/k").size() >= 3);
                assertThat(records(task, group + "/k")).extracting(r -> EventCodec.decode(r.value(), LeadershipChanged.class).leader())
                        .containsExactly("a", null, "b");
            } finally {
                task.stop();
            }
        }
    }

    @Test
    void aWatchResumesAfterTheLastEventItSaw() {
        String group = "failover-resume";
        String first;
        String a = Candidates.join(group, "a", 10_000, List.of());
        try (SseWatch watch = new SseWatch(base, group, null)) {
            Candidates.join(group, "b", 10_000, List.of());
            Candidates.resign(group, "a", a).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.events().size() >= 2);
            first = watch.events().get(0).id();
        }
        try (SseWatch resumed = new SseWatch(base, group, first)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !resumed.events().isEmpty());
            assertThat(resumed.changes()).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED);
            assertThat(resumed.changes().get(0).leader()).isEqualTo("b");
        }
    }

    private static List<ConsumerRecord<String, String>> records(ConsumerTask<String, String> task, String key) {
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        for (ConsumerRecord<String, String> record : task.getRecords()) {
            if (key.equals(record.key())) {
                matching.add(record);
            }
        }
        return matching;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
