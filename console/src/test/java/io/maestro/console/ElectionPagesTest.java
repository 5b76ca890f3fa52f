package io.maestro.console;

import io.maestro.client.election.ElectionClient;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An election group's page: leader, fencing token, candidates eldest first, and the history, live. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class ElectionPagesTest {

    private static ElectionClient candidate(String group, String id) {
        return ElectionClient.builder(TestSuite.election(), group, id).token(TestSuite.adminToken()).ttl(Duration.ofSeconds(5)).start();
    }

    @Test
    void aGroupPageShowsItsLeaderCandidatesEldestFirstAndFollowsAHandover() throws Exception {
        String group = "console-" + UUID.randomUUID().toString().substring(0, 8);
        ElectionClient first = candidate(group, "alpha");
        await().atMost(Duration.ofSeconds(10)).until(first::isMaster);
        try (ElectionClient second = candidate(group, "beta")) {
            PageClient browser = PageClient.console();
            browser.signIn(TestSuite.adminToken());
            assertThat(browser.get("/election?group=" + group).header("Location")).endsWith("/election/groups/" + group);
            assertThat(browser.get("/election?prefix=" + group).html().select("#groups a").eachText()).containsExactly(group);
            PageClient.Page page = browser.get("/election/groups/" + group);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.html().getElementById("leader-id").text()).isEqualTo("alpha");
            long token = Long.parseLong(page.html().getElementById("fencing-token").text());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.get("/election/groups/" + group).html()
                    .select("#candidates tr.candidate td:first-child").eachText()).containsExactly("alpha leader", "beta"));

            HttpResponse<InputStream> stream = browser.http().send(HttpRequest.newBuilder(browser.base().resolve("/election/groups/" + group + "/live"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                assertThat(PageClient.nextEvent(lines)).startsWith("event:state").contains("alpha");
                // The history follows once the group's replayed events arrived (a redraw or two later).
                String history = PageClient.nextEvent(lines);
                while (!history.startsWith("event:history")) {
                    history = PageClient.nextEvent(lines);
                }
                assertThat(history).contains("ELECTED").contains("alpha");
                first.quit(); // resigns: beta leads at once, with a larger fencing token
                String state = PageClient.nextEvent(lines);
                while (!state.contains("id=\"leader-id\">beta")) {
                    state = PageClient.nextEvent(lines);
                }
                long next = Long.parseLong(state.replaceAll("(?s).*id=\"fencing-token\">(\\d+)<.*", "$1"));
                assertThat(next).isGreaterThan(token);
            }
        } finally {
            first.quit();
        }
    }

    @Test
    void aGroupNameTheServiceRefusesIsA400PageInItsWords() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page refused = browser.get("/election/groups/" + PageClient.encode("Bad Name!"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html().select(".banner").text()).startsWith("election-service:");
        assertThat(refused.html().select("main script")).isEmpty();
    }
}
