package io.maestro.election;

import io.maestro.client.election.ElectionClient;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.maestro.support.watch.SseClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose network stalls (a frozen proxy, small socket buffers, so the service's writes back up) while the group
 * changes leader many times: with a watch buffer of one item its stream ends with {@code fell-behind}; the client
 * resumes after the last event it saw and still hands on every event, in log order, as Kafka has them.
 */
@QuarkusTest
@TestProfile(ElectionClientFellBehindTest.TinyWatchBuffer.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ElectionClientFellBehindTest {
    public static final class TinyWatchBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("election.watch.buffer", "1", SmallSendBuffer.PROPERTY, "4096");
        }
    }

    /** Candidates elder than the client, resigned one by one: two events each (RESIGNED, ELECTED), far more than a stalled socket holds. */
    private static final int CANDIDATES = 150;

    @TestHTTPResource("/")
    URI base;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aClientThatFellBehindResumesAfterItsLastEventAndSeesEveryEvent() throws Exception {
        String group = "fell-behind-" + UUID.randomUUID().toString().substring(0, 8);
        String prefix = "candidate-with-a-long-name-so-that-each-event-is-large-" + "x".repeat(60) + "-";
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++) {
            tokens.add(Candidates.join(group, prefix + i, 120_000, List.of()));
        }
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers);
             FreezableProxy network = new FreezableProxy(base, 4096)) {
            ConsumerTask<String, String> kafka = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
            List<LeadershipChanged> seen = new CopyOnWriteArrayList<>();
            try (ElectionClient client = ElectionClient.builder(network.uri(), group, "watcher").token(Tokens.admin())
                    .ttl(Duration.ofSeconds(60)).onEvent(seen::add).start();
                 SseClient raw = new SseClient(network.uri().resolve("/v1/groups/" + group + "/watch"),
                         Map.of("Authorization", Tokens.bearer(Tokens.admin())))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !raw.comments.isEmpty());
                int resigned = 0;
                for (; resigned < CANDIDATES && seen.isEmpty(); resigned++) {
                    resign(group, prefix + resigned, tokens.get(resigned));
                    try {
                        await().atMost(Duration.ofSeconds(2)).until(() -> !seen.isEmpty());
                    } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                        // the client's watch was not live yet: another change
                    }
                }
                assertThat(seen).as("the client's watch is live").isNotEmpty();

                network.freeze();
                for (; resigned < CANDIDATES; resigned++) {
                    resign(group, prefix + resigned, tokens.get(resigned));
                }
                network.thaw();

                // the last resignation elected the client
                await().atMost(Duration.ofSeconds(30)).until(() -> "watcher".equals(seen.get(seen.size() - 1).leader()));
                await().atMost(Duration.ofSeconds(10)).until(raw::ended);
                assertThat(raw.events.get(raw.events.size() - 1).name()).as("the stalled stream ended so").isEqualTo("fell-behind");

                List<String> clientIds = seen.stream().map(LeadershipChanged::eventId).toList();
                assertThat(clientIds).doesNotHaveDuplicates();
                await().atMost(Duration.ofSeconds(30)).until(() -> logIds(kafka, group).contains(clientIds.get(clientIds.size() - 1)));
                List<String> log = logIds(kafka, group);
                // from the first event the client saw on, it saw them all, in order
                assertThat(log).contains(clientIds.get(0));
                assertThat(clientIds).containsExactlyElementsOf(log.subList(log.indexOf(clientIds.get(0)), log.size()));
                assertThat(clientIds).hasSizeGreaterThan(CANDIDATES);
            } finally {
                kafka.stop();
            }
        }
    }

    private static void resign(String group, String candidateId, String token) {
        Candidates.resign(group, candidateId, token).then().statusCode(204);
    }

    /** The group's event ids on Kafka, first record of each, in log order. */
    private static List<String> logIds(ConsumerTask<String, String> kafka, String group) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        kafka.getRecords().forEach(record -> {
            if (group.equals(record.key())) {
                ids.add(EventCodec.decode(record.value(), LeadershipChanged.class).eventId());
            }
        });
        return List.copyOf(ids);
    }
}
