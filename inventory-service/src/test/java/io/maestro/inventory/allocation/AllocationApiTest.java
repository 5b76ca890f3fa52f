package io.maestro.inventory.allocation;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class AllocationApiTest {

    /** A datacenter with {@code racks} racks of {@code perRack} servers each; returns its name. */
    private static String datacenter(int racks, int perRack) {
        String dc = unique("dc");
        created(dc, "datacenter");
        for (int r = 0; r < racks; r++) {
            String rack = dc + "-rack" + r;
            created(rack, "rack");
            insert(dc, rack, null, null).statusCode(201);
            for (int n = 0; n < perRack; n++) {
                String server = rack + "-srv" + n;
                created(server, "server");
                insert(rack, server, n + 1, 1).statusCode(201);
            }
        }
        return dc;
    }

    private static ExtractableResponse<Response> allocate(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/allocations").then().extract();
    }

    private static Map<String, Object> request(String query, int count, String spreadBy, String pool, String key) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("count", count);
        if (spreadBy != null) {
            body.put("spreadBy", spreadBy);
        }
        body.put("assign", Map.of("pool", pool, "attributes", List.of(Map.of("key", "status", "value", "allocated"))));
        if (key != null) {
            body.put("idempotencyKey", key);
        }
        return body;
    }

    @Test
    void fourServersEachInADifferentRackAreAllocatedWhenPossible() {
        String dc = datacenter(4, 2);
        String pool = unique("prod");
        var response = allocate(request("type:server and in:" + dc, 4, "rack", pool, null));
        assertThat(response.statusCode()).isEqualTo(201);
        List<String> parents = response.jsonPath().getList("entities.parent");
        assertThat(parents).hasSize(4).doesNotHaveDuplicates();
        assertThat(response.jsonPath().getList("entities.pools.flatten()")).containsOnly(pool);
        given().queryParam("q", "pool:" + pool + " and attr:status=allocated").get("/v1/entities").then().body("items", hasSize(4));
    }

    @Test
    void fourInDifferentRacksIsA409WhenOnlyThreeRacksHaveFreeServersAndNothingIsAllocated() {
        String dc = datacenter(3, 3);
        String pool = unique("prod");
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 4, "rack", pool, null))
                .post("/v1/allocations").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("3 distinct racks"));
        given().queryParam("q", "pool:" + pool).get("/v1/entities").then().body("items", hasSize(0));
        // without the spread the same request is satisfiable, and the next one finds what is left
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 4, null, pool, null))
                .post("/v1/allocations").then().statusCode(201).body("entities", hasSize(4));
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 6, null, pool, null))
                .post("/v1/allocations").then().statusCode(409).body("detail", containsString("only 5 free"));
    }

    @Test
    void twentyConcurrentAllocationsNeverShareAnEntity() throws Exception {
        String dc = datacenter(5, 6);
        String pool = unique("batch");
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> allocate(request("type:server and in:" + dc, 2, null, pool, null)), clients));
            }
            List<String> allocated = new ArrayList<>();
            int succeeded = 0;
            for (var future : futures) {
                var response = future.get();
                assertThat(response.statusCode()).isIn(201, 409);
                if (response.statusCode() == 201) {
                    succeeded++;
                    allocated.addAll(response.jsonPath().getList("entities.name"));
                }
            }
            assertThat(allocated).doesNotHaveDuplicates().hasSize(succeeded * 2);
            assertThat(succeeded).isEqualTo(15); // 30 servers, 2 each: every request that could succeed did
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstResult() {
        String dc = datacenter(2, 2);
        String pool = unique("prod");
        String key = unique("key");
        var first = allocate(request("type:server and in:" + dc, 2, "rack", pool, key));
        assertThat(first.statusCode()).isEqualTo(201);
        var second = allocate(request("type:server and in:" + dc, 2, "rack", pool, key));
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.jsonPath().getBoolean("replayed")).isTrue();
        assertThat(second.jsonPath().getList("entities.name")).isEqualTo(first.jsonPath().getList("entities.name"));
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 1, null, pool, key))
                .post("/v1/allocations").then().statusCode(422);
    }

    @Test
    void aBadRequestIsA400NamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("query", "type:server and", "count", 1)).post("/v1/allocations")
                .then().statusCode(400).body("errors[0].field", equalTo("query"));
        given().contentType(ContentType.JSON).body(Map.of("query", "type:server", "count", 0)).post("/v1/allocations")
                .then().statusCode(400).body("errors[0].field", equalTo("count"));
        given().contentType(ContentType.JSON).body(Map.of("query", "type:server", "count", 1, "spreadBy", "Rack!")).post("/v1/allocations")
                .then().statusCode(400).body("errors[0].field", equalTo("spreadBy"));
    }

    @Test
    void aDryRunAnswersWhatWouldBeChosenAndWritesNothing() {
        String dc = datacenter(3, 2);
        String pool = unique("preview");
        Map<String, Object> body = request("type:server and in:" + dc, 3, "rack", pool, unique("key"));
        List<Integer> versionsBefore = given().queryParam("q", "type:server and in:" + dc).get("/v1/entities").then().extract().jsonPath().getList("items.version");
        var preview = given().contentType(ContentType.JSON).body(body).queryParam("dryRun", "true").post("/v1/allocations").then()
                .statusCode(200).body("dryRun", equalTo(true)).extract().jsonPath();
        List<String> previewed = preview.getList("entities.name");
        assertThat(previewed).hasSize(3);
        assertThat(preview.getList("entities.pools.flatten()")).containsOnly(pool);
        // nothing written: no member of the pool, no new version, and the same key allocates for real afterwards
        given().queryParam("q", "pool:" + pool).get("/v1/entities").then().body("items", hasSize(0));
        assertThat(given().queryParam("q", "type:server and in:" + dc).get("/v1/entities").then().extract().jsonPath().<Integer>getList("items.version"))
                .isEqualTo(versionsBefore);
        var real = allocate(body);
        assertThat(real.statusCode()).isEqualTo(201);
        assertThat(real.jsonPath().getBoolean("replayed")).isFalse();
        assertThat(real.jsonPath().getBoolean("dryRun")).isFalse();
        assertThat(real.jsonPath().getList("entities.name")).containsExactlyInAnyOrderElementsOf(previewed);
    }

    @Test
    void aDryRunThatCannotBeSatisfiedIsThe409ItWouldBe() {
        String dc = datacenter(1, 2);
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 2, "rack", unique("p"), null))
                .queryParam("dryRun", "true").post("/v1/allocations").then().statusCode(409)
                .body("detail", containsString("nothing was allocated"));
        given().contentType(ContentType.JSON).body(request("type:server and in:" + dc, 1, null, unique("p"), null))
                .queryParam("dryRun", "maybe").post("/v1/allocations").then().statusCode(400)
                .body("errors[0].field", equalTo("dryRun"));
    }
}
