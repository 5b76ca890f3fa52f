package io.maestro.registry.client;

import io.maestro.client.registry.Instance;
import io.maestro.client.registry.Maestro;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a watch buffer of one item, a client that stops reading during a burst of registrations still hands on every
 * revision, in order: when the service ends its stream with {@code fell-behind}, the client resumes after the last
 * revision it saw. (Whether the stream ends depends on how much the sockets between them absorb, so this test does not
 * require it; election's ElectionClientFellBehindTest forces it with a frozen proxy.)
 */
@QuarkusTest
@TestProfile(MaestroClientFellBehindTest.TinyWatchBuffer.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class MaestroClientFellBehindTest {
    public static final class TinyWatchBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.watch.buffer", "1");
        }
    }

    /** Registrations in one burst; each list carries every instance's attributes, so the stream soon outgrows the sockets. */
    private static final int BURST = 80;

    @TestHTTPResource("/")
    URI registry;

    @Test
    void aClientThatStopsReadingDuringABurstStillSeesEveryRevisionInOrder() throws Exception {
        String service = MaestroClientTest.svc("burst");
        Maestro maestro = Maestro.builder(registry).token(Tokens.admin()).instanceId("watcher").build();
        try {
            List<List<String>> seen = new CopyOnWriteArrayList<>();
            CountDownLatch burstDone = new CountDownLatch(1);
            // The listener runs on the watch's thread: while it waits for the burst to end the client reads nothing,
            // as a stalled client, and the lists (tens of MB) outgrow every socket buffer between it and the service.
            maestro.use(service, list -> {
                seen.add(list.stream().map(Instance::instanceId).sorted().toList());
                if (!list.isEmpty()) {
                    try {
                        burstDone.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

            String attribute = "v".repeat(15 * 1024);
            IntStream.range(0, BURST).parallel().forEach(i -> given().contentType(ContentType.JSON)
                    .body(Map.of("endpoint", "http://10.0.0.1:" + (1000 + i), "ttlSeconds", 600, "attributes", Map.of("padding", attribute)))
                    .put("/v1/services/{s}/instances/{i}", service, String.format("i%03d", i)).then().statusCode(201));
            burstDone.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == BURST + 1);
            // one list per revision, each one instance more than the one before: none skipped, none repeated
            for (int revision = 0; revision <= BURST; revision++) {
                assertThat(seen.get(revision)).as("the list of revision %d", revision).hasSize(revision);
                assertThat(seen.get(revision)).containsAll(revision == 0 ? List.of() : seen.get(revision - 1));
            }
            assertThat(maestro.revision(service)).isEqualTo(BURST);
        } finally {
            maestro.quit();
        }
    }
}
