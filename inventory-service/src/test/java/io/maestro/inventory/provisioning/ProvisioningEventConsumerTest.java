package io.maestro.inventory.provisioning;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ProvisioningEventConsumerTest {

    private static void send(String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PROVISIONING_EVENTS, key, value)).get();
        }
    }

    private static ProvisioningEvent event(String cluster, ProvisioningEvent.Type type, String address) {
        return new ProvisioningEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Instant.now(), cluster, type,
                new ProvisioningEvent.Node("web", 0, address, "maestro", 22, null, "local-" + cluster + "-web-0", "local"), null, null);
    }

    private static int version(String name) {
        return given().get("/v1/entities/" + name).then().statusCode(200).extract().jsonPath().getInt("version");
    }

    @Test
    void aRunningNodeBecomesAServerInItsClusterPoolAndTheSameEventAgainChangesNothing() throws Exception {
        String cluster = unique("c");
        String server = cluster + "-web-0";
        ProvisioningEvent running = event(cluster, ProvisioningEvent.Type.NODE_RUNNING, "127.0.0.1");
        send(cluster, EventCodec.encodeToString(running));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/entities/" + server).then().statusCode(200));
        var json = given().get("/v1/entities/" + server).then().extract().jsonPath();
        assertThat(json.getString("type")).isEqualTo("server");
        assertThat(json.getList("pools")).containsExactly(cluster);
        assertThat(json.getList("attributes.key")).contains("status", "cluster", "tag", "index", "address", "provider-id", "provider");

        send(cluster, EventCodec.encodeToString(running));
        ProvisioningEvent terminated = event(cluster, ProvisioningEvent.Type.NODE_TERMINATED, null);
        send(cluster, EventCodec.encodeToString(terminated));
        // the duplicate was skipped: the only change after creation is the termination
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("q", "name:" + server + " and attr:status=terminated").get("/v1/entities").then()
                        .body("items.name", hasItem(server)));
        assertThat(version(server)).isEqualTo(2);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String marker = unique("poison");
        send("x", "{\"not\": \"a provisioning event\", \"marker\": \"" + marker + "\"}");
        String cluster = unique("c");
        send(cluster, EventCodec.encodeToString(event(cluster, ProvisioningEvent.Type.NODE_RUNNING, "10.0.0.9")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/entities/" + cluster + "-web-0").then().statusCode(200));
        assertThat(deadLetterContaining(marker).headers().lastHeader("dead-letter-reason")).isNotNull();
    }

    @Test
    void aNodeEventWithNulInAValueGoesToTheDeadLetterTopicNamingTheFieldAndCreatesNothing() throws Exception {
        String cluster = unique("c");
        ProvisioningEvent poisoned = event(cluster, ProvisioningEvent.Type.NODE_RUNNING, "10.0.0.\u00009");
        send(cluster, EventCodec.encodeToString(poisoned));

        ConsumerRecord<String, String> dead = deadLetterContaining(poisoned.eventId());
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("node.address").contains("U+0000");
        given().get("/v1/entities/" + cluster + "-web-0").then().statusCode(404);
    }

    @Test
    void aNodeEventWithNulInItsActorGoesToTheDeadLetterTopicNamingTheFieldAndCreatesNothing() throws Exception {
        String cluster = unique("c");
        ProvisioningEvent running = event(cluster, ProvisioningEvent.Type.NODE_RUNNING, "10.0.0.8");
        ProvisioningEvent poisoned = new ProvisioningEvent(running.eventId(), running.commandId(), running.occurredAt(), cluster,
                running.type(), running.node(), null, "ci\u0000bot");
        send(cluster, EventCodec.encodeToString(poisoned));

        ConsumerRecord<String, String> dead = deadLetterContaining(poisoned.eventId());
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("actor").contains("U+0000");
        given().get("/v1/entities/" + cluster + "-web-0").then().statusCode(404);
    }

    /** Waits for the record of the dead-letter topic whose value contains {@code marker}. */
    private static ConsumerRecord<String, String> deadLetterContaining(String marker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AtomicReference<ConsumerRecord<String, String>> found = new AtomicReference<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PROVISIONING_EVENTS_DLQ));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().contains(marker)) {
                        found.set(record);
                    }
                }
                return found.get() != null;
            });
        }
        return found.get();
    }
}
