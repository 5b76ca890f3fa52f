package io.maestro.provisioner.messaging;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ProvisioningCommandConsumerTest {
    final TestDatabase sql = new TestDatabase();
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    @BeforeAll
    static void connect() {
        kafka = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        events = kafka.consumeStrings().fromTopics(Topics.PROVISIONING_EVENTS);
    }

    @AfterAll
    static void close() {
        events.stop();
        kafka.close();
    }

    private static List<ProvisioningEvent> eventsOf(String commandId) {
        return events.getRecords().stream().map(ConsumerRecord::value)
                .map(json -> EventCodec.decode(json, ProvisioningEvent.class))
                .filter(e -> e.commandId().equals(commandId)).toList();
    }

    /** The token the automation of these tests issues its commands with. */
    private static String automationToken;

    private static synchronized String automationToken() {
        if (automationToken == null) {
            automationToken = Tokens.of("kafka-automation", "provisioner:launch", "provisioner:exec");
        }
        return automationToken;
    }

    private static void publish(String key, String json) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PROVISIONING_COMMANDS, key, json);
        record.headers().add(ProvisioningCommandConsumer.AUTHORIZATION, Tokens.bearer(automationToken()).getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(record).awaitCompletion();
    }

    private static List<ProvisioningEvent.Type> typesOf(String commandId) {
        return eventsOf(commandId).stream().map(ProvisioningEvent::type).toList();
    }

    @Test
    void aLaunchCommandOnKafkaProducesItsEventsInOrderAndTheSameIdTwiceLaunchesOnce() {
        ProvisioningCommand launch = ProvisioningCommand.launch("kafka-launch-1", "from-kafka",
                List.of(new GroupSpec("master", 1, "local", Map.of()), new GroupSpec("worker", 1, null, Map.of())), null, false);
        String json = EventCodec.encodeToString(launch);
        publish("from-kafka", json);
        publish("from-kafka", json);

        await().atMost(Duration.ofSeconds(60)).until(() -> typesOf("kafka-launch-1").contains(ProvisioningEvent.Type.SUCCEEDED));
        assertThat(typesOf("kafka-launch-1")).containsExactly(ProvisioningEvent.Type.ACCEPTED,
                ProvisioningEvent.Type.NODE_PENDING, ProvisioningEvent.Type.NODE_RUNNING,
                ProvisioningEvent.Type.NODE_PENDING, ProvisioningEvent.Type.NODE_RUNNING,
                ProvisioningEvent.Type.SUCCEEDED);
        ProvisioningEvent running = eventsOf("kafka-launch-1").get(2);
        assertThat(running.node().status()).isEqualTo(ProvisioningEvent.NodeStatus.running);
        assertThat(running.node().port()).isPositive();
        assertThat(events.getRecords().stream().filter(r -> r.value().contains("kafka-launch-1")))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo("from-kafka"));
        assertThat(eventsOf("kafka-launch-1")).extracting(ProvisioningEvent::actor).containsOnly("kafka-automation");

        // Records of one key are consumed in order: once a later command is accepted, the duplicate was seen.
        ProvisioningCommand marker = new ProvisioningCommand("kafka-marker-1", Instant.now(), ProvisioningCommand.Type.EXEC, "from-kafka",
                null, null, null, null, null, null, "hostname", 10, null, null, null);
        publish("from-kafka", EventCodec.encodeToString(marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> typesOf("kafka-marker-1").contains(ProvisioningEvent.Type.SUCCEEDED));
        assertThat(typesOf("kafka-launch-1")).filteredOn(t -> t == ProvisioningEvent.Type.ACCEPTED).hasSize(1);
        given().get("/v1/clusters/from-kafka/nodes").then().body("tag", equalTo(List.of("master", "worker")));
        given().get("/v1/commands/kafka-marker-1").then().body("status", equalTo("SUCCEEDED"))
                .body("result.results.exitCode", equalTo(List.of(0, 0)));
    }

    @Test
    void aCommandWithAMalformedCommandIdGoesToTheDeadLetterTopicAndNothingIsStoredOrRun() {
        ConsumerTask<String, String> dlq = kafka.consumeStrings().fromTopics(Topics.PROVISIONING_COMMANDS_DLQ);
        try {
            List<String> malformed = List.of("kafka bad id", "kafka/bad", "kafka-nul\u0000id", "k".repeat(200));
            for (int i = 0; i < malformed.size(); i++) {
                publish("kafka-bad-id-" + i, EventCodec.encodeToString(ProvisioningCommand.launch(malformed.get(i), "kafka-bad-id-" + i,
                        List.of(new GroupSpec("a", 1, null, Map.of())), null, false)));
            }
            ProvisioningCommand good = ProvisioningCommand.launch("kafka-after-bad-ids", "kafka-after-bad-ids",
                    List.of(new GroupSpec("a", 1, null, Map.of())), null, true);
            publish("kafka-after-bad-ids", EventCodec.encodeToString(good));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dlq.getRecords()).extracting(ConsumerRecord::value)
                    .anySatisfy(v -> assertThat(v).contains("kafka-bad-id-0")).anySatisfy(v -> assertThat(v).contains("kafka-bad-id-1"))
                    .anySatisfy(v -> assertThat(v).contains("kafka-bad-id-2")).anySatisfy(v -> assertThat(v).contains("kafka-bad-id-3")));
            await().atMost(Duration.ofSeconds(30)).until(() -> typesOf("kafka-after-bad-ids").contains(ProvisioningEvent.Type.SUCCEEDED));
            for (int i = 0; i < malformed.size(); i++) {
                given().get("/v1/clusters/kafka-bad-id-" + i).then().statusCode(404);
                assertThat(sql.query("select count(*) as n from command where cluster = $1", "kafka-bad-id-" + i).get(0).getLong("n")).isZero();
            }
            assertThat(events.getRecords()).extracting(ConsumerRecord::value).noneMatch(v -> v.contains("kafka-bad-id-"));
        } finally {
            dlq.stop();
        }
    }

    @Test
    void aPoisonCommandGoesToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
        ConsumerTask<String, String> dlq = kafka.consumeStrings().fromTopics(Topics.PROVISIONING_COMMANDS_DLQ);
        try {
            publish("poison", "this is not json");
            publish("poison", "{\"commandId\":\"bad-driver-1\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"type\":\"LAUNCH\",\"cluster\":\"poison\","
                    + "\"groups\":[{\"tag\":\"a\",\"count\":1,\"driver\":\"openstack\"}]}");
            ProvisioningCommand good = ProvisioningCommand.launch("after-poison-1", "after-poison",
                    List.of(new GroupSpec("a", 1, null, Map.of())), null, true);
            publish("after-poison", EventCodec.encodeToString(good));

            // The topic may hold other tests' dead letters too: wait for these two by content.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dlq.getRecords()).extracting(ConsumerRecord::value)
                    .contains("this is not json")
                    .anySatisfy(value -> assertThat(value).contains("bad-driver-1")));
            assertThat(dlq.getRecords()).allSatisfy(r -> assertThat(r.headers().lastHeader("dead-letter-reason")).isNotNull());
            // Refused for what they say, not for their token, which never reaches the dead-letter topic.
            assertThat(dlq.getRecords()).filteredOn(r -> r.value().equals("this is not json") || r.value().contains("bad-driver-1"))
                    .hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> {
                        assertThat(new String(r.headers().lastHeader(ProvisioningCommandConsumer.REFUSAL_STATUS).value(), StandardCharsets.UTF_8)).isEqualTo("400");
                        assertThat(r.headers().headers(ProvisioningCommandConsumer.AUTHORIZATION)).isEmpty();
                        r.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(automationToken()));
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> typesOf("after-poison-1").contains(ProvisioningEvent.Type.SUCCEEDED));
        } finally {
            dlq.stop();
        }
    }
}
