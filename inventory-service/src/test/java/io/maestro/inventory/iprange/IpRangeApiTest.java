package io.maestro.inventory.iprange;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

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
}
