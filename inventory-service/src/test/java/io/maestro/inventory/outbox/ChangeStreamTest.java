package io.maestro.inventory.outbox;

import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.Topics;
import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.maestro.localstack.KafkaServer;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ChangeStreamTest {

    @Inject
    Pool pool;

    @Inject
    OutboxRelaySource source;

    @Inject
    EventRelays relays;

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "change-stream-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.INVENTORY_MUTATIONS));
        return consumer;
    }

    /** Reads the topic until {@code expected} mutations of {@code entityNames} arrived; returns them per entity name, in topic order. */
    static Map<String, List<InventoryMutation>> readUntil(List<String> entityNames, int expected) {
        Map<String, List<InventoryMutation>> byEntity = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    InventoryMutation mutation = EventCodec.decode(record.value(), InventoryMutation.class);
                    if (entityNames.contains(mutation.entityName())) {
                        assertThat(record.key()).isEqualTo(mutation.entityId());
                        byEntity.computeIfAbsent(mutation.entityName(), k -> new ArrayList<>()).add(mutation);
                    }
                }
                return byEntity.values().stream().mapToInt(List::size).sum() >= expected;
            });
        }
        return byEntity;
    }

    @Test
    void everyMutationIsPublishedKeyedByEntityIdWithBeforeAndAfter() {
        String name = unique("srv");
        created(name, "server");
        given().contentType(ContentType.JSON).body(attr("role", "web")).post("/v1/entities/" + name + "/attributes").then().statusCode(201);

        List<InventoryMutation> mutations = readUntil(List.of(name), 2).get(name);
        assertThat(mutations).extracting(InventoryMutation::op).containsExactly(InventoryMutation.Op.CREATED, InventoryMutation.Op.UPDATED);
        assertThat(mutations.get(0).before()).isNull();
        assertThat(mutations.get(1).after().get("attributes").get(0).get("value").asText()).isEqualTo("web");
        assertThat(mutations.get(1).before().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void mutationsMadeWhileKafkaIsDownArePublishedOnceInOrderWhenItIsBack() throws Exception {
        List<String> names = List.of(unique("a"), unique("b"), unique("c"));
        KafkaServer kafka = LocalStackResource.stack().kafka();
        kafka.stop();
        try {
            for (String name : names) {
                created(name, "server");
            }
            for (int round = 0; round < 4; round++) {
                for (String name : names) {
                    given().contentType(ContentType.JSON).body(attr("round", round)).put("/v1/entities/" + name + "/attributes/round")
                            .then().statusCode(200);
                }
            }
            long pending = pool.preparedQuery("select count(*) from outbox where published_at is null and entity_name = any($1)")
                    .execute(Tuple.of(names.toArray(new String[0]))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
            assertThat(pending).isEqualTo(15);
        } finally {
            kafka.start(Duration.ofSeconds(60));
        }

        Map<String, List<InventoryMutation>> byEntity = readUntil(names, 15);
        for (String name : names) {
            List<InventoryMutation> mutations = byEntity.get(name);
            assertThat(mutations).extracting(InventoryMutation::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(mutations).extracting(InventoryMutation::eventId).doesNotHaveDuplicates();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("select count(*) from outbox where published_at is null")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 0);
    }

    @Test
    void relaysRacingLikeReplicasPublishEachRowOnceInOrder() throws Exception {
        List<String> names = List.of(unique("r1"), unique("r2"));
        for (String name : names) {
            created(name, "server");
        }
        // three more replicas' relays compete with the service's own for the outbox lock
        List<EventRelay> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replicas.add(relays.create(source.open().get(0)).start(relays.executor()));
        }
        try {
            for (int round = 0; round < 10; round++) {
                for (String name : names) {
                    given().contentType(ContentType.JSON).body(attr("round", round)).put("/v1/entities/" + name + "/attributes/round")
                            .then().statusCode(200);
                }
            }
            Map<String, List<InventoryMutation>> byEntity = readUntil(names, 22);
            for (String name : names) {
                assertThat(byEntity.get(name)).extracting(InventoryMutation::version)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 11).boxed().toList());
            }
            long holders = java.util.stream.Stream.concat(replicas.stream(), relays.started().stream()).filter(EventRelay::isHolding).count();
            assertThat(holders).isLessThanOrEqualTo(1);
        } finally {
            replicas.forEach(EventRelay::close);
        }
    }
}
