package io.maestro.inventory.entity;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.create;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class EntityApiTest {

    @Test
    void createdEntityIsReadBackWithTypedAttributesAndItsVersionAsETag() {
        String name = unique("srv");
        create(name, "server", attr("cores", 16), attr("memory", 12.5), attr("vendor", "acme"), attr("virtual", false),
                Map.of("key", "installed", "value", "2026-01-31T12:00:00+01:00", "type", "timestamp"),
                Map.of("key", "disk", "subkey", "size", "number", 1, "value", 500))
                .statusCode(201)
                .header("ETag", "\"1\"")
                .header("Location", containsString("/v1/entities/" + name));

        given().get("/v1/entities/" + name).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("name", equalTo(name)).body("type", equalTo("server")).body("version", equalTo(1))
                .body("attributes.key", contains("cores", "memory", "vendor", "virtual", "installed", "disk"))
                .body("attributes.type", contains("integer", "decimal", "string", "boolean", "timestamp", "integer"))
                .body("attributes[0].value", equalTo(16))
                .body("attributes[3].value", equalTo(false))
                .body("attributes[4].value", equalTo("2026-01-31T11:00:00Z"))
                .body("attributes[5].subkey", equalTo("size")).body("attributes[5].number", equalTo(1));
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = unique("dup");
        created(name, "server");
        create(name, "switch").statusCode(409).contentType("application/problem+json");
    }

    @Test
    void staleIfMatchIsRejectedWith412AndAFreshOneApplies() {
        String name = unique("srv");
        created(name, "server");
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("type", "switch"))
                .patch("/v1/entities/" + name).then().statusCode(200).header("ETag", "\"2\"").body("type", equalTo("switch"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("type", "pdu"))
                .patch("/v1/entities/" + name).then().statusCode(412).contentType("application/problem+json");
        given().header("If-Match", "\"1\"").delete("/v1/entities/" + name).then().statusCode(412);
        given().get("/v1/entities/" + name).then().body("type", equalTo("switch"));
        given().header("If-Match", "\"2\"").delete("/v1/entities/" + name).then().statusCode(204);
        given().get("/v1/entities/" + name).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidInputIsA400NamingTheFieldAndNothingIsWritten() {
        String name = unique("bad");
        given().contentType(ContentType.JSON).body(Map.of("name", name, "type", "server", "attributes", List.of(attr("ok", 1), attr("9bad key", 2))))
                .post("/v1/entities").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("attributes[1].key"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Upper Case", "type", "server"))
                .post("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body(Map.of("name", name, "type", "server",
                        "attributes", List.of(Map.of("key", "when", "value", "yesterday", "type", "timestamp"))))
                .post("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("attributes[0].value"));
        given().contentType(ContentType.JSON).body("{\"name\": ").post("/v1/entities").then().statusCode(400);
        given().get("/v1/entities/" + name).then().statusCode(404);
        given().get("/v1/entities/" + name + "/history").then().statusCode(404);
    }

    @Test
    void attributesFollowClustoAddGetSetDel() {
        String name = unique("srv");
        created(name, "server");
        given().contentType(ContentType.JSON).body(attr("role", "web")).post("/v1/entities/" + name + "/attributes").then().statusCode(201);
        given().contentType(ContentType.JSON).body(attr("role", "db")).post("/v1/entities/" + name + "/attributes").then().statusCode(201);
        given().queryParam("key", "role").get("/v1/entities/" + name + "/attributes").then().statusCode(200)
                .body("value", contains("web", "db"));

        given().contentType(ContentType.JSON).body(Map.of("value", "cache")).put("/v1/entities/" + name + "/attributes/role")
                .then().statusCode(200).body("attributes.value", contains("cache"));
        given().contentType(ContentType.JSON).body(attr("role", "db")).post("/v1/entities/" + name + "/attributes").then().statusCode(201);
        given().queryParam("value", "cache").delete("/v1/entities/" + name + "/attributes/role").then().statusCode(200)
                .body("attributes.value", contains("db"));
        given().delete("/v1/entities/" + name + "/attributes/role").then().statusCode(200).body("attributes", hasSize(0));
        given().delete("/v1/entities/" + name + "/attributes/role").then().statusCode(404);
        given().get("/v1/entities/" + name).then().body("version", equalTo(7));
    }

    @Test
    void aReferenceAttributeNamesAnotherEntityWhichThenCannotBeDeleted() {
        String pdu = unique("pdu");
        String srv = unique("srv");
        created(pdu, "pdu");
        created(srv, "server", Map.of("key", "power", "value", pdu, "type", "reference"));
        given().get("/v1/entities/" + srv).then().body("attributes[0].value", equalTo(pdu)).body("attributes[0].type", equalTo("reference"));
        given().delete("/v1/entities/" + pdu).then().statusCode(409);
        create(unique("srv"), "server", Map.of("key", "power", "value", "no-such-pdu", "type", "reference")).statusCode(404);
    }

    @Test
    void aRackUnitCannotHoldTwoDevices() {
        String rack = unique("rack");
        String a = unique("srv");
        String b = unique("srv");
        String c = unique("srv");
        created(rack, "rack");
        created(a, "server");
        created(b, "server");
        created(c, "server");
        insert(rack, a, 13, 2).statusCode(201).body("parent", equalTo(rack));
        insert(rack, b, 14, 1).statusCode(409).contentType("application/problem+json").body("detail", containsString("unit"));
        insert(rack, b, 12, 2).statusCode(409);
        insert(rack, b, 15, 1).statusCode(201);
        insert(rack, c, 42, 2).statusCode(400).body("errors[0].field", equalTo("position.unit"));
        given().get("/v1/entities/" + c).then().body("parent", nullValue()).body("version", equalTo(1));
    }

    @Test
    void anEntityHasOneParentAndContainmentHasNoCycles() {
        String dc = unique("dc");
        String rack = unique("rack");
        String other = unique("rack");
        created(dc, "datacenter");
        created(rack, "rack");
        created(other, "rack");
        insert(dc, rack, null, null).statusCode(201);
        insert(other, rack, null, null).statusCode(409);
        insert(rack, dc, null, null).statusCode(409);
        given().delete("/v1/entities/" + dc).then().statusCode(409);
        given().delete("/v1/entities/" + dc + "/contents/" + rack).then().statusCode(204);
        insert(other, rack, null, null).statusCode(201);
    }

    @Test
    void aPortCannotBeInTwoConnections() {
        String srv = unique("srv");
        String sw = unique("sw");
        String sw2 = unique("sw");
        created(srv, "server");
        created(sw, "switch");
        created(sw2, "switch");
        connect(srv, "eth0", sw, "port4").statusCode(201);
        connect(srv, "eth0", sw2, "port1").statusCode(409).body("detail", containsString("port"));
        connect(sw2, "port1", sw, "port4").statusCode(409);
        connect(srv, "eth1", srv, "eth1").statusCode(400).body("errors[0].field", equalTo("b"));
        given().delete("/v1/connections/" + sw + "/port4").then().statusCode(204);
        connect(srv, "eth0", sw2, "port1").statusCode(201);
        given().delete("/v1/connections/" + sw + "/port4").then().statusCode(404);
    }

    @Test
    void locateGivesTheContainmentChainWithUnitsAndTheConnections() {
        String dc = unique("dc");
        String rack = unique("rack");
        String srv = unique("srv");
        String sw = unique("sw");
        created(dc, "datacenter");
        created(rack, "rack");
        created(srv, "server");
        created(sw, "switch");
        insert(dc, rack, null, null).statusCode(201);
        insert(rack, srv, 13, 2).statusCode(201);
        connect(srv, "eth0", sw, "port4").statusCode(201);

        given().get("/v1/entities/" + srv + "/location").then().statusCode(200)
                .body("chain.entity", contains(rack, dc))
                .body("chain[0].unit", equalTo(13)).body("chain[0].height", equalTo(2))
                .body("chain[1].unit", nullValue())
                .body("connections[0].port", equalTo("eth0")).body("connections[0].entity", equalTo(sw))
                .body("connections[0].remotePort", equalTo("port4"));
    }

    @Test
    void historyListsEveryMutationOldestFirstWithBeforeAndAfter() {
        String name = unique("srv");
        created(name, "server");
        given().contentType(ContentType.JSON).body(attr("role", "web")).post("/v1/entities/" + name + "/attributes").then().statusCode(201);
        given().delete("/v1/entities/" + name).then().statusCode(204);
        given().get("/v1/entities/" + name + "/history").then().statusCode(200)
                .body("op", contains("CREATED", "UPDATED", "DELETED"))
                .body("version", contains(1, 2, 3))
                .body("[0].before", nullValue())
                .body("[1].before.attributes", hasSize(0)).body("[1].after.attributes[0].value", equalTo("web"))
                .body("[2].after", nullValue());
    }

    @Test
    void exclusivePoolsDontShareMembers() {
        String srv = unique("srv");
        String gold = unique("gold");
        String silver = unique("silver");
        created(srv, "server");
        created(gold, "pool", attr("exclusive", true));
        created(silver, "pool", attr("exclusive", true));
        given().put("/v1/pools/" + gold + "/members/" + srv).then().statusCode(200).body("pools", contains(gold));
        given().put("/v1/pools/" + silver + "/members/" + srv).then().statusCode(409);
        given().put("/v1/pools/" + unique("plain") + "/members/" + srv).then().statusCode(200).body("pools", hasSize(2));
    }

    @Test
    void bulkCreationIsAllOrNothing() {
        String a = unique("bulk");
        String b = unique("bulk");
        given().contentType(ContentType.JSON).body(Map.of("entities", List.of(
                        Map.of("name", a, "type", "server", "attributes", List.of(attr("cores", 8), attr("role", "web"))),
                        Map.of("name", b, "type", "server", "attributes", List.of(Map.of("key", "peer", "value", a, "type", "reference"))))))
                .post("/v1/entities/bulk").then().statusCode(201).body("created", equalTo(2));
        given().get("/v1/entities/" + a).then().statusCode(200).body("attributes.value", contains(8, "web"));
        given().get("/v1/entities/" + b).then().statusCode(200).body("attributes[0].value", equalTo(a));
        given().get("/v1/entities/" + b + "/history").then().body("op", contains("CREATED"));

        String c = unique("bulk");
        given().contentType(ContentType.JSON).body(Map.of("entities", List.of(
                        Map.of("name", c, "type", "server"),
                        Map.of("name", a, "type", "server"))))
                .post("/v1/entities/bulk").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("entities", List.of(
                        Map.of("name", c, "type", "server"),
                        Map.of("name", "Bad", "type", "server"))))
                .post("/v1/entities/bulk").then().statusCode(400).body("errors[0].field", equalTo("entities[1].name"));
        given().get("/v1/entities/" + c).then().statusCode(404);
    }
}
