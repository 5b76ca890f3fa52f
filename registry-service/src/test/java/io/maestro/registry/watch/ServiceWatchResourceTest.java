package io.maestro.registry.watch;

import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ServiceWatchResourceTest {
    @TestHTTPResource("/")
    URI base;

    static String uniqueService() {
        return "watch-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String register(String service, String instanceId) {
        return given().contentType(ContentType.JSON).body(Map.of("endpoint", "http://10.0.0.1:8080", "ttlSeconds", 60))
                .put("/v1/services/{s}/instances/{i}", service, instanceId).then().extract().path("token");
    }

    SseStream watch(String service, String query) throws Exception {
        return watch(service, query, Map.of());
    }

    SseStream watch(String service, String query, Map<String, String> headers) throws Exception {
        return new SseStream(base.resolve("/v1/services/" + service + "/watch" + query), headers);
    }

    static ServiceMembershipChanged change(SseStream.Event event) {
        return EventCodec.decode(event.data(), ServiceMembershipChanged.class);
    }

    @Test
    void aWatchWithoutRevisionStartsWithASnapshotThenStreamsEachChangeWithTheWholeList() throws Exception {
        String service = uniqueService();
        register(service, "node-1");
        register(service, "node-2");
        try (SseStream stream = watch(service, "")) {
            assertThat(stream.status).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() >= 1);
            SseStream.Event snapshot = stream.events.get(0);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isEqualTo("2");
            JsonPath json = JsonPath.from(snapshot.data());
            assertThat(json.getString("service")).isEqualTo(service);
            assertThat(json.getLong("revision")).isEqualTo(2);
            assertThat(json.getList("instances.instanceId", String.class)).containsExactly("node-1", "node-2");

            register(service, "node-3");
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() >= 2);
            SseStream.Event changed = stream.events.get(1);
            assertThat(changed.name()).isEqualTo("change");
            assertThat(changed.id()).isEqualTo("3");
            ServiceMembershipChanged event = change(changed);
            assertThat(event.revision()).isEqualTo(3);
            assertThat(event.change().type()).isEqualTo(ServiceMembershipChanged.ChangeType.REGISTERED);
            assertThat(event.change().instanceId()).isEqualTo("node-3");
            assertThat(event.instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId)
                    .containsExactly("node-1", "node-2", "node-3");
        }
    }

    @Test
    void aWatchAfterARevisionReplaysWhatItMissedWithoutASnapshot() throws Exception {
        String service = uniqueService();
        register(service, "node-1");
        String token = register(service, "node-2");
        given().header("X-Maestro-Token", token).delete("/v1/services/{s}/instances/{i}", service, "node-2").then().statusCode(204);
        try (SseStream stream = watch(service, "?afterRevision=1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() >= 2);
            assertThat(stream.events).extracting(SseStream.Event::name).containsExactly("change", "change");
            assertThat(stream.events).extracting(SseStream.Event::id).containsExactly("2", "3");
            assertThat(change(stream.events.get(1)).change().type()).isEqualTo(ServiceMembershipChanged.ChangeType.DEREGISTERED);
            assertThat(change(stream.events.get(1)).instances()).extracting(ServiceMembershipChanged.ServiceInstance::instanceId)
                    .containsExactly("node-1");
        }
    }

    @Test
    void theLastEventIdHeaderResumesLikeAfterRevision() throws Exception {
        String service = uniqueService();
        register(service, "node-1");
        register(service, "node-2");
        try (SseStream stream = watch(service, "", Map.of("Last-Event-ID", "1"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() >= 1);
            assertThat(stream.events.get(0).name()).isEqualTo("change");
            assertThat(stream.events.get(0).id()).isEqualTo("2");
        }
    }

    @Test
    void aRevisionTooOldToReplayGetsASnapshotFirst() throws Exception {
        String service = uniqueService();
        String token = register(service, "node-1");
        // More changes than the log keeps (128, trimmed approximately by whole blocks of 100).
        for (int i = 0; i < 260; i++) {
            given().contentType(ContentType.JSON).header("X-Maestro-Token", token)
                    .body(Map.of("endpoint", "http://10.0.0.1:" + (1000 + i), "ttlSeconds", 60))
                    .put("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(200);
        }
        try (SseStream stream = watch(service, "?afterRevision=1")) {
            // exactly one event, and still one 300 ms later
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() == 1);
            assertThat(stream.events.get(0).name()).isEqualTo("snapshot");
            assertThat(stream.events.get(0).id()).isEqualTo("261");
        }
    }

    @Test
    void aRevisionAheadOfRedisGetsASnapshot() throws Exception {
        String service = uniqueService();
        register(service, "node-1");
        try (SseStream stream = watch(service, "?afterRevision=99")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.size() >= 1);
            assertThat(stream.events.get(0).name()).isEqualTo("snapshot");
            assertThat(stream.events.get(0).id()).isEqualTo("1");
        }
    }

    @Test
    void thereAreNoWakeUpsWithoutAChange() throws Exception {
        String service = uniqueService();
        String token = register(service, "node-1");
        try (SseStream upToDate = watch(service, "?afterRevision=1");
             SseStream unknown = watch(uniqueService(), "?afterRevision=0")) {
            for (int i = 0; i < 10; i++) {
                given().header("X-Maestro-Token", token).put("/v1/services/{s}/instances/{i}/heartbeat", service, "node-1").then().statusCode(200);
            }
            given().contentType(ContentType.JSON).header("X-Maestro-Token", token)
                    .body(Map.of("endpoint", "http://10.0.0.1:8080", "ttlSeconds", 60))
                    .put("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(200).body("revision", equalTo(1));
            register(uniqueService(), "elsewhere");
            // no wake-up without a change: both streams stay silent for a second
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> upToDate.events.isEmpty() && unknown.events.isEmpty());

            register(service, "node-2");
            await().atMost(Duration.ofSeconds(5)).until(() -> upToDate.events.size() == 1);
            assertThat(upToDate.events.get(0).id()).isEqualTo("2");
        }
    }

    @jakarta.inject.Inject
    WatchHub hub;

    @Test
    void aWatcherThatDisconnectsIsForgotten() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.watchCount() == 0);
        String service = uniqueService();
        SseStream first = watch(service, "");
        SseStream second = watch(service, "?afterRevision=0");
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.watchCount() == 2);
        first.close();
        second.close();
        register(service, "node-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.watchCount() == 0);
    }

    @Test
    void invalidWatchParametersAre400s() {
        given().queryParam("afterRevision", "abc").get("/v1/services/{s}/watch", uniqueService()).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("afterRevision"));
        given().queryParam("afterRevision", "-1").get("/v1/services/{s}/watch", uniqueService()).then()
                .statusCode(400).body("errors.field", hasItem("afterRevision"));
        given().get("/v1/services/{s}/watch", "Not_A_Name").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("service"));
    }
}
