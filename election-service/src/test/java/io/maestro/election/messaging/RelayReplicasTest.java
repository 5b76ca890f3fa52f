package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
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
 * where it left off. Kafka gets every event once, in log order.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class RelayReplicasTest {
    private static final String GROUP = "relay-replicas";

    @Inject
    LeadershipEventRelay relay;

    @Inject
    RedisDataSource redis;

    @Inject
    ElectionConfig config;

    @Inject
    @Channel(LeadershipEventRelay.CHANNEL)
    MutinyEmitter<String> emitter;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void oneRelayAtATimeAndTheOtherTakesOverWhereItLeftOff() {
        LeadershipEventRelay second = new LeadershipEventRelay(redis, emitter, config, "election-service");
        second.start(null);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.isRelaying());
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tokens.add(join("before-" + i));
            }
            assertThat(second.isRelaying()).isFalse();

            relay.stop(null);
            await().atMost(Duration.ofSeconds(10)).until(second::isRelaying);
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
            second.stop(null);
            relay.start(null);
        }
    }

    private static String join(String id) {
        return given().contentType(ContentType.JSON).body(Map.of("candidateId", id, "ttlMillis", 60_000))
                .post("/v1/groups/{g}/candidates", GROUP).then().statusCode(201).extract().path("token");
    }

    private static List<LeadershipChanged> events(ConsumerTask<String, String> task) {
        List<LeadershipChanged> found = new ArrayList<>();
        task.getRecords().forEach(r -> {
            if (GROUP.equals(r.key())) {
                found.add(EventCodec.decode(r.value(), LeadershipChanged.class));
            }
        });
        return found;
    }
}
