package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** A commandId follows [A-Za-z0-9][A-Za-z0-9._:-]{0,127} on every path; a request breaking it stores and runs nothing. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class CommandIdRuleTest {
    /** Ids that broke the Location header (space, slash), are too long, or that PostgreSQL refuses (U+0000). */
    private static final List<String> MALFORMED = List.of("with spaces", "a/b", "x".repeat(200), "nul\u0000byte");

    final TestDatabase sql = new TestDatabase();

    private long commandRowsOf(String cluster) {
        return sql.query("select count(*) as n from command where cluster = $1", cluster).get(0).getLong("n");
    }

    private static void namesTheCommandIdRule(ValidatableResponse response) {
        response.statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("commandId"))
                .body("errors.field", hasItem("commandId"));
    }

    @Test
    void aLaunchWithAMalformedCommandIdIsA400AndNoClusterOrCommandIsStored() {
        for (int i = 0; i < MALFORMED.size(); i++) {
            String cluster = "bad-launch-id-" + i;
            namesTheCommandIdRule(given().contentType(ContentType.JSON)
                    .body(Map.of("name", cluster, "groups", List.of(Map.of("tag", "a", "count", 1)), "commandId", MALFORMED.get(i)))
                    .post("/v1/clusters").then());

            given().get("/v1/clusters/" + cluster).then().statusCode(404);
            assertThat(commandRowsOf(cluster)).as("command rows of %s", cluster).isZero();
        }
    }

    @Test
    void theRuleIsDocumentedInTheProblem() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad-launch-id-rule", "groups", List.of(Map.of("tag", "a", "count", 1)), "commandId", "with spaces"))
                .post("/v1/clusters").then().statusCode(400)
                .body("errors[0].rule", containsString("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"));
    }

    @Test
    void everyOperationTakingACommandIdRejectsAMalformedOneAndChangesNothing() {
        String cluster = "bad-ids-ops";
        awaitCommand(commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", cluster, "groups", List.of(Map.of("tag", "a", "count", 1)))).post("/v1/clusters")), "SUCCEEDED");

        for (String bad : MALFORMED) {
            // U+0000 in a query string may be refused by the shared request filter first: a 400 either way.
            boolean inQueryMayBeFiltered = bad.contains("\u0000");
            for (String call : List.of("DELETE /v1/clusters/" + cluster, "POST /v1/clusters/" + cluster + "/stop",
                    "POST /v1/clusters/" + cluster + "/start")) {
                String[] verbAndPath = call.split(" ");
                ValidatableResponse response = given().queryParam("commandId", bad).request(verbAndPath[0], verbAndPath[1]).then();
                if (inQueryMayBeFiltered) {
                    response.statusCode(400).contentType("application/problem+json");
                } else {
                    namesTheCommandIdRule(response);
                }
            }
            namesTheCommandIdRule(given().contentType(ContentType.JSON).body(Map.of("count", 2, "commandId", bad))
                    .put("/v1/clusters/" + cluster + "/groups/a/count").then());
            namesTheCommandIdRule(given().contentType(ContentType.JSON).body(Map.of("command", "touch ran", "commandId", bad))
                    .post("/v1/clusters/" + cluster + "/exec").then());
        }

        assertThat(commandRowsOf(cluster)).as("only the launch was stored").isEqualTo(1);
        given().get("/v1/clusters/" + cluster + "/nodes").then().statusCode(200)
                .body("status", equalTo(List.of("running")));
        given().contentType(ContentType.JSON).body(Map.of("command", "test -e ran && echo ran || echo never"))
                .post("/v1/clusters/" + cluster + "/exec").then().statusCode(200)
                .body("results[0].stdout", equalTo("never\n"));
    }

    @Test
    void aUuidOrAColonSeparatedIdIsAcceptedAndTheLocationNamesIt() {
        for (String id : List.of(UUID.randomUUID().toString(), "ci:build-17.step_2")) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "good-ids", "groups", List.of(Map.of("tag", "a", "count", 1)),
                    "dryRun", true, "commandId", id));
            String accepted = commandIdOf(given().contentType(ContentType.JSON).body(body).post("/v1/clusters"));
            assertThat(accepted).isEqualTo(id);
            awaitCommand(id, "SUCCEEDED");
        }
    }

    @Test
    void aWellFormedUnknownCommandIdIs404AndAMalformedOneIs400() {
        given().get("/v1/commands/never-issued-1").then().statusCode(404).contentType("application/problem+json");
        namesTheCommandIdRule(given().get("/v1/commands/" + "y".repeat(200)).then());
        namesTheCommandIdRule(given().get("/v1/commands/with%20space").then());
        namesTheCommandIdRule(given().get("/v1/commands/with%20space/events").then());
    }
}
