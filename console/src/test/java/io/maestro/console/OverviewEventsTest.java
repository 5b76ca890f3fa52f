package io.maestro.console;

import io.maestro.client.registry.Maestro;
import io.maestro.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The overview's recent events of every topic: read from the suite's Kafka, live, and only what the token may read. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class OverviewEventsTest {

    @Test
    void theOverviewListsTheLatestEventsOfEveryTopicAndStreamsNewOnes() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page overview = browser.signIn(TestSuite.adminToken());
        assertThat(overview.html().select("#recent-events h3.topic").eachText()).containsExactlyElementsOf(Topics.ALL);
        HttpResponse<InputStream> stream = browser.http().send(HttpRequest.newBuilder(browser.base().resolve("/events/live"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(PageClient.nextEvent(lines)).contains("event:events").contains(Topics.REGISTRY_CHANGES);
            try (Maestro instance = TestSuite.register("events-page", "ev-1", Map.of())) {
                String drawn = "";
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!drawn.contains("events-page") && System.nanoTime() < until) {
                    drawn = PageClient.nextEvent(lines);
                }
                assertThat(drawn).contains("events-page").contains("ev-1");
            }
        }
    }

    @Test
    void aNarrowedTokenSeesOnlyTheTopicsAndNamesItMayRead() throws Exception {
        try (Maestro mine = TestSuite.register("events-narrow.a", "mine-1", Map.of());
             Maestro other = TestSuite.register("events-other", "other-1", Map.of())) {
            PageClient admin = PageClient.console();
            admin.signIn(TestSuite.adminToken());
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/").html().select("#recent-events").text().contains("events-other"));
            PageClient narrowed = PageClient.console();
            narrowed.signIn(TestSuite.auth().token("events-reader", "registry:read:events-narrow.*"));
            AtomicReference<PageClient.Page> page = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                page.set(narrowed.get("/"));
                return page.get().html().select("#recent-events").text().contains("events-narrow.a");
            });
            assertThat(page.get().html().select("#recent-events h3.topic").eachText()).containsExactly(Topics.REGISTRY_CHANGES);
            assertThat(page.get().html().select("#recent-events").text()).doesNotContain("events-other");
        }
    }
}
