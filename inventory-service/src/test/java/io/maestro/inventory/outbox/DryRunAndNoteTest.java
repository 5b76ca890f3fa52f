package io.maestro.inventory.outbox;

import io.maestro.events.InventoryMutation;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** ?dryRun=true on a mutation answers the changes it would make and writes nothing; ?note= is kept with the change. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class DryRunAndNoteTest {

    @Test
    void aDryRunRunsEveryCheckAnswersTheChangesAndWritesNothing() {
        String server = unique("srv");
        given().contentType(ContentType.JSON).queryParam("dryRun", "true")
                .body(Map.of("name", server, "type", "server", "attributes", List.of(attr("cores", 8))))
                .post("/v1/entities").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("changes", hasSize(1))
                .body("changes[0].op", equalTo("CREATED")).body("changes[0].before", nullValue())
                .body("changes[0].after.name", equalTo(server)).body("changes[0].after.attributes[0].value", equalTo(8));
        given().get("/v1/entities/" + server).then().statusCode(404);
        given().get("/v1/entities/" + server + "/history").then().statusCode(404);

        created(server, "server", attr("cores", 8));
        given().contentType(ContentType.JSON).queryParam("dryRun", "true").body(Map.of("attributes", List.of(attr("cores", 16))))
                .patch("/v1/entities/" + server).then().statusCode(200)
                .body("changes[0].op", equalTo("UPDATED")).body("changes[0].version", equalTo(2))
                .body("changes[0].before.attributes[0].value", equalTo(8)).body("changes[0].after.attributes[0].value", equalTo(16));
        given().get("/v1/entities/" + server).then().statusCode(200).body("version", equalTo(1)).body("attributes[0].value", equalTo(8));

        String sw = unique("sw");
        created(sw, "switch");
        given().contentType(ContentType.JSON).queryParam("dryRun", "true")
                .body(Map.of("a", Map.of("entity", server, "port", "eth0"), "b", Map.of("entity", sw, "port", "ge-1")))
                .post("/v1/connections").then().statusCode(200)
                .body("changes.entityName", containsInAnyOrder(server, sw)).body("changes.op", contains("UPDATED", "UPDATED"));
        given().get("/v1/entities/" + server).then().body("connections", empty());

        given().queryParam("dryRun", "true").delete("/v1/entities/" + sw).then().statusCode(200)
                .body("changes[0].op", equalTo("DELETED")).body("changes[0].after", nullValue());
        given().get("/v1/entities/" + sw).then().statusCode(200);
        given().get("/v1/entities/" + server + "/history").then().statusCode(200).body("op", contains("CREATED"));

        // A dry run of a mistake is the same 4xx as the mistake; a malformed flag is a 400 naming it.
        given().contentType(ContentType.JSON).queryParam("dryRun", "true").body(Map.of("name", server, "type", "server"))
                .post("/v1/entities").then().statusCode(409);
        given().queryParam("dryRun", "maybe").delete("/v1/entities/" + sw).then().statusCode(400).body("errors[0].field", equalTo("dryRun"));
        given().get("/v1/entities/" + sw).then().statusCode(200);
    }

    @Test
    void aNoteIsKeptWithTheChangeInTheHistoryAndThePublishedMutation() {
        String server = unique("srv");
        String note = "racked for OPS-42, by the night shift";
        given().contentType(ContentType.JSON).queryParam("note", note).body(Map.of("name", server, "type", "server"))
                .post("/v1/entities").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("value", 32)).put("/v1/entities/" + server + "/attributes/cores").then().statusCode(200);
        given().get("/v1/entities/" + server + "/history").then().statusCode(200)
                .body("op", contains("CREATED", "UPDATED")).body("note", contains(note, null));

        List<InventoryMutation> published = ChangeStreamTest.readUntil(List.of(server), 2).get(server);
        assertThat(published).extracting(InventoryMutation::note).containsExactly(note, null);

        given().contentType(ContentType.JSON).queryParam("note", "x".repeat(1025)).body(Map.of("name", unique("srv"), "type", "server"))
                .post("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("note"));
        given().contentType(ContentType.JSON).queryParam("note", "  ").body(Map.of("name", unique("srv"), "type", "server"))
                .post("/v1/entities").then().statusCode(400).body("errors[0].field", equalTo("note"));
    }
}
