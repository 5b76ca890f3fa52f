package io.maestro.inventory.entity;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

/**
 * An entity's effective attributes (clusto's merge_container_attrs): its own, then its pools', then its containers'
 * from the nearest out; the first that has a key gives every value of it, and says so.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class EffectiveAttributesTest {

    @Test
    void ownAttributesHidePoolsWhichHideNearerContainersWhichHideFartherOnes() {
        String dc = unique("dc");
        String rack = unique("rack");
        String server = unique("srv");
        String pool = unique("web");
        created(dc, "datacenter", attr("site", "dc1"), attr("ntp", "10.0.0.1"), attr("dns", "10.0.0.53"), attr("dns", "10.0.1.53"));
        created(rack, "rack", attr("feed", "A"), attr("ntp", "10.0.0.2"));
        created(server, "server", attr("cores", 8), attr("site", "lab"));
        insert(dc, rack, null, null).statusCode(201);
        insert(rack, server, 3, 1).statusCode(201);
        given().put("/v1/pools/" + pool + "/members/" + server).then().statusCode(200);
        given().contentType("application/json").body(attr("feed", "B")).post("/v1/entities/" + pool + "/attributes").then().statusCode(201);
        given().contentType("application/json").body(attr("role", "web")).post("/v1/entities/" + pool + "/attributes").then().statusCode(201);

        given().queryParam("effective", "true").get("/v1/entities/" + server).then().statusCode(200)
                .body("attributes.key", contains("cores", "site", "feed", "role", "ntp", "dns", "dns"))
                .body("attributes.value", contains(8, "lab", "B", "web", "10.0.0.2", "10.0.0.53", "10.0.1.53"))
                .body("attributes.from", contains(null, null, pool, pool, rack, dc, dc));

        // Without effective, only its own, and no "from" at all.
        given().get("/v1/entities/" + server).then().statusCode(200)
                .body("attributes.key", contains("cores", "site"))
                .body("attributes[0]", not(hasKey("from")));
        given().queryParam("effective", "maybe").get("/v1/entities/" + server).then().statusCode(400)
                .body("errors[0].field", equalTo("effective"));

        // Queries see them with effective:, and only what is effective: the datacenter's ntp is hidden by the rack's.
        search("type:server and in:" + dc + " and effective:feed=B").body("items.name", contains(server));
        search("type:server and in:" + dc + " and effective:ntp=10.0.0.2").body("items.name", contains(server));
        search("type:server and in:" + dc + " and effective:ntp=10.0.0.1").body("items", empty());
        search("type:server and in:" + dc + " and effective:dns=10.0.1.53").body("items.name", contains(server));
        search("type:server and in:" + dc + " and attr:feed").body("items", empty());
        search("in:" + dc + " and effective:site=dc1").body("items.name", containsInAnyOrder(rack));
        search("in:" + dc + " and effective:cores>=8 and not effective:role!=web").body("items.name", contains(server));
    }

    private static io.restassured.response.ValidatableResponse search(String q) {
        return given().queryParam("q", q).get("/v1/entities").then().statusCode(200);
    }
}
