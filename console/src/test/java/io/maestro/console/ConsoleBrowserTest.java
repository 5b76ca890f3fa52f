package io.maestro.console;

import io.maestro.client.registry.Maestro;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's Chromium), against the real suite: what a user sees, what changes live,
 * and that hostile text stored in the services runs nowhere. Without Chromium these are skipped, saying why; CI
 * installs it and fails when they did not run.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class ConsoleBrowserTest {
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        String missing = Chromium.missing();
        if (missing != null) {
            System.err.println("ConsoleBrowserTest: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        browser = Chromium.start(Files.createTempDirectory("console-chromium"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theLocalAdminSignsInWithTheLinkAndSeesTheSuiteReady() throws Exception {
        String base = PageClient.console().base().toString();
        browser.get(base + "/login/link?code=" + TestSuite.loginCode());
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("maestro.provisioner")));
        assertThat(browser.getTitle()).isEqualTo("Overview · Maestro");
        assertThat(browser.findElements(By.cssSelector("td.readiness")).stream().map(e -> e.getText()).toList())
                .hasSize(4).allMatch("UP"::equals);
        assertThat(browser.findElements(By.cssSelector(".banner"))).isEmpty();
        Chromium.screenshot(browser, "overview");
        assertNothingRanAndNothingWasBlocked();
    }

    @Test
    void aServicePageFollowsItsInstancesLiveAndHostileTextRunsNowhere() throws Exception {
        String payload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"><svg onload=\"window.__xss=3\">";
        String base = PageClient.console().base().toString();
        browser.get(base + "/login/link?code=" + TestSuite.loginCode());
        try (Maestro hostile = TestSuite.register("browser-live", "hostile-1", Map.of("note", payload, "zone", "a"))) {
            browser.get(base + "/registry/browser-live");
            wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("instance-hostile-1")));
            // The page is live once the stream swapped its first list in: then a new instance shows without reloading.
            wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live[data-live=open]")));
            try (Maestro second = TestSuite.register("browser-live", "browser-2", Map.of("zone", "b"))) {
                wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("instance-browser-2")));
                assertThat(browser.findElement(By.cssSelector("#instance-browser-2 time.countdown")).getText()).matches("\\d+ s");
                Chromium.screenshot(browser, "registry-service");
            }
            wait(10).until(ExpectedConditions.numberOfElementsToBe(By.id("instance-browser-2"), 0));
            assertThat(browser.findElement(By.cssSelector("#instance-hostile-1 .attribute")).getText()).contains("note=" + payload);
            assertThat(browser.findElements(By.cssSelector("main img, main svg, main script"))).isEmpty();
            assertNothingRanAndNothingWasBlocked();
        }
    }

    @Test
    void theInventorySearchLeadsToAnEntityPageAndHostileValuesRunNowhere() throws Exception {
        String id = java.util.UUID.randomUUID().toString().substring(0, 6);
        var inventory = TestSuite.inventory();
        inventory.create("dc" + id, "datacenter");
        inventory.create("rack" + id, "rack");
        inventory.insert("dc" + id, "rack" + id);
        for (int i = 1; i <= 3; i++) {
            inventory.create("web" + id + "-" + i, "server", Map.of("status", "unallocated", "memory", 128,
                    "note", "<img src=x onerror=\"window.__xss=" + i + "\"><script>window.__xss=9</script>"));
            inventory.insert("rack" + id, "web" + id + "-" + i, 10 + 2 * i, 2);
        }
        inventory.addToPool("frontend" + id, "web" + id + "-2");
        inventory.setAttribute("web" + id + "-2", "status", "allocated");

        String base = PageClient.console().base().toString();
        browser.get(base + "/login/link?code=" + TestSuite.loginCode());
        browser.findElement(By.linkText("Inventory")).click();
        browser.findElement(By.id("q")).sendKeys("type:server and in:dc" + id + "\n");
        wait(10).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entities tbody tr"), 3));
        browser.findElement(By.linkText("web" + id + "-2")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("history")));
        assertThat(browser.findElements(By.cssSelector("#location ol.chain li a")).stream().map(e -> e.getText()).toList())
                .containsExactly("rack" + id, "dc" + id);
        assertThat(browser.findElement(By.cssSelector("#history")).getText()).contains("unallocated").contains("allocated");
        Chromium.screenshot(browser, "inventory-entity");
        assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
        assertNothingRanAndNothingWasBlocked();

        // The rack it is in, with its elevation: the inventory's drawing, loaded from the console's own origin.
        browser.findElement(By.linkText("rack" + id)).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#elevation img")));
        wait(10).until(driver -> ((Number) ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return document.querySelector('#elevation img').naturalWidth")).intValue() > 0);
        Chromium.screenshot(browser, "inventory-rack");
        assertNothingRanAndNothingWasBlocked();

        browser.get(base + "/inventory?q=" + PageClient.encode("type:server and (in:dc" + id));
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#query-error mark")));
        Chromium.screenshot(browser, "inventory-query-error");
        assertNothingRanAndNothingWasBlocked("the server responded with a status of 400"); // the refusal is the page's own status
    }

    @Test
    void anElectionGroupPageFollowsAHandoverLive() throws Exception {
        String group = "browser-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        var first = io.maestro.client.election.ElectionClient.builder(TestSuite.election(), group, "alpha")
                .token(TestSuite.adminToken()).ttl(Duration.ofSeconds(5)).keys(List.of("eu", "us")).start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(first::isMaster); // the elder leads
        try (var second = io.maestro.client.election.ElectionClient.builder(TestSuite.election(), group, "beta")
                .token(TestSuite.adminToken()).ttl(Duration.ofSeconds(5)).keys(List.of("eu", "us")).start()) {
            String base = PageClient.console().base().toString();
            browser.get(base + "/login/link?code=" + TestSuite.loginCode());
            browser.findElement(By.linkText("Election")).click();
            browser.findElement(By.id("group")).sendKeys(group + "\n");
            wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live[data-live=open]")));
            wait(10).until(ExpectedConditions.textToBe(By.id("leader-id"), "alpha"));
            wait(10).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#candidates tr.candidate"), 2));
            wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#history li.change")));
            Chromium.screenshot(browser, "election-group");
            first.quit(); // resigns: the page shows beta leading without a reload
            wait(10).until(ExpectedConditions.textToBe(By.id("leader-id"), "beta"));
            assertThat(browser.findElement(By.id("history")).getText()).contains("RESIGNED").contains("beta");
            assertNothingRanAndNothingWasBlocked();
        } finally {
            first.quit();
        }
    }

    /**
     * The README's walk-through in the browser: launch voltron from the form (a dry run first), watch its nodes go
     * running live, find them in the inventory, open one, run a command on every node, destroy the cluster.
     */
    @Test
    void theVoltronWalkThroughRunsInTheBrowser() throws Exception {
        String cluster = "voltron-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        String base = PageClient.console().base().toString();
        browser.get(base + "/login/link?code=" + TestSuite.loginCode());
        browser.findElement(By.linkText("Provisioner")).click();
        browser.findElement(By.id("launch-link")).click();
        browser.findElement(By.id("name")).sendKeys(cluster);
        browser.findElement(By.id("dry-run")).click();
        wait(60).until(ExpectedConditions.presenceOfElementLocated(By.id("plan")));
        assertThat(browser.findElement(By.id("plan")).getText()).contains("would launch 3 nodes").contains("per hour");
        Chromium.screenshot(browser, "provisioner-launch-dry-run");

        browser.findElement(By.id("launch")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live[data-live=open]")));
        wait(120).until(ExpectedConditions.presenceOfElementLocated(By.id("ended")));
        assertThat(browser.findElement(By.id("ended")).getText()).startsWith("SUCCEEDED");
        assertThat(browser.findElements(By.cssSelector("#timeline li .status.running"))).hasSizeGreaterThanOrEqualTo(3);
        Chromium.screenshot(browser, "provisioner-command");

        browser.findElement(By.linkText("Inventory")).click();
        browser.findElement(By.id("q")).sendKeys("type:server and pool:" + cluster + "\n");
        wait(20).until(d -> {
            d.navigate().refresh(); // the inventory learns of the nodes from Kafka, a moment after the launch ended
            return d.findElements(By.cssSelector("#entities tbody tr")).size() == 3;
        });
        browser.findElement(By.linkText(cluster + "-worker-1")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("attributes")));
        assertThat(browser.findElement(By.id("attributes")).getText()).contains("running").contains(cluster);

        browser.get(base + "/provisioner/clusters/" + cluster);
        assertThat(browser.findElements(By.cssSelector("#nodes td.status.running"))).hasSize(3);
        browser.findElement(By.id("command")).sendKeys("hostname; echo '<img src=x onerror=window.__xss=7>'");
        browser.findElement(By.id("run")).click();
        wait(60).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#results tr.result"), 3));
        assertThat(browser.findElements(By.cssSelector("#results td.exit")).stream().map(e -> e.getText()).toList())
                .containsOnly("0");
        assertThat(browser.findElement(By.id("results")).getText()).contains("<img src=x onerror=window.__xss=7>");
        Chromium.screenshot(browser, "provisioner-cluster");
        assertNothingRanAndNothingWasBlocked();

        browser.findElement(By.id("confirm")).sendKeys(cluster);
        browser.findElement(By.id("destroy-button")).click();
        wait(120).until(ExpectedConditions.presenceOfElementLocated(By.id("ended")));
        assertThat(browser.findElement(By.id("ended")).getText()).startsWith("SUCCEEDED");
        assertThat(browser.findElements(By.cssSelector("#timeline li .status.terminated"))).hasSizeGreaterThanOrEqualTo(3);
        assertNothingRanAndNothingWasBlocked();
    }

    /**
     * No payload ran (it would have set {@code window.__xss}), no script or style was blocked by the policy (the
     * console itself needs no exception to it), and the browser logged no error.
     */
    private static void assertNothingRanAndNothingWasBlocked(String... expectedErrors) {
        assertThat(browser.executeScript("return window.__xss === undefined")).isEqualTo(Boolean.TRUE);
        assertThat((List<?>) browser.executeScript("return window.__violations")).isEmpty();
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> java.util.Arrays.stream(expectedErrors).noneMatch(entry.getMessage()::contains)).toList();
        assertThat(errors).isEmpty();
    }

    private static WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }
}
