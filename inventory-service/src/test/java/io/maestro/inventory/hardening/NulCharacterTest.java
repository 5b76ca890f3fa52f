package io.maestro.inventory.hardening;

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
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** PostgreSQL cannot store U+0000: every way it can arrive is a 400 naming the field, and nothing is written. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class NulCharacterTest {
    private static final String NUL = "a\u0000b";

    @Test
    void anAttributeValueWithNulIsA400AndTheEntityIsNotCreated() {
        String name = unique("nul");
        given().contentType(ContentType.JSON).body(Map.of("name", name, "type", "server", "attributes", List.of(attr("ok", 1), attr("note", NUL))))
                .post("/v1/entities").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("attributes[1].value"));
        given().get("/v1/entities/" + name).then().statusCode(404);
    }

    @Test
    void settingAnAttributeToAValueWithNulIsA400AndTheEntityIsUnchanged() {
        String name = unique("nul");
        created(name, "server", attr("note", "fine"));
        given().contentType(ContentType.JSON).body(Map.of("value", NUL)).put("/v1/entities/" + name + "/attributes/note")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("value"));
        given().get("/v1/entities/" + name).then().body("version", equalTo(1)).body("attributes[0].value", equalTo("fine"));
    }

    @Test
    void deletingAttributeValuesEqualToATextWithNulIsA400() {
        String name = unique("nul");
        created(name, "server", attr("note", "fine"));
        given().urlEncodingEnabled(false).delete("/v1/entities/" + name + "/attributes/note?value=a%00b")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("value"));
        given().get("/v1/entities/" + name).then().body("version", equalTo(1)).body("attributes.size()", equalTo(1));
    }

    @Test
    void anAllocationWithNulInItsIdempotencyKeyOrAssignedValueIsA400AndAllocatesNothing() {
        String server = unique("nul-srv");
        String pool = unique("nul-pool");
        created(server, "server");
        given().contentType(ContentType.JSON).body(Map.of("query", "name:" + server, "count", 1, "idempotencyKey", NUL,
                        "assign", Map.of("pool", pool)))
                .post("/v1/allocations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("idempotencyKey"));
        given().contentType(ContentType.JSON).body(Map.of("query", "name:" + server, "count", 1,
                        "assign", Map.of("pool", pool, "attributes", List.of(attr("note", NUL)))))
                .post("/v1/allocations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("assign.attributes[0].value"));
        given().get("/v1/entities/" + server).then().body("version", equalTo(1)).body("pools.size()", equalTo(0));
    }

    @Test
    void nulInsideAQuotedExpressionValueOrACursorIsA400() {
        given().contentType(ContentType.JSON).body(Map.of("query", "attr:note=\"" + NUL + "\"", "count", 1)).post("/v1/allocations")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("query"));
        // "AGI" is base64url of the bytes 00 62: a cursor that decodes to a name starting with U+0000
        given().queryParam("cursor", "AGI").get("/v1/entities").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
    }
}
