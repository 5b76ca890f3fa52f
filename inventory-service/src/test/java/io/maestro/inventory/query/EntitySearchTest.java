package io.maestro.inventory.query;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Query results on a seeded inventory: datacenters {@code <s>-dc-a} and {@code <s>-dc-b}, two racks each,
 * two servers per rack (cores 8 or 32, role web or db), a switch per datacenter wired to the first server
 * of each rack, and a pool {@code <s>-spare}.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntitySearchTest {
    private final String s = "q" + Long.toString(System.nanoTime(), 36);

    private boolean seeded;

    /** Seeds once; in @BeforeEach because RestAssured's random test port is not set yet in @BeforeAll. */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        seeded = true;
        for (String dc : List.of("a", "b")) {
            String dcName = s + "-dc-" + dc;
            created(dcName, "datacenter");
            String sw = s + "-sw-" + dc;
            created(sw, "switch");
            insert(dcName, sw, null, null).statusCode(201);
            for (int r = 1; r <= 2; r++) {
                String rack = s + "-rack-" + dc + r;
                created(rack, "rack");
                insert(dcName, rack, null, null).statusCode(201);
                for (int n = 1; n <= 2; n++) {
                    String server = s + "-srv-" + dc + r + n;
                    created(server, "server", attr("cores", n == 1 ? 8 : 32), attr("role", n == 1 ? "web" : "db"),
                            Map.of("key", "disk", "subkey", "size", "value", 500 * n));
                    insert(rack, server, n * 2, 1).statusCode(201);
                    if (n == 1) {
                        connect(server, "eth0", sw, "port" + r).statusCode(201);
                    }
                }
            }
        }
        given().put("/v1/pools/" + s + "-spare/members/" + s + "-srv-a11").then().statusCode(200);
        given().put("/v1/pools/" + s + "-spare/members/" + s + "-srv-b22").then().statusCode(200);
    }

    private ValidatableResponse q(String expression) {
        return given().queryParam("q", expression).queryParam("limit", 100).get("/v1/entities").then().statusCode(200);
    }

    @Test
    void typeAndTransitiveIn() {
        q("type:server and in:" + s + "-dc-a").body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-a12", s + "-srv-a21", s + "-srv-a22"));
        q("in:" + s + "-rack-b1").body("items.name", containsInAnyOrder(s + "-srv-b11", s + "-srv-b12"));
    }

    @Test
    void attributeComparisonsAndSubkeys() {
        q("in:" + s + "-dc-b and attr:cores>=16").body("items.name", containsInAnyOrder(s + "-srv-b12", s + "-srv-b22"));
        q("in:" + s + "-dc-b and attr:role=web").body("items.name", containsInAnyOrder(s + "-srv-b11", s + "-srv-b21"));
        q("in:" + s + "-dc-b and attr:disk.size>600").body("items.name", containsInAnyOrder(s + "-srv-b12", s + "-srv-b22"));
        q("in:" + s + "-dc-b and attr:role!=web").body("items.name", containsInAnyOrder(s + "-srv-b12", s + "-srv-b22"));
        q("in:" + s + "-dc-a and attr:role=w*").body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-a21"));
    }

    @Test
    void connectedPoolGlobRegexAndNot() {
        q("connected:" + s + "-sw-a").body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-a21"));
        q("pool:" + s + "-spare").body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-b22"));
        q("name:" + s + "-srv-?1*").body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-a12", s + "-srv-b11", s + "-srv-b12"));
        q("name:/^" + s + "-rack-[ab]2$/").body("items.name", containsInAnyOrder(s + "-rack-a2", s + "-rack-b2"));
        q("type:server and in:" + s + "-dc-a and not (pool:" + s + "-spare or attr:role=db)").body("items.name", containsInAnyOrder(s + "-srv-a21"));
        q("(in:" + s + "-rack-a1 or in:" + s + "-rack-b2) and attr:cores<16")
                .body("items.name", containsInAnyOrder(s + "-srv-a11", s + "-srv-b21"));
    }

    @Test
    void pagesFollowTheCursorUntilItIsNull() {
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("q", "type:server and in:" + s + "-dc-a or type:server and in:" + s + "-dc-b").queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/v1/entities").then().statusCode(200).extract();
            names.addAll(page.jsonPath().getList("items.name"));
            cursor = page.jsonPath().getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).hasSize(8).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aSyntaxErrorIsA400WithThePosition() {
        given().queryParam("q", "type:server and (in:x").get("/v1/entities").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("q"))
                .body("errors[0].rule", containsString("at position 21"));
        given().queryParam("q", "name:/[/").get("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("q"));
        given().queryParam("limit", 0).get("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("cursor", "%%%").get("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void anExpressionMatchingNothingIsAnEmptyPage() {
        q("in:" + s + "-nothing").body("items.size()", equalTo(0)).body("nextCursor", nullValue());
    }
}
