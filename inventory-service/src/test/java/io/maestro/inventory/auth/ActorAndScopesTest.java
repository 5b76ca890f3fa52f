package io.maestro.inventory.auth;

import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.support.testing.TestDatabase;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Access control of the inventory on the real stack: who changed an entity ({@code actor}) is the subject of the
 * token of the request, in the history and in the InventoryMutation on Kafka (or the actor of the ProvisioningEvent
 * that made the change), and each operation needs its scope: read, write or allocate, never narrowed.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ActorAndScopesTest {

    final TestDatabase db = new TestDatabase();

    private static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON);
    }

    private static List<String> historyActors(String name) {
        return given().get("/v1/entities/" + name + "/history").then().statusCode(200).extract().jsonPath().getList("actor");
    }

    private long outboxRows(String name) {
        return db.query("select count(*) from outbox where entity_name = $1", name).get(0).getLong(0);
    }

    @Test
    void everyChangeNamesTheSubjectOfItsTokenInTheHistoryAndOnKafka() {
        String alice = Tokens.of("alice", "inventory:write");
        String bob = Tokens.of("bob", "inventory:write");
        String name = unique("audited");
        String bulk = unique("audited-bulk");

        as(alice).body(Map.of("name", name, "type", "server")).post("/v1/entities").then().statusCode(201);
        as(alice).body(attr("role", "web")).put("/v1/entities/" + name + "/attributes/role").then().statusCode(200);
        as(alice).body(Map.of("entities", List.of(Map.of("name", bulk, "type", "server")))).post("/v1/entities/bulk").then().statusCode(201);
        as(bob).delete("/v1/entities/" + name).then().statusCode(204);

        given().get("/v1/entities/" + name + "/history").then().statusCode(200)
                .body("op", equalTo(List.of("CREATED", "UPDATED", "DELETED")));
        assertThat(historyActors(name)).containsExactly("alice", "alice", "bob");
        assertThat(historyActors(bulk)).containsExactly("alice");

        List<InventoryMutation> published = readMutations(List.of(name, bulk), 4);
        assertThat(published).filteredOn(m -> m.entityName().equals(name))
                .extracting(InventoryMutation::op, InventoryMutation::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InventoryMutation.Op.CREATED, "alice"),
                        org.assertj.core.groups.Tuple.tuple(InventoryMutation.Op.UPDATED, "alice"),
                        org.assertj.core.groups.Tuple.tuple(InventoryMutation.Op.DELETED, "bob"));
        assertThat(published).filteredOn(m -> m.entityName().equals(bulk)).extracting(InventoryMutation::actor).containsExactly("alice");
    }

    @Test
    void aServerMadeByAProvisioningEventNamesTheEventsActor() throws Exception {
        String cluster = unique("c");
        String server = cluster + "-web-0";
        send(cluster, provisioning(cluster, ProvisioningEvent.Type.NODE_RUNNING, "ci-bot"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/entities/" + server).then().statusCode(200));
        send(cluster, provisioning(cluster, ProvisioningEvent.Type.NODE_TERMINATED, "carol"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(historyActors(server)).hasSize(2));

        assertThat(historyActors(server)).containsExactly("ci-bot", "carol");
        assertThat(readMutations(List.of(server), 2)).extracting(InventoryMutation::actor).containsExactly("ci-bot", "carol");
    }

    @Test
    void aReadOnlyTokenReadsButEveryWriteIsRefusedAndWritesNothing() {
        String reader = Tokens.of("reader", "inventory:read");
        String existing = unique("ro");
        created(existing, "server");
        String fresh = unique("ro-new");

        as(reader).get("/v1/entities/" + existing).then().statusCode(200).body("version", equalTo(1));
        as(reader).queryParam("q", "name:" + existing).get("/v1/entities").then().statusCode(200).body("items.name", equalTo(List.of(existing)));
        as(reader).get("/v1/entities/" + existing + "/history").then().statusCode(200);

        as(reader).body(Map.of("name", fresh, "type", "server")).post("/v1/entities").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("missing scope inventory:write"));
        as(reader).body(Map.of("entities", List.of(Map.of("name", fresh, "type", "server")))).post("/v1/entities/bulk").then().statusCode(403);
        as(reader).body(Map.of("type", "switch")).patch("/v1/entities/" + existing).then().statusCode(403);
        as(reader).body(attr("role", "db")).post("/v1/entities/" + existing + "/attributes").then().statusCode(403);
        as(reader).put("/v1/pools/" + fresh + "/members/" + existing).then().statusCode(403);
        as(reader).delete("/v1/entities/" + existing).then().statusCode(403);
        as(reader).body(Map.of("query", "name:" + existing, "count", 1, "assign", Map.of("pool", fresh))).post("/v1/allocations").then()
                .statusCode(403).body("detail", containsString("missing scope inventory:allocate"));

        given().get("/v1/entities/" + fresh).then().statusCode(404);
        given().get("/v1/entities/" + existing).then().statusCode(200).body("version", equalTo(1)).body("type", equalTo("server"))
                .body("pools", equalTo(List.of()));
        assertThat(outboxRows(fresh)).isZero();
        assertThat(outboxRows(existing)).isEqualTo(1);
    }

    @Test
    void aNarrowedInventoryTokenIsRefusedEvenOnTheNamesItsGlobMatches() {
        String prefix = unique("narrow");
        String narrowed = Tokens.of("narrow", "inventory:write:" + prefix + "*", "inventory:read:" + prefix + "*");
        created(prefix + "-a", "server");

        as(narrowed).body(Map.of("name", prefix + "-b", "type", "server")).post("/v1/entities").then().statusCode(403);
        as(narrowed).body(attr("role", "web")).post("/v1/entities/" + prefix + "-a/attributes").then().statusCode(403);
        as(narrowed).get("/v1/entities/" + prefix + "-a").then().statusCode(403);

        given().get("/v1/entities/" + prefix + "-b").then().statusCode(404);
        given().get("/v1/entities/" + prefix + "-a").then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void writeCannotAllocateButAllocateCanAndIsTheActor() {
        String writer = Tokens.of("writer", "inventory:write", "inventory:read");
        String allocator = Tokens.of("allocator", "inventory:allocate");
        String batch = unique("batch");
        String server = batch + "-srv";
        created(server, "server", attr("batch", batch));
        String pool = unique("alloc-pool");
        String range = unique("net");
        Map<String, Object> request = Map.of("query", "attr:batch=" + batch, "count", 1, "assign", Map.of("pool", pool));

        as(writer).body(request).post("/v1/allocations").then().statusCode(403)
                .body("detail", containsString("missing scope inventory:allocate"));
        as(writer).body(Map.of("name", range, "cidr", "10.77.0.0/29")).post("/v1/ip-ranges").then().statusCode(201);
        as(writer).body(Map.of("entity", server)).post("/v1/ip-ranges/" + range + "/allocations").then().statusCode(403);
        given().get("/v1/entities/" + server).then().statusCode(200).body("version", equalTo(1))
                .body("pools", equalTo(List.of())).body("addresses", equalTo(List.of()));
        given().get("/v1/entities/" + pool).then().statusCode(404);
        assertThat(outboxRows(server)).isEqualTo(1);

        as(allocator).body(request).post("/v1/allocations").then().statusCode(201).body("entities.name", equalTo(List.of(server)));
        as(allocator).body(Map.of("entity", server)).post("/v1/ip-ranges/" + range + "/allocations").then().statusCode(201)
                .body("address", equalTo("10.77.0.1"));
        as(writer).delete("/v1/ip-ranges/" + range + "/allocations/10.77.0.1").then().statusCode(403);
        as(allocator).delete("/v1/ip-ranges/" + range + "/allocations/10.77.0.1").then().statusCode(204);

        given().get("/v1/entities/" + server).then().body("pools", equalTo(List.of(pool))).body("addresses", equalTo(List.of()));
        assertThat(historyActors(server)).containsExactly("test-admin", "allocator", "allocator", "allocator");
    }

    // --- Kafka ---

    private static String provisioning(String cluster, ProvisioningEvent.Type type, String actor) {
        return EventCodec.encodeToString(new ProvisioningEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Instant.now(),
                cluster, type, new ProvisioningEvent.Node("web", 0, "127.0.0.1", "maestro", 22, null, "local-" + cluster + "-web-0", "local"),
                null, actor));
    }

    private static void send(String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PROVISIONING_EVENTS, key, value)).get();
        }
    }

    /** The InventoryMutations of {@code names} on the topic, in topic order, once {@code expected} of them arrived. */
    private static List<InventoryMutation> readMutations(List<String> names, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "actor-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<InventoryMutation> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INVENTORY_MUTATIONS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    InventoryMutation mutation = EventCodec.decode(record.value(), InventoryMutation.class);
                    if (names.contains(mutation.entityName())) {
                        found.add(mutation);
                    }
                }
                return found.size() >= expected;
            });
        }
        return found;
    }
}
