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
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A command on Kafka is checked like a REST call: the {@code authorization} record header must hold a valid token
 * with the command type's scope on its cluster, else the command goes to the dead-letter topic with the reason and
 * runs nothing; the token's subject is the command's actor, named by every event of the command.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class KafkaCommandAccessTest {
    private static final String KEY = "kafka-access";
    final TestDatabase sql = new TestDatabase();
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;
    private static ConsumerTask<String, String> dlq;

    @BeforeAll
    static void connect() {
        kafka = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        events = kafka.consumeStrings().fromTopics(Topics.PROVISIONING_EVENTS);
        dlq = kafka.consumeStrings().fromTopics(Topics.PROVISIONING_COMMANDS_DLQ);
    }

    @AfterAll
    static void close() {
        events.stop();
        dlq.stop();
        kafka.close();
    }

    /** Publishes {@code command} with these authorization header values (none: no header). */
    private static void publish(ProvisioningCommand command, String... authorization) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PROVISIONING_COMMANDS, KEY, EventCodec.encodeToString(command));
        for (String value : authorization) {
            record.headers().add(ProvisioningCommandConsumer.AUTHORIZATION, value.getBytes(StandardCharsets.UTF_8));
        }
        kafka.produceStrings().fromRecords(record).awaitCompletion();
    }

    private static ProvisioningCommand launch(String cluster) {
        return ProvisioningCommand.launch("launch-" + cluster, cluster, List.of(new GroupSpec("n", 1, "local", Map.of())), null, false);
    }

    private static List<ProvisioningEvent> eventsOf(String commandId) {
        return events.getRecords().stream().map(ConsumerRecord::value)
                .map(json -> EventCodec.decode(json, ProvisioningEvent.class))
                .filter(e -> e.commandId().equals(commandId)).toList();
    }

    private static Optional<ConsumerRecord<String, String>> deadLetterOf(String commandId) {
        return dlq.getRecords().stream().filter(r -> r.value().contains("\"" + commandId + "\"")).findFirst();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void assertNothingOf(String cluster) {
        assertThat(sql.query("select count(*) as n from command where cluster = $1", cluster).get(0).getLong("n")).as(cluster).isZero();
        assertThat(sql.query("select count(*) as n from node where cluster = $1", cluster).get(0).getLong("n")).as(cluster).isZero();
        given().get("/v1/clusters/" + cluster).then().statusCode(404);
        assertThat(events.getRecords()).extracting(ConsumerRecord::value).noneMatch(v -> v.contains("\"" + cluster + "\""));
    }

    @Test
    void commandsWithoutAValidTokenOrItsScopeGoToTheDeadLetterTopicWithTheReasonAndRunNothing() {
        String readOnly = Tokens.of("kafka-reader", "provisioner:read");
        String admin = Tokens.admin();
        // Which token each refused command carries, and what the dead-letter record must say about it.
        Map<String, String[]> refused = new LinkedHashMap<>();
        refused.put("kafka-no-token", new String[0]);
        refused.put("kafka-malformed-token", new String[]{"Bearer not.a.jwt"});
        refused.put("kafka-no-bearer", new String[]{admin});
        refused.put("kafka-expired-token", new String[]{Tokens.bearer(Tokens.expired())});
        refused.put("kafka-foreign-token", new String[]{Tokens.bearer(Tokens.signedByAnotherKey())});
        refused.put("kafka-revoked-token", new String[]{Tokens.bearer(Tokens.revoked())});
        refused.put("kafka-read-only", new String[]{Tokens.bearer(readOnly)});
        refused.put("kafka-narrowed-elsewhere", new String[]{Tokens.bearer(Tokens.of("staging-bot", "provisioner:launch:staging-*"))});
        refused.put("kafka-two-tokens", new String[]{Tokens.bearer(admin), Tokens.bearer(admin)});
        // An exec token does not destroy: the scope is by command type.
        String execOnly = Tokens.bearer(Tokens.of("kafka-executor", "provisioner:exec"));
        // The revocation reaches the service through Kafka too: wait until REST refuses the revoked token.
        String revoked = refused.get("kafka-revoked-token")[0];
        await().atMost(Duration.ofSeconds(10)).until(() -> given().header("Authorization", revoked).get("/v1/clusters").statusCode() == 401);

        refused.forEach((cluster, authorization) -> publish(launch(cluster), authorization));
        publish(ProvisioningCommand.destroy("destroy-kafka-exec-only", "kafka-exec-only"), execOnly);
        // The consumer goes on: a command with the right scope, after the refused ones on the same key, runs.
        String launcher = Tokens.of("kafka-launcher", "provisioner:launch:kafka-allowed-*");
        publish(launch("kafka-allowed-1").withActor("someone-else"), Tokens.bearer(launcher));

        await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf("launch-kafka-allowed-1").stream()
                .anyMatch(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED || e.type() == ProvisioningEvent.Type.FAILED));
        assertThat(eventsOf("launch-kafka-allowed-1")).extracting(ProvisioningEvent::type).containsExactly(ProvisioningEvent.Type.ACCEPTED,
                ProvisioningEvent.Type.NODE_PENDING, ProvisioningEvent.Type.NODE_RUNNING, ProvisioningEvent.Type.SUCCEEDED);
        // The actor is the verified token's subject, not what the record claimed.
        assertThat(eventsOf("launch-kafka-allowed-1")).extracting(ProvisioningEvent::actor).containsOnly("kafka-launcher");
        given().get("/v1/commands/launch-kafka-allowed-1").then().body("actor", equalTo("kafka-launcher"));
        given().get("/v1/clusters/kafka-allowed-1/nodes").then().body("status", equalTo(List.of("running")));

        await().atMost(Duration.ofSeconds(30)).until(() -> refused.keySet().stream().allMatch(c -> deadLetterOf("launch-" + c).isPresent())
                && deadLetterOf("destroy-kafka-exec-only").isPresent());
        Map<String, String> expected = Map.of(
                "kafka-no-token", "needs a bearer token",
                "kafka-malformed-token", "not valid",
                "kafka-no-bearer", "must be 'Bearer <token>'",
                "kafka-expired-token", "expired",
                "kafka-foreign-token", "signature",
                "kafka-revoked-token", "revoked",
                "kafka-read-only", "missing scope provisioner:launch on cluster 'kafka-read-only'",
                "kafka-narrowed-elsewhere", "missing scope provisioner:launch on cluster 'kafka-narrowed-elsewhere'",
                "kafka-two-tokens", "more than one authorization header");
        for (var entry : expected.entrySet()) {
            ConsumerRecord<String, String> dead = deadLetterOf("launch-" + entry.getKey()).orElseThrow();
            assertThat(header(dead, "dead-letter-reason")).as(entry.getKey()).contains(entry.getValue());
            assertThat(header(dead, ProvisioningCommandConsumer.REFUSAL_STATUS)).as(entry.getKey())
                    .isEqualTo(entry.getKey().equals("kafka-read-only") || entry.getKey().equals("kafka-narrowed-elsewhere") ? "403" : "401");
        }
        ConsumerRecord<String, String> execDestroy = deadLetterOf("destroy-kafka-exec-only").orElseThrow();
        assertThat(header(execDestroy, "dead-letter-reason")).contains("missing scope provisioner:destroy");
        assertThat(header(execDestroy, ProvisioningCommandConsumer.REFUSAL_STATUS)).isEqualTo("403");

        // No dead letter carries a token: the header is gone and no other header repeats it.
        List<String> tokens = List.of(admin, readOnly, launcher, execOnly.substring("Bearer ".length()));
        assertThat(dlq.getRecords()).allSatisfy(r -> {
            assertThat(r.headers().headers(ProvisioningCommandConsumer.AUTHORIZATION)).isEmpty();
            r.headers().forEach(h -> tokens.forEach(t -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(t)));
        });
        for (String cluster : refused.keySet()) {
            assertNothingOf(cluster);
        }
        assertThat(sql.query("select count(*) as n from command where id = 'destroy-kafka-exec-only'").get(0).getLong("n")).isZero();
        awaitCommand(commandIdOf(given().delete("/v1/clusters/kafka-allowed-1")), "SUCCEEDED");
    }

    @Test
    void aNarrowedExecTokenRunsOnItsClustersOnlyAndEveryEventNamesItsSubject() {
        String admin = Tokens.bearer(Tokens.admin());
        publish(launch("kafka-staging-9"), admin);
        await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf("launch-kafka-staging-9").stream()
                .anyMatch(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED || e.type() == ProvisioningEvent.Type.FAILED));
        assertThat(eventsOf("launch-kafka-staging-9")).extracting(ProvisioningEvent::actor).containsOnly("test-admin");

        String staging = Tokens.bearer(Tokens.of("staging-runner", "provisioner:exec:kafka-staging-*"));
        publish(new ProvisioningCommand("exec-kafka-prod-9", java.time.Instant.now(), ProvisioningCommand.Type.EXEC, "kafka-prod-9",
                null, null, null, null, null, null, "hostname", 10, null, null, null), staging);
        publish(new ProvisioningCommand("exec-kafka-staging-9", java.time.Instant.now(), ProvisioningCommand.Type.EXEC, "kafka-staging-9",
                null, null, null, null, null, null, "echo hello", 10, null, null, null), staging);

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("exec-kafka-staging-9").stream()
                .anyMatch(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED));
        assertThat(eventsOf("exec-kafka-staging-9")).extracting(ProvisioningEvent::actor).containsOnly("staging-runner");
        given().get("/v1/commands/exec-kafka-staging-9").then().body("actor", equalTo("staging-runner"))
                .body("result.results.stdout", equalTo(List.of("hello\n")));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf("exec-kafka-prod-9").isPresent());
        assertThat(header(deadLetterOf("exec-kafka-prod-9").orElseThrow(), "dead-letter-reason"))
                .contains("missing scope provisioner:exec on cluster 'kafka-prod-9'");
        assertThat(sql.query("select count(*) as n from command where id = 'exec-kafka-prod-9'").get(0).getLong("n")).isZero();
        given().get("/v1/commands/exec-kafka-prod-9").then().statusCode(404);
        awaitCommand(commandIdOf(given().delete("/v1/clusters/kafka-staging-9")), "SUCCEEDED");
    }
}
