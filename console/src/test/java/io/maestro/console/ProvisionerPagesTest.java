package io.maestro.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The provisioner's pages without a browser: the launch form's dry run and refusals, and what a token may see. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class ProvisionerPagesTest {

    private static Map<String, String> launchForm(String csrf, String action, String name, String count) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf);
        form.put("action", action);
        form.put("name", name);
        form.put("tag", "worker");
        form.put("count", count);
        form.put("driver", "local");
        return form;
    }

    @Test
    void aDryRunShowsThePlanAndCreatesNothing() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page form = browser.get("/provisioner/launch");
        assertThat(form.html().select("#launch-form input[name=tag]")).hasSize(3);
        PageClient.Page plan = browser.post("/provisioner/launch", launchForm(form.csrf(), "dry-run", "dry-pages", "4"));
        assertThat(plan.status()).isEqualTo(200);
        assertThat(plan.html().getElementById("plan").text()).contains("would launch 4 nodes").contains("$0.0000 per hour");
        assertThat(plan.html().select("#plan .calls li").eachText()).singleElement().asString().startsWith("start 4 SSH server(s)");
        assertThat(plan.html().select("#plan td.cost").eachText()).containsExactly("0");
        assertThat(plan.html().selectFirst("#name").attr("value")).isEqualTo("dry-pages");
        assertThat(browser.get("/provisioner/clusters/dry-pages").status()).as("nothing was created").isEqualTo(404);
        assertThat(browser.get("/provisioner").html().select("#clusters a").eachText()).doesNotContain("dry-pages");
    }

    @Test
    void aClusterLaunchedWithATtlShowsWhenItWillBeDestroyed() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        String csrf = browser.get("/provisioner/launch").csrf();
        Map<String, String> badTtl = launchForm(csrf, "dry-run", "ttl-pages", "0");
        badTtl.put("ttl", "tomorrow");
        PageClient.Page refused = browser.post("/provisioner/launch", badTtl);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html().getElementById("error").text()).contains("ttl").contains("a duration such as 15s");
        assertThat(refused.html().selectFirst("#ttl").attr("value")).as("the form keeps what was typed").isEqualTo("tomorrow");

        Map<String, String> launch = launchForm(csrf, "launch", "ttl-pages", "0");
        launch.put("ttl", "2h");
        PageClient.Page launched = browser.post("/provisioner/launch", launch);
        assertThat(launched.status()).isEqualTo(303);
        assertThat(launched.header("Location")).contains("/provisioner/commands/");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> browser.get("/provisioner/clusters/ttl-pages").status() == 200);
        PageClient.Page cluster = browser.get("/provisioner/clusters/ttl-pages");
        assertThat(cluster.html().getElementById("expires").text()).contains("Destroyed at").contains("(ttl 2h)");
        assertThat(browser.get("/provisioner").html().select("#clusters tr:has(a:containsOwn(ttl-pages)) td.expires").text())
                .doesNotContain("never").isNotBlank();
    }

    @Test
    void aLaunchTheProvisionerRefusesComesBackWithItsRuleAndALaunchNeedsTheFormsSecret() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        String csrf = browser.get("/provisioner/launch").csrf();
        PageClient.Page badName = browser.post("/provisioner/launch", launchForm(csrf, "launch", "Not A Name!", "1"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.html().getElementById("error").text()).contains("name");
        PageClient.Page badCount = browser.post("/provisioner/launch", launchForm(csrf, "launch", "fine-name", "many"));
        assertThat(badCount.status()).isEqualTo(400);
        assertThat(badCount.html().getElementById("error").text()).isEqualTo("count of group 'worker': must be a whole number");
        PageClient.Page forged = browser.post("/provisioner/launch", launchForm("guessed", "launch", "fine-name", "1"));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(browser.get("/provisioner/clusters/fine-name").status()).isEqualTo(404);
    }

    @Test
    void aReadOnlyTokenIsOfferedNoLaunch() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.auth().token("viewer", "registry:read", "provisioner:read"));
        PageClient.Page clusters = browser.get("/provisioner");
        assertThat(clusters.status()).isEqualTo(200);
        assertThat(clusters.html().select("#launch-link")).isEmpty();
        assertThat(clusters.html().select("header nav a").eachText()).containsExactly("Overview", "Registry", "Provisioner");
    }
}
