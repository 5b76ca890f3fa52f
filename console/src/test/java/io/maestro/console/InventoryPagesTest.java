package io.maestro.console;

import io.maestro.client.inventory.Inventory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The inventory's pages, rendered by the console from the real inventory. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleSuiteResource.class, restrictToAnnotatedClass = false)
class InventoryPagesTest {

    @Test
    void theSearchTakesTheExpressionLanguageAndPagesOnTheServer() throws Exception {
        String batch = "b" + UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = TestSuite.inventory();
        for (int i = 0; i < 55; i++) {
            inventory.create(String.format("%s-server-%02d", batch, i), "server", Map.of("batch", batch, "memory", 64));
        }
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page first = browser.get("/inventory?q=" + PageClient.encode("type:server and attr:batch=" + batch));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.html().select("#entities tbody tr")).hasSize(50);
        assertThat(first.html().select("#entities tbody a").first().text()).isEqualTo(batch + "-server-00");
        assertThat(first.html().selectFirst("#q").attr("value")).isEqualTo("type:server and attr:batch=" + batch);
        PageClient.Page second = browser.get(first.html().selectFirst("a[rel=next]").attr("href"));
        assertThat(second.html().select("#entities tbody tr")).hasSize(5);
        assertThat(second.html().select("a[rel=next]")).isEmpty();
        assertThat(second.html().select("#entities tbody a").eachText()).contains(batch + "-server-54");
        String entityLink = second.html().selectFirst("#entities tbody a").attr("href");
        assertThat(browser.get(entityLink).status()).isEqualTo(200);
    }

    @Test
    void anExpressionTheInventoryRefusesIsShownWithItsPositionMarked() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page refused = browser.get("/inventory?q=" + PageClient.encode("type:server and (pool:a"));
        assertThat(refused.status()).isEqualTo(400);
        Element error = refused.html().getElementById("query-error");
        assertThat(error).isNotNull();
        assertThat(error.selectFirst("p.error").text()).contains("position");
        assertThat(error.selectFirst("pre").wholeText()).isEqualTo("type:server and (pool:a ");
        assertThat(error.select("mark")).hasSize(1);
        assertThat(refused.html().select(".banner")).isEmpty();
    }

    @Test
    void anEntityPageShowsWhereItIsItsConnectionsPoolsAddressesAndWhatEachChangeChanged() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = TestSuite.inventory();
        inventory.create("dc-" + id, "datacenter");
        inventory.create("rack-" + id, "rack");
        inventory.create("switch-" + id, "switch");
        inventory.create("srv-" + id, "server", Map.of("status", "unallocated", "note", "<script>window.__xss=1</script>"));
        inventory.insert("dc-" + id, "rack-" + id);
        inventory.insert("rack-" + id, "srv-" + id, 10, 2);
        inventory.connect("srv-" + id, "eth0", "switch-" + id, "ge-0-0-1");
        inventory.addToPool("pool-" + id, "srv-" + id);
        inventory.addRange("net-" + id, "10.77." + (Math.abs(id.hashCode()) % 250) + ".0/24");
        inventory.allocateAddress("net-" + id, "srv-" + id);
        inventory.setAttribute("srv-" + id, "status", "allocated");

        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page page = browser.get("/inventory/entities/srv-" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().select("#location ol.chain li a").eachText()).containsExactly("rack-" + id, "dc-" + id);
        assertThat(page.html().select("#location ol.chain li").first().text()).contains("unit 10, 2U");
        assertThat(page.html().select("#connections td").eachText()).containsSubsequence("eth0", "switch-" + id, "ge-0-0-1");
        assertThat(page.html().select("#pools a.pool").eachText()).containsExactly("pool-" + id);
        assertThat(page.html().select("#pools li").text()).startsWith("10.77.");
        assertThat(page.html().select("#attributes td.value").eachText()).contains("allocated", "<script>window.__xss=1</script>");
        assertThat(page.html().select("main script")).isEmpty();
        // The last change set the status: shown as what it was and what it became.
        Element statusChange = page.html().select("#history .difference").stream()
                .filter(d -> d.text().startsWith("attr status:")).reduce((a, b) -> b).orElseThrow();
        assertThat(statusChange.select("del").text()).isEqualTo("unallocated");
        assertThat(statusChange.select("ins").text()).isEqualTo("allocated");
        assertThat(page.html().select("#history tr.change td:nth-child(2)").eachText()).contains("CREATED", "UPDATED");
    }

    @Test
    void anUnknownEntityIsA404PageNamingIt() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page missing = browser.get("/inventory/entities/no-such-entity-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.html().select(".banner").text()).contains("inventory-service").contains("no-such-entity-here");
    }

    @Test
    void aTokenWithoutInventoryReadIsNotOfferedTheInventory() throws Exception {
        PageClient browser = PageClient.console();
        PageClient.Page overview = browser.signIn(TestSuite.auth().token("registry-only", "registry:read"));
        assertThat(overview.html().select("header nav a").eachText()).containsExactly("Overview", "Registry");
        PageClient.Page refused = browser.get("/inventory");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.html().select(".banner").text()).contains("inventory:read");
    }

    @Test
    void aRackPageShowsItsElevationDrawnByTheInventoryAndServedFromTheConsolesOrigin() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = TestSuite.inventory();
        inventory.create("rack-" + id, "rack");
        inventory.create("srv-" + id, "server");
        inventory.insert("rack-" + id, "srv-" + id, 5, 2);
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page rack = browser.get("/inventory/entities/rack-" + id);
        String src = rack.html().selectFirst("#elevation img").attr("src");
        assertThat(src).isEqualTo("/inventory/entities/rack-" + id + "/elevation.svg");
        PageClient.Page svg = browser.get(src);
        assertThat(svg.status()).isEqualTo(200);
        assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(svg.response().body()).startsWith("<svg").contains("srv-" + id);
        assertThat(svg.header("Content-Security-Policy")).contains("script-src 'self'");
        // a server is not a rack: no drawing offered
        assertThat(browser.get("/inventory/entities/srv-" + id).html().select("#elevation")).isEmpty();
        assertThat(browser.get("/inventory/entities/no-rack-" + id + "/elevation.svg").status()).isEqualTo(404);
    }

    @Test
    void ipRangesAreListedWithHowMuchOfEachIsAllocated() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = TestSuite.inventory();
        inventory.addRange("aa-net-" + id, "10.91." + (Math.abs(id.hashCode()) % 250) + ".0/30");
        inventory.create("srv-" + id, "server");
        inventory.allocateAddress("aa-net-" + id, "srv-" + id);
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page ranges = browser.get("/inventory/ip-ranges");
        assertThat(ranges.status()).isEqualTo(200);
        Element row = ranges.html().select("#ranges tbody tr").stream()
                .filter(tr -> tr.child(0).text().equals("aa-net-" + id)).findFirst().orElseThrow();
        assertThat(row.child(2).text()).isEqualTo("2");
        assertThat(row.child(3).text()).isEqualTo("1");
        assertThat(row.selectFirst("meter").attr("value")).isEqualTo("0.5");
        assertThat(row.child(4).text()).contains("50.0%");
    }

    @Test
    void theAllocationFormPreviewsWhatWouldBeChosenWithoutWritingThenAllocatesIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = TestSuite.inventory();
        inventory.create("dc-" + id, "datacenter");
        for (int r = 0; r < 2; r++) {
            inventory.create("rack" + r + "-" + id, "rack");
            inventory.insert("dc-" + id, "rack" + r + "-" + id);
            for (int n = 0; n < 2; n++) {
                inventory.create("srv" + r + n + "-" + id, "server");
                inventory.insert("rack" + r + "-" + id, "srv" + r + n + "-" + id, n + 1, 1);
            }
        }
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.adminToken());
        PageClient.Page form = browser.get("/inventory/allocate");
        assertThat(form.html().select("#allocate-form")).hasSize(1);
        Map<String, String> fields = new java.util.HashMap<>(Map.of("csrf", form.csrf(), "query", "type:server and in:dc-" + id,
                "count", "2", "spreadBy", "rack", "pool", "web-" + id, "attributes", "role=web\nowner=<b>ops</b>", "action", "preview"));
        PageClient.Page preview = browser.post("/inventory/allocate", fields);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.html().selectFirst("#chosen h2").text()).contains("preview");
        List<String> previewed = preview.html().select("#chosen tbody tr td:first-child").eachText();
        assertThat(previewed).hasSize(2);
        assertThat(preview.html().select("#chosen tbody tr td:nth-child(3)").eachText()).doesNotHaveDuplicates();
        assertThat(preview.html().select("#chosen .summary-cell").text()).contains("owner=<b>ops</b>");
        assertThat(preview.html().select("#chosen b")).isEmpty();
        assertThat(preview.html().selectFirst("#query").attr("value")).isEqualTo("type:server and in:dc-" + id);
        assertThat(inventory.query("pool:web-" + id).count()).isZero();

        fields.put("action", "allocate");
        PageClient.Page allocated = browser.post("/inventory/allocate", fields);
        assertThat(allocated.status()).isEqualTo(200);
        assertThat(allocated.html().selectFirst("#chosen h2").text()).isEqualTo("Allocated");
        assertThat(inventory.query("pool:web-" + id + " and attr:role=web").map(e -> e.name()).toList())
                .containsExactlyInAnyOrderElementsOf(allocated.html().select("#chosen tbody tr td:first-child").eachText());

        fields.put("count", "3");
        PageClient.Page tooMany = browser.post("/inventory/allocate", fields);
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.html().selectFirst("#error").text()).contains("nothing was allocated");
        fields.put("count", "two");
        assertThat(browser.post("/inventory/allocate", fields).html().selectFirst("#error").text()).isEqualTo("count: must be a whole number");
        fields.remove("csrf");
        assertThat(browser.post("/inventory/allocate", fields).status()).isEqualTo(400);
    }

    @Test
    void aTokenThatMayReadButNotAllocateIsNotOfferedTheAllocationForm() throws Exception {
        PageClient browser = PageClient.console();
        browser.signIn(TestSuite.auth().token("inventory-reader", "inventory:read"));
        assertThat(browser.get("/inventory").html().select("#allocate-link")).isEmpty();
        PageClient.Page form = browser.get("/inventory/allocate");
        assertThat(form.html().select("#allocate-form")).isEmpty();
        assertThat(form.html().select(".banner").text()).contains("inventory:allocate");
    }
}
