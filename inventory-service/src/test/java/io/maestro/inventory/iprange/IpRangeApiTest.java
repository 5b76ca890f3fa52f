package io.maestro.inventory.iprange;

import io.maestro.localstack.LocalStackResource;
import io.maestro.localstack.PostgresServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class IpRangeApiTest {

    private static void range(String name, String cidr) {
        given().contentType(ContentType.JSON).body(Map.of("name", name, "cidr", cidr)).post("/v1/ip-ranges").then().statusCode(201);
    }

    private static io.restassured.response.ValidatableResponse allocate(String range, String entity) {
        return given().contentType(ContentType.JSON).body(Map.of("entity", entity)).post("/v1/ip-ranges/" + range + "/allocations").then();
    }

    @Test
    void fiftyConcurrentAllocationsInOneRangeGiveFiftyDistinctAddresses() throws Exception {
        String range = unique("net");
        String srv = unique("srv");
        range(range, "10.20.0.0/24");
        created(srv, "server");
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> allocate(range, srv).statusCode(201).extract().jsonPath().getString("address"), clients));
            }
            List<String> addresses = new ArrayList<>();
            for (var future : futures) {
                addresses.add(future.get());
            }
            assertThat(addresses).hasSize(50).doesNotHaveDuplicates().allMatch(a -> a.startsWith("10.20.0."));
            assertThat(addresses).doesNotContain("10.20.0.0", "10.20.0.255");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void addressesAreHandedOutLowestFirstAndAReleasedOneIsReused() {
        String range = unique("net");
        String srv = unique("srv");
        range(range, "192.168.7.0/30");
        created(srv, "server");
        allocate(range, srv).statusCode(201).body("address", equalTo("192.168.7.1"));
        allocate(range, srv).statusCode(201).body("address", equalTo("192.168.7.2"));
        allocate(range, srv).statusCode(409).contentType("application/problem+json");
        given().delete("/v1/ip-ranges/" + range + "/allocations/192.168.7.1").then().statusCode(204);
        allocate(range, srv).statusCode(201).body("address", equalTo("192.168.7.1"));
        given().get("/v1/entities/" + srv).then().body("addresses.address", contains("192.168.7.1", "192.168.7.2"))
                .body("version", equalTo(5));
    }

    @Test
    void ipv6RangesWork() {
        String range = unique("net6");
        String srv = unique("srv");
        range(range, "2001:db8:42::/64");
        created(srv, "server");
        allocate(range, srv).statusCode(201).body("address", equalTo("2001:db8:42::1"));
        allocate(range, srv).statusCode(201).body("address", equalTo("2001:db8:42::2"));
    }

    @Test
    void invalidRangesAndUnknownEntitiesAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("name", unique("net"), "cidr", "10.0.0.1/24")).post("/v1/ip-ranges")
                .then().statusCode(400).body("errors[0].field", equalTo("cidr"));
        given().contentType(ContentType.JSON).body(Map.of("name", unique("net"), "cidr", "example.com/24")).post("/v1/ip-ranges")
                .then().statusCode(400).body("errors[0].field", equalTo("cidr"));
        String range = unique("net");
        range(range, "10.30.0.0/24");
        allocate(range, "no-such-entity").statusCode(404);
        allocate(unique("nonet"), "x").statusCode(404);
    }

    @Test
    void slashZeroRangesAreAcceptedAndHandOutTheirLowestHostAddressesFirst() {
        String v6 = unique("all6");
        String v4 = unique("all4");
        String srv = unique("srv");
        range(v6, "::/0");
        range(v4, "0.0.0.0/0");
        created(srv, "server");
        allocate(v6, srv).statusCode(201).body("address", equalTo("::1"));
        allocate(v6, srv).statusCode(201).body("address", equalTo("::2"));
        allocate(v6, srv).statusCode(201).body("address", equalTo("::3"));
        given().delete("/v1/ip-ranges/" + v6 + "/allocations/::2").then().statusCode(204);
        allocate(v6, srv).statusCode(201).body("address", equalTo("::2"));
        allocate(v4, srv).statusCode(201).body("address", equalTo("0.0.0.1"));
    }

    @Test
    void pointToPointRangesUseEveryAddressAndOtherRangesSkipNetworkAndBroadcast() {
        String srv = unique("srv");
        created(srv, "server");
        Map<String, List<String>> usable = Map.of(
                "10.77.0.0/31", List.of("10.77.0.0", "10.77.0.1"),
                "10.77.0.9/32", List.of("10.77.0.9"),
                "2001:db8:77::/127", List.of("2001:db8:77::", "2001:db8:77::1"),
                "2001:db8:77::9/128", List.of("2001:db8:77::9"),
                "10.77.1.0/30", List.of("10.77.1.1", "10.77.1.2"),
                "2001:db8:78::/126", List.of("2001:db8:78::1", "2001:db8:78::2", "2001:db8:78::3"));
        usable.forEach((cidr, addresses) -> {
            String range = unique("p2p");
            range(range, cidr);
            for (String address : addresses) {
                allocate(range, srv).statusCode(201).body("address", equalTo(address));
            }
            allocate(range, srv).statusCode(409).contentType("application/problem+json");
        });
    }

    @Test
    void inAFilledStretchOfASlash16ReleasedAddressesAreReusedLowestFirstThenTheStretchContinues() throws Exception {
        String range = unique("net16");
        String srv = unique("srv");
        range(range, "10.88.0.0/16");
        created(srv, "server");
        int filled = 20_000;
        // 40 owners of 500 addresses each: one entity holding all 20,000 would make an outbox row (entity_json
        // lists its addresses) larger than Kafka's 1 MB record limit
        List<Map<String, String>> owners = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            owners.add(Map.of("name", srv + "-o" + i, "type", "server"));
        }
        given().contentType(ContentType.JSON).body(Map.of("entities", owners)).post("/v1/entities/bulk").then().statusCode(201);
        // the stretch 10.88.0.1 .. 10.88.78.32 goes in through SQL (the same triggers keep the free extents)
        try (Connection db = DriverManager.getConnection(LocalStackResource.stack().postgres().jdbcUrl("maestro_inventory"),
                PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement fill = db.prepareStatement("""
                     insert into ip_allocation (range_id, address, entity_id)
                     select r.id, '10.88.0.0'::inet + i, e.id from ip_range r, generate_series(1, ?) i
                     join entity e on e.name = ? || '-o' || (i % 40)
                     where r.name = ?""")) {
            fill.setInt(1, filled);
            fill.setString(2, srv);
            fill.setString(3, range);
            assertThat(fill.executeUpdate()).isEqualTo(filled);
        }
        allocate(range, srv).statusCode(201).body("address", equalTo("10.88.78.33"));
        for (String address : List.of("10.88.39.7", "10.88.12.200", "10.88.12.201", "10.88.60.1")) {
            given().delete("/v1/ip-ranges/" + range + "/allocations/" + address).then().statusCode(204);
        }
        for (String address : List.of("10.88.12.200", "10.88.12.201", "10.88.39.7", "10.88.60.1", "10.88.78.34")) {
            allocate(range, srv).statusCode(201).body("address", equalTo(address));
        }
    }

    @Test
    void theAddressesOfADeletedEntityAreFreeAgain() {
        String range = unique("net");
        String gone = unique("srv");
        String next = unique("srv");
        range(range, "10.99.0.0/29");
        created(gone, "server");
        created(next, "server");
        allocate(range, gone).statusCode(201).body("address", equalTo("10.99.0.1"));
        allocate(range, next).statusCode(201).body("address", equalTo("10.99.0.2"));
        given().delete("/v1/entities/" + gone).then().statusCode(204);
        allocate(range, next).statusCode(201).body("address", equalTo("10.99.0.1"));
        allocate(range, next).statusCode(201).body("address", equalTo("10.99.0.3"));
    }

    /** Every range on every page of {@code GET /v1/ip-ranges}, by name. */
    private static Map<String, Map<String, Object>> listedRanges() {
        Map<String, Map<String, Object>> all = new java.util.LinkedHashMap<>();
        String cursor = null;
        do {
            var page = (cursor == null ? given() : given().queryParam("cursor", cursor)).queryParam("limit", 1000)
                    .get("/v1/ip-ranges").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(item -> all.put((String) item.get("name"), item));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return all;
    }

    @Test
    void rangesAreListedByNameWithTheirHostCountAndUtilisation() {
        String half = unique("net");
        String huge = unique("net");
        String pair = unique("net");
        range(half, "10.77.0.0/29");
        range(huge, "2001:db8:77::/64");
        range(pair, "10.78.0.0/31");
        String srv = unique("srv");
        created(srv, "server");
        for (int i = 0; i < 3; i++) {
            allocate(half, srv).statusCode(201);
        }
        Map<String, Map<String, Object>> listed = listedRanges();
        assertThat(listed.get(half)).containsEntry("cidr", "10.77.0.0/29").containsEntry("hosts", "6").containsEntry("allocated", 3)
                .containsEntry("utilisation", 0.5f);
        assertThat(listed.get(huge)).containsEntry("hosts", "18446744073709551615").containsEntry("allocated", 0);
        assertThat(listed.get(pair)).containsEntry("hosts", "2");
        assertThat(new ArrayList<>(listed.keySet())).isSorted();
    }

    @Test
    void rangesArePagedByCursorAndABadLimitOrCursorIsRefusedByName() {
        range(unique("net"), "10.79.0.0/24");
        range(unique("net"), "10.80.0.0/24");
        var first = given().queryParam("limit", 1).get("/v1/ip-ranges").then().statusCode(200).body("items", org.hamcrest.Matchers.hasSize(1))
                .extract().jsonPath();
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotNull();
        String second = given().queryParam("limit", 1).queryParam("cursor", cursor).get("/v1/ip-ranges").then().statusCode(200)
                .extract().jsonPath().getString("items[0].name");
        assertThat(second).isGreaterThan(first.getString("items[0].name"));
        given().queryParam("limit", 0).get("/v1/ip-ranges").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("cursor", "%%%").get("/v1/ip-ranges").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }
}
