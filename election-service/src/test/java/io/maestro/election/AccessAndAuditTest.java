package io.maestro.election;

import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.LeadershipChanged.Reason;
import io.maestro.events.Topics;
import io.maestro.election.store.ElectionStore;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Scopes on top of candidate tokens, and who did what: a leadership change names the subject of the token of the
 * request that caused it (join, resign, key withdrawal), and no one when a lease ran out, nor for what that
 * expiry set off; a scope narrowed to groups allows those groups only, and a refused request writes nothing.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class AccessAndAuditTest {
    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    RedisDataSource redis;
    @Inject
    ElectionStore store;

    KafkaCompanion companion;
    ConsumerTask<String, String> task;

    @BeforeEach
    void consume() {
        companion = new KafkaCompanion(bootstrapServers);
        task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
    }

    @AfterEach
    void stop() {
        task.stop();
        companion.close();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static Response join(String bearer, String group, String candidateId, long ttlMillis, List<String> keys) {
        return given().header("Authorization", Tokens.bearer(bearer)).contentType(ContentType.JSON)
                .body(Map.of("candidateId", candidateId, "ttlMillis", ttlMillis, "keys", keys))
                .post("/v1/groups/{group}/candidates", group);
    }

    /** The events of a group's seat ({@code key == null}) or of one of its keys, as received from Kafka. */
    List<LeadershipChanged> events(String group, String key) {
        String recordKey = key == null ? group : group + "/" + key;
        return task.getRecords().stream().filter(r -> recordKey.equals(r.key()))
                .map(ConsumerRecord::value).map(v -> EventCodec.decode(v, LeadershipChanged.class)).toList();
    }

    @Test
    void eachChangeNamesTheSubjectOfTheTokenOfTheRequestThatCausedIt() {
        String group = unique("audit-");
        String alice = Tokens.of("alice", "election:campaign");
        String a = join(alice, group, "a", 30_000, List.of("k")).then().statusCode(201).extract().path("token");
        String b = join(Tokens.of("bob", "election:campaign:audit-*"), group, "b", 30_000, List.of("k"))
                .then().statusCode(201).extract().path("token");
        // carol, with the scope and a's candidate token, resigns a: b takes the seat and the key at once
        given().header("Authorization", Tokens.bearer(Tokens.of("carol", "election:campaign"))).header("X-Maestro-Token", a)
                .delete("/v1/groups/{group}/candidates/{c}", group, "a").then().statusCode(204);
        // dave withdraws b's key: nobody else declared it, so it just ends
        given().header("Authorization", Tokens.bearer(Tokens.of("dave", "election:campaign"))).header("X-Maestro-Token", b)
                .delete("/v1/groups/{group}/candidates/{c}/keys/{k}", group, "b", "k").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> events(group, null).size() >= 3 && events(group, "k").size() >= 4);
        List<LeadershipChanged> seat = events(group, null);
        assertThat(seat).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.RESIGNED, Reason.ELECTED);
        assertThat(seat).extracting(LeadershipChanged::actor).containsExactly("alice", "carol", "carol");
        List<LeadershipChanged> key = events(group, "k");
        assertThat(key).extracting(LeadershipChanged::reason)
                .containsExactly(Reason.ELECTED, Reason.RESIGNED, Reason.ELECTED, Reason.RESIGNED);
        assertThat(key).extracting(LeadershipChanged::leader).containsExactly("a", null, "b", null);
        assertThat(key).extracting(LeadershipChanged::actor).containsExactly("alice", "carol", "carol", "dave");
        assertThat(task.getRecords().stream().filter(r -> r.key().startsWith(group)).map(ConsumerRecord::value))
                .allSatisfy(json -> assertThat(json).doesNotContain(alice).doesNotContain(a).doesNotContain(b));
    }

    @Test
    void aLeaseThatRanOutAndTheElectionItSetOffWereNoOnesDoing() {
        String group = unique("audit-");
        String alice = Tokens.of("alice", "election:campaign");
        String bob = Tokens.of("bob", "election:campaign");
        try (SseWatch watch = new SseWatch(base, group, null)) {
            join(alice, group, "a", 3_000, List.of("k")).then().statusCode(201);
            // b joins while a leads (else b's own join would elect it, on bob's behalf), then a's lease runs out
            join(bob, group, "b", 30_000, List.of("k")).then().statusCode(201).body("leader", equalTo(false));
            await().atMost(Duration.ofSeconds(15)).until(() -> watch.changes().stream().filter(e -> "b".equals(e.leader())).count() == 2);

            List<LeadershipChanged> seat = watch.changes().stream().filter(e -> e.key() == null).toList();
            assertThat(seat).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.EXPIRED, Reason.ELECTED);
            assertThat(seat).extracting(LeadershipChanged::actor).containsExactly("alice", null, null);
            List<LeadershipChanged> key = watch.changes().stream().filter(e -> "k".equals(e.key())).toList();
            assertThat(key).extracting(LeadershipChanged::reason).containsExactly(Reason.ELECTED, Reason.EXPIRED, Reason.ELECTED);
            assertThat(key).extracting(LeadershipChanged::actor).containsExactly("alice", null, null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(group, null).size() >= 3);
        assertThat(events(group, null)).extracting(LeadershipChanged::actor).containsExactly("alice", null, null);
    }

    @Test
    void aCampaignScopeNarrowedToBillingCampaignsInBillingOnlyAndARefusalWritesNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String billing = "billing-" + suffix;
        String payments = "payments-" + suffix;
        String token = Tokens.of("billing-worker", "election:campaign:billing-*");

        String mine = join(token, billing, "w1", 30_000, List.of("k")).then().statusCode(201)
                .body("leader", equalTo(true)).extract().path("token");
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", mine).contentType(ContentType.JSON)
                .put("/v1/groups/{group}/candidates/{c}/heartbeat", billing, "w1").then().statusCode(200);

        join(token, payments, "w1", 30_000, List.of("k")).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("insufficient_scope"))
                .body("detail", containsString("missing scope election:campaign on group '" + payments + "'"))
                .body("detail", containsString("billing-worker"));
        Candidates.group(payments).then().statusCode(200).body("leader", nullValue()).body("candidates", empty());
        assertThat(redis.key().keys(store.keys().group(payments) + "*")).isEmpty();

        // nor can it act for a candidate of payments that someone else joined, even with that candidate's token
        String theirs = join(Tokens.admin(), payments, "p1", 30_000, List.of("k")).then().statusCode(201).extract().path("token");
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", theirs)
                .delete("/v1/groups/{group}/candidates/{c}", payments, "p1").then()
                .statusCode(403).body("detail", containsString("missing scope election:campaign"));
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", theirs)
                .delete("/v1/groups/{group}/candidates/{c}/keys/{k}", payments, "p1", "k").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", theirs)
                .put("/v1/groups/{group}/candidates/{c}/keys/{k}", payments, "p1", "other").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(token)).header("X-Maestro-Token", theirs).contentType(ContentType.JSON)
                .put("/v1/groups/{group}/candidates/{c}/heartbeat", payments, "p1").then().statusCode(403);
        Candidates.group(payments).then().body("leader.candidateId", equalTo("p1")).body("keys.k.owner", equalTo("p1"))
                .body("candidates[0].keys", org.hamcrest.Matchers.contains("k"));

        await().atMost(Duration.ofSeconds(30)).until(() -> events(payments, null).size() >= 1 && events(billing, null).size() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> events(payments, null).size() == 1);
        assertThat(events(payments, null).get(0).actor()).isEqualTo("test-admin");
        assertThat(events(billing, null).get(0).actor()).isEqualTo("billing-worker");
    }

    @Test
    void aReadScopeNarrowedToBillingReadsAndWatchesBillingOnlyAndCampaignsNowhere() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String billing = "billing-" + suffix;
        String payments = "payments-" + suffix;
        join(Tokens.admin(), billing, "w1", 30_000, List.of()).then().statusCode(201);
        String reader = Tokens.of("billing-reader", "election:read:billing-*");

        given().header("Authorization", Tokens.bearer(reader)).get("/v1/groups/{group}", billing).then()
                .statusCode(200).body("leader.candidateId", equalTo("w1"));
        given().header("Authorization", Tokens.bearer(reader)).get("/v1/groups/{group}", payments).then()
                .statusCode(403).body("detail", containsString("missing scope election:read on group '" + payments + "'"));
        join(reader, billing, "w2", 30_000, List.of()).then()
                .statusCode(403).body("detail", containsString("missing scope election:campaign"));
        Candidates.group(billing).then().body("candidates.candidateId", org.hamcrest.Matchers.contains("w1"));

        try (SseWatch watch = new SseWatch(base, billing, null, reader)) {
            assertThat(watch.status()).isEqualTo(200);
        }
        assertThat(watchStatus(payments, reader)).isEqualTo(403);
    }

    private int watchStatus(String group, String bearer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/groups/" + group + "/watch"))
                .header("Accept", "text/event-stream").header("Authorization", Tokens.bearer(bearer)).GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
