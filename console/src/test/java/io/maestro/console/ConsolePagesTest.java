package io.maestro.console;

import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.registry.Maestro;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's pages as a browser without script gets them, from the console running against the real suite. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class ConsolePagesTest {

    @Test
    void everyPageSendsABrowserWithoutASessionToSignIn() throws Exception {
        PageClient browser = PageClient.console();
        for (String path : List.of("/", "/registry", "/registry/maestro.registry")) {
            PageClient.Page page = browser.get(path);
            assertThat(page.status()).as(path).isEqualTo(303);
            assertThat(page.header("Location")).as(path).endsWith("/login");
        }
        HttpResponse<String> stream = browser.http().send(HttpRequest.newBuilder(browser.base().resolve("/registry/maestro.registry/live"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(401);
    }

    @Test
    void theOverviewShowsTheFourServicesEachReplicaReadyAndWhoRelaysEvents() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page overview = browser.signIn(TestSuite.adminToken());
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.html().select(".banner")).isEmpty();
        for (String service : List.of("maestro.registry", "maestro.election", "maestro.inventory", "maestro.provisioner")) {
            Element section = overview.html().getElementById(service);
            assertThat(section).as(service).isNotNull();
            assertThat(section.select("tr.replica")).as(service).hasSize(1);
            assertThat(section.select("td.readiness").text()).as(service).isEqualTo("UP");
            assertThat(section.select("h2 .count").text()).isEqualTo("1/1 ready");
        }
        // The inventory relays its outbox to Kafka from the one replica that holds the relay's lock: this one.
        assertThat(overview.html().getElementById("maestro.inventory").select("td.relay").text()).isEqualTo("yes");
        assertThat(overview.html().getElementById("subject").text()).isEqualTo(System.getProperty("user.name", "admin"));
    }

    @Test
    void aTokenTheServicesRefuseIsRefusedInTheirWordsAndSignsNobodyIn() throws Exception {
        Path otherKeys = Files.createTempDirectory("other-suite");
        String foreign = new TokenIssuer(SigningKey.readPrivateKey(SigningKey.ensure(otherKeys)))
                .issue("mallory", List.of("admin"), Duration.ofHours(1)).token();
        PageClient browser = PageClient.console();
        PageClient.Page answer = browser.signIn(foreign);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.html().getElementById("error").text()).startsWith("The token was refused:");
        assertThat(browser.get("/").status()).isEqualTo(303);

        PageClient.Page garbage = browser.signIn("not-a-token");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.html().getElementById("error").text()).startsWith("token: this is not a suite token");
    }

    @Test
    void signingInAndOutNeedTheFormsCsrfSecretAndTheConsolesOwnOrigin() throws Exception {
        PageClient browser = PageClient.console();
        browser.get("/login");
        PageClient.Page forged = browser.post("/login", Map.of("csrf", "guessed", "token", TestSuite.adminToken()));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(browser.get("/").status()).isEqualTo(303);

        PageClient.Page overview = browser.signIn(TestSuite.adminToken());
        assertThat(overview.status()).isEqualTo(200);
        PageClient.Page crossSite = browser.post("/logout", Map.of("csrf", overview.csrf()), "Origin", "http://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(browser.post("/logout", Map.of("csrf", "guessed")).status()).isEqualTo(400);
        assertThat(browser.get("/").status()).as("still signed in").isEqualTo(200);

        PageClient.Page out = browser.post("/logout", Map.of("csrf", overview.csrf()));
        assertThat(out.status()).isEqualTo(303);
        assertThat(browser.get("/").status()).isEqualTo(303);
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndTheTokenNeverReachesTheBrowser() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page form = browser.get("/login");
        String setCookie = form.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        String token = TestSuite.adminToken();
        browser.get("/login");
        PageClient.Page answer = browser.post("/login", Map.of("csrf", browser.get("/login").csrf(), "token", token));
        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.header("Set-Cookie")).doesNotContain(token);
        assertThat(browser.session().getValue()).hasSize(43).doesNotContain(token);
        assertThat(browser.get("/").response().body()).doesNotContain(token);
    }

    @Test
    void everyPageForbidsInlineScriptFramingAndCaching() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page overview = browser.signIn(TestSuite.adminToken());
        String policy = overview.header("Content-Security-Policy");
        assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'").contains("default-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(overview.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(overview.header("Cache-Control")).isEqualTo("no-store");
        // Scripts come from the console itself (the WebJars and its own file), none is written into the page.
        for (Element script : overview.html().select("script")) {
            assertThat(script.attr("src")).startsWith("/");
            assertThat(script.data()).isEmpty();
        }
        for (Element script : overview.html().select("script")) {
            assertThat(browser.get(script.attr("src")).status()).as(script.attr("src")).isEqualTo(200);
        }
    }

    @Test
    void aTokenWithoutRegistryReadIsNotOfferedTheRegistryButStillReachesTheInventory() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page overview = browser.signIn(TestSuite.auth().token("reader", "inventory:read"));
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.html().select("header nav a").eachText()).containsExactly("Overview", "Inventory");
        assertThat(overview.html().select(".banner").text()).contains("registry:read");
        // The console finds the inventory with its own token (registry:read:maestro.*), not the user's.
        assertThat(browser.get("/inventory").status()).isEqualTo(200);
        assertThat(browser.get("/registry").status()).isEqualTo(403);
    }

    @Test
    void anEventStreamOfSomethingTheServicesRefuseIsTheirStatusNeverA500() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        Map<String, Integer> expected = Map.of(
                "/registry/" + PageClient.encode("Bad Name!") + "/live", 400,
                "/election/groups/" + PageClient.encode("Bad Name!") + "/live", 400,
                "/provisioner/commands/no-such-command/live", 404);
        for (Map.Entry<String, Integer> stream : expected.entrySet()) {
            HttpResponse<String> answer = browser.http().send(HttpRequest.newBuilder(browser.base().resolve(stream.getKey()))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(stream.getKey()).isEqualTo(stream.getValue());
            assertThat(answer.body()).as(stream.getKey()).contains("the service");
        }
    }

    @Test
    void theLocalAdminsLinkSignsInAndAWrongCodeDoesNot() throws Exception {
        PageClient stranger = PageClient.console();
        assertThat(stranger.get("/login/link?code=0123").status()).isEqualTo(401);
        assertThat(stranger.get("/").status()).isEqualTo(303);

        PageClient admin = PageClient.console();
        PageClient.Page answer = admin.get("/login/link?code=" + TestSuite.loginCode());
        assertThat(answer.status()).isEqualTo(303);
        assertThat(admin.get("/").status()).isEqualTo(200);
    }

    @Test
    void hostileTextFromAServiceIsShownAsTextNeverAsMarkup() throws Exception {
        String payload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">\"'&";
        try (Maestro hostile = TestSuite.register("hostile-page", "hostile-1", Map.of("note", payload, "<b>key</b>", "v"))) {
            PageClient browser = PageClient.console();
            browser.signIn(TestSuite.adminToken());
            PageClient.Page page = browser.get("/registry/hostile-page");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.response().body()).contains("&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=")
                    .doesNotContain("<script>window").doesNotContain("<img").doesNotContain("<b>key");
            assertThat(page.html().select("main script, main img")).isEmpty();
            assertThat(page.html().select("main b").eachText()).containsExactlyInAnyOrder("<b>key</b>", "note");
            assertThat(page.html().select("span.attribute").eachText()).contains("note=" + payload);
        }
    }

    @Test
    void theServiceListIsSearchedAndPagedOnTheServer() throws Exception {
        List<Maestro> registered = new ArrayList<>();
        try {
            for (int i = 0; i < 55; i++) {
                registered.add(TestSuite.register(String.format("paged-%02d", i), "node-" + i, Map.of()));
            }
            PageClient browser = PageClient.console();
            browser.signIn(TestSuite.adminToken());
            PageClient.Page first = browser.get("/registry?q=paged-");
            assertThat(first.html().select(".summary").text()).startsWith("55 services");
            assertThat(first.html().select("#services tbody tr")).hasSize(50);
            String next = first.html().selectFirst("a[rel=next]").attr("href");
            PageClient.Page second = browser.get(next);
            assertThat(second.html().select("#services tbody tr")).hasSize(5);
            assertThat(second.html().select("#services tbody a").eachText()).contains("paged-54");
        } finally {
            registered.forEach(Maestro::close);
        }
    }

    @Test
    void aServicePageStreamsItsInstancesAgainAfterEveryChange() throws Exception {
        try (Maestro first = TestSuite.register("live-page", "live-1", Map.of("zone", "a"))) {
            PageClient browser = PageClient.console();
            browser.signIn(TestSuite.adminToken());
            HttpResponse<InputStream> stream = browser.http().send(HttpRequest.newBuilder(browser.base().resolve("/registry/live-page/live"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String snapshot = PageClient.nextEvent(lines);
                assertThat(snapshot).contains("event:instances").contains("live-1").doesNotContain("live-2");
                try (Maestro second = TestSuite.register("live-page", "live-2", Map.of("zone", "b"))) {
                    String change = PageClient.nextEvent(lines);
                    assertThat(change).contains("event:instances").contains("live-1").contains("live-2");
                    // and in the page's change log: who joined, where, with what
                    String logged = PageClient.nextEvent(lines);
                    assertThat(logged).contains("event:change").contains("<b>live-2</b> joined at http://127.0.0.1:9/live-2")
                            .contains("zone=b").doesNotContain("live-1");
                    // a drained instance: its state in the list, and in the change log
                    io.maestro.client.registry.Registry.builder(TestSuite.registry()).token(TestSuite.adminToken()).build()
                            .setState("live-page", "live-2", "draining");
                    assertThat(PageClient.nextEvent(lines)).contains("event:instances").contains("<td class=\"state draining\">draining</td>");
                    assertThat(PageClient.nextEvent(lines)).contains("event:change").contains("<b>live-2</b> is draining");
                }
                assertThat(PageClient.nextEvent(lines)).contains("event:instances").doesNotContain("live-2");
                assertThat(PageClient.nextEvent(lines)).contains("event:change").contains("<b>live-2</b> left");
            }
        }
    }
}
