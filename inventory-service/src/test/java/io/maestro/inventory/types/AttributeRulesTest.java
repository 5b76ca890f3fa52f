package io.maestro.inventory.types;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.maestro.inventory.Api.attr;
import static io.maestro.inventory.Api.create;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** A type's attribute rules (PUT /v1/types/{type} "attributes") hold on every write path, and a change of them names who breaks them. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class AttributeRulesTest {

    private static Map<String, Object> rules() {
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("memory", Map.of("type", "integer", "required", true, "min", 1, "max", 4096));
        rules.put("role", Map.of("choices", List.of("web", "db")));
        rules.put("serial", Map.of("type", "string", "pattern", "SN[0-9]{8}", "unique", true));
        return rules;
    }

    private static ValidatableResponse define(String type, Map<String, Object> attributes) {
        return given().contentType(ContentType.JSON).body(Map.of("attributes", attributes)).put("/v1/types/" + type).then();
    }

    @Test
    void everyWritePathKeepsTheRules_andEachRefusalNamesTheAttributeAndTheRule() {
        String type = unique("srvtype");
        define(type, rules()).statusCode(200).body("attributes.memory.required", equalTo(true))
                .body("attributes.serial.pattern", equalTo("SN[0-9]{8}")).body("violating", equalTo(0)).body("violations", hasSize(0));
        given().get("/v1/types/" + type).then().body("attributes.role.choices", contains("web", "db")).body("attributes.role.required", equalTo(null));

        String name = unique("s");
        create(name, type).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("attributes.memory")).body("errors[0].rule", equalTo(name + ": is required (type " + type + ")"));
        create(name, type, attr("memory", "lots")).statusCode(400).body("errors[0].rule", containsString("must be of type integer, not string"));
        create(name, type, attr("memory", 0)).statusCode(400).body("errors[0].rule", containsString("must be at least 1, not 0"));
        create(name, type, attr("memory", 64), attr("role", "cache")).statusCode(400).body("errors[0].rule", containsString("must be one of web, db, not 'cache'"));
        create(name, type, attr("memory", 64), attr("serial", "X1")).statusCode(400).body("errors[0].field", equalTo("attributes.serial"))
                .body("errors[0].rule", containsString("must match SN[0-9]{8}, not 'X1'"));
        given().get("/v1/entities/" + name).then().statusCode(404);

        created(name, type, attr("memory", 64), attr("role", "web"), attr("serial", "SN00000001"));
        String twin = unique("s");
        create(twin, type, attr("memory", 64), attr("serial", "SN00000001")).statusCode(409)
                .body("detail", containsString("value 'SN00000001' is taken by '" + name + "'"));
        // an entity of another type may hold the same value: unique is per type
        created(unique("other"), "server", attr("serial", "SN00000001"));

        given().contentType(ContentType.JSON).body(Map.of("value", 8192)).put("/v1/entities/" + name + "/attributes/memory").then()
                .statusCode(400).body("errors[0].rule", containsString("must be at most 4096, not 8192"));
        given().delete("/v1/entities/" + name + "/attributes/memory").then().statusCode(400).body("errors[0].rule", containsString("is required"));
        given().contentType(ContentType.JSON).body(Map.of("attributes", List.of(attr("memory", 128))))
                .patch("/v1/entities/" + name).then().statusCode(200);
        given().get("/v1/entities/" + name).then().body("version", equalTo(2)).body("attributes", hasSize(1));

        // allocation's assignment is a write like any other
        String pool = unique("pool");
        given().contentType(ContentType.JSON).body(Map.of("query", "name:" + name, "count", 1,
                        "assign", Map.of("pool", pool, "attributes", List.of(Map.of("key", "role", "value", "cache")))))
                .post("/v1/allocations").then().statusCode(400).body("errors[0].field", equalTo("attributes.role"));
        given().get("/v1/entities/" + name).then().body("version", equalTo(2)).body("pools", hasSize(0));
    }

    @Test
    void anImportRefusesTheRowsThatBreakTheRules_perRowWritesTheOthers_atomicNamesEachLine() {
        String type = unique("srvtype");
        define(type, rules()).statusCode(200);
        String p = unique("imp");
        String csv = "name,type,attr.memory:integer,attr.serial\n"
                + p + "-a," + type + ",64,SN00000002\n"
                + p + "-b," + type + ",,SN00000003\n"
                + p + "-c," + type + ",32,SN00000002\n"
                + p + "-d," + type + ",16,\n";
        given().contentType("text/csv").body(csv).post("/v1/import").then().statusCode(400)
                .body("errors.field", contains("line 2, attr.serial", "line 3, attr.memory", "line 4, attr.serial"))
                .body("errors[1].rule", equalTo("is required (type " + type + ")"));
        given().get("/v1/entities/" + p + "-d").then().statusCode(404);
        given().contentType("text/csv").body(csv).queryParam("mode", "per-row").post("/v1/import").then().statusCode(200)
                .body("rows.outcome", contains("refused", "refused", "refused", "created"))
                .body("rows[0].error", containsString("is taken by '" + p + "-c'"));
        given().get("/v1/entities/" + p + "-d").then().statusCode(200);
        given().get("/v1/entities/" + p + "-a").then().statusCode(404);
    }

    @Test
    void changingTheRulesNamesTheEntitiesThatBreakThemNow_andTheirNextChangeMustMendThem() {
        String type = unique("srvtype");
        String a = unique("s");
        String b = unique("s");
        created(a, type, attr("role", "web"));
        created(b, type, attr("role", "db"), attr("memory", 8));
        define(type, Map.of("role", Map.of("choices", List.of("db")), "memory", Map.of("required", true))).statusCode(200)
                .body("violating", equalTo(1))
                .body("violations.entity", contains(a, a)).body("violations.attribute", contains("memory", "role"))
                .body("violations.rule", contains("is required (type " + type + ")", "must be one of db, not 'web'"));
        given().contentType(ContentType.JSON).body(Map.of("key", "note", "value", "x")).post("/v1/entities/" + a + "/attributes").then().statusCode(400)
                .body("errors.field", contains("attributes.memory", "attributes.role"));
        given().contentType(ContentType.JSON).body(Map.of("attributes", List.of(attr("role", "db"), attr("memory", 4))))
                .patch("/v1/entities/" + a).then().statusCode(200);
        define(type, Map.of()).statusCode(200).body("violating", equalTo(0));
    }

    @Test
    void badRulesAreRefusedNamingTheRuleField() {
        String type = unique("srvtype");
        define(type, Map.of("serial", Map.of("pattern", "(["))).statusCode(400)
                .body("errors[0].field", equalTo("attributes.serial.pattern")).body("errors[0].rule", containsString("is not a regular expression"));
        define(type, Map.of("serial", Map.of("colour", "red"))).statusCode(400).body("errors[0].field", equalTo("attributes.serial.colour"));
        define(type, Map.of("serial", Map.of("type", "string", "min", 1))).statusCode(400).body("errors[0].field", equalTo("attributes.serial.min"));
        define(type, Map.of("memory", Map.of("min", 10, "max", 1))).statusCode(400).body("errors[0].field", equalTo("attributes.memory.max"));
        define(type, Map.of("memory", Map.of("type", "float"))).statusCode(400).body("errors[0].field", equalTo("attributes.memory.type"));
        define(type, Map.of("bad key", Map.of())).statusCode(400).body("errors[0].field", equalTo("attributes.bad key"));
        define(type, Map.of("role", Map.of("choices", List.of()))).statusCode(400).body("errors[0].field", equalTo("attributes.role.choices"));
        given().get("/v1/types/" + type).then().statusCode(404);
    }

    @Test
    void twoWritersOfOneUniqueValueAtOnce_oneWins() throws Exception {
        String type = unique("srvtype");
        define(type, Map.of("serial", Map.of("unique", true))).statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writers.add(() -> create(unique("s"), type, attr("serial", "SN-RACE")).extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(writers)) {
                statuses.add(status.get());
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
