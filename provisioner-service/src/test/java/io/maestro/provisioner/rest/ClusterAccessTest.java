package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Scopes narrowed to cluster names on the real service: a token for {@code staging-*} runs commands on staging-1 and
 * is refused on prod-1 (and nothing runs there); a launch token for {@code staging-*} cannot launch prod. Whoever
 * acts is recorded as the command's actor.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ClusterAccessTest {
    final TestDatabase sql = new TestDatabase();

    private static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token));
    }

    private static boolean launched;

    /** Once, by the admin (REST Assured's port is only set for each test). */
    @BeforeEach
    void launchStagingAndProd() {
        if (!launched) {
            for (String cluster : List.of("staging-1", "prod-1")) {
                awaitCommand(commandIdOf(given().contentType(ContentType.JSON)
                        .body(Map.of("name", cluster, "groups", List.of(Map.of("tag", "n", "count", 1)))).post("/v1/clusters")), "SUCCEEDED");
            }
            launched = true;
        }
    }

    private long commands(String cluster, String type) {
        return sql.query("select count(*) as n from command where cluster = $1 and type = $2", cluster, type).get(0).getLong("n");
    }

    @Test
    void anExecTokenForStagingRunsOnStagingAndIsRefusedOnProdWhereNothingRuns() throws Exception {
        String staging = Tokens.of("staging-operator", "provisioner:exec:staging-*");
        Path marks = Files.createTempDirectory("exec-marks");
        String command = "echo ran > " + marks + "/$(basename $PWD)-$RANDOM; echo ran";

        String id = as(staging).contentType(ContentType.JSON).body(Map.of("command", command)).post("/v1/clusters/staging-1/exec")
                .then().statusCode(200).body("results.stdout", equalTo(List.of("ran\n"))).extract().path("commandId");
        given().get("/v1/commands/" + id).then().body("actor", equalTo("staging-operator")).body("cluster", equalTo("staging-1"));
        try (var files = Files.list(marks)) {
            assertThat(files).hasSize(1);
        }

        long before = commands("prod-1", "EXEC");
        as(staging).contentType(ContentType.JSON).body(Map.of("command", command)).post("/v1/clusters/prod-1/exec")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("missing scope provisioner:exec on cluster 'prod-1'"))
                .header("WWW-Authenticate", containsString("insufficient_scope"));
        assertThat(commands("prod-1", "EXEC")).isEqualTo(before);
        try (var files = Files.list(marks)) {
            assertThat(files).as("nothing ran on prod-1").hasSize(1);
        }

        // Login details are exec's too: for staging, not for prod.
        as(staging).get("/v1/clusters/staging-1/nodes/n/0/login").then().statusCode(200);
        as(staging).get("/v1/clusters/prod-1/nodes/n/0/login").then().statusCode(403);
        // Exec does not imply reading, launching or destroying.
        as(staging).get("/v1/clusters/staging-1").then().statusCode(403).body("detail", containsString("provisioner:read"));
        as(staging).post("/v1/clusters/staging-1/stop").then().statusCode(403);
        as(staging).delete("/v1/clusters/staging-1").then().statusCode(403);
        given().get("/v1/clusters/staging-1/nodes").then().body("status", equalTo(List.of("running")));
    }

    @Test
    void aLaunchTokenForStagingCannotLaunchProdAndLaunchesStagingAsItsSubject() {
        String staging = Tokens.of("staging-launcher", "provisioner:launch:staging-*");
        as(staging).contentType(ContentType.JSON)
                .body(Map.of("name", "prod", "commandId", "launch-prod-narrowed", "groups", List.of(Map.of("tag", "n", "count", 1))))
                .post("/v1/clusters").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("missing scope provisioner:launch on cluster 'prod'"));
        assertThat(commands("prod", "LAUNCH")).isZero();
        assertThat(sql.query("select count(*) as n from command where id = 'launch-prod-narrowed'").get(0).getLong("n")).isZero();
        given().get("/v1/clusters/prod").then().statusCode(404);

        String id = commandIdOf(as(staging).contentType(ContentType.JSON)
                .body(Map.of("name", "staging-dry", "dryRun", true, "groups", List.of(Map.of("tag", "n", "count", 1)))).post("/v1/clusters"));
        awaitCommand(id, "SUCCEEDED");
        given().get("/v1/commands/" + id).then().body("actor", equalTo("staging-launcher"));

        // Scale, stop and start are launch's; on staging-1 only.
        as(staging).contentType(ContentType.JSON).body(Map.of("count", 2)).put("/v1/clusters/prod-1/groups/n/count").then().statusCode(403);
        as(staging).post("/v1/clusters/prod-1/stop").then().statusCode(403);
        as(staging).post("/v1/clusters/prod-1/start").then().statusCode(403);
        assertThat(commands("prod-1", "SCALE") + commands("prod-1", "STOP") + commands("prod-1", "START")).isZero();
    }

    @Test
    void aReadTokenNarrowedToStagingReadsStagingButNotTheListNorCommandsByIdNorProd() {
        String staging = Tokens.of("staging-viewer", "provisioner:read:staging-*");
        as(staging).get("/v1/clusters/staging-1").then().statusCode(200).body("name", equalTo("staging-1"));
        as(staging).get("/v1/clusters/staging-1/nodes").then().statusCode(200);
        as(staging).get("/v1/clusters/prod-1").then().statusCode(403);
        as(staging).get("/v1/clusters/prod-1/nodes").then().statusCode(403);
        // Operations over every cluster, or addressing no one cluster by name, need the scope un-narrowed.
        as(staging).get("/v1/clusters").then().statusCode(403);
        String launchId = given().get("/v1/clusters/staging-1").then().extract().path("launchCommandId");
        as(staging).get("/v1/commands/" + launchId).then().statusCode(403);
        as(staging).accept("text/event-stream").get("/v1/commands/" + launchId + "/events").then().statusCode(403);

        String reader = Tokens.of("viewer", "provisioner:read");
        as(reader).get("/v1/clusters").then().statusCode(200);
        as(reader).get("/v1/commands/" + launchId).then().statusCode(200).body("actor", equalTo("test-admin"));
        as(reader).contentType(ContentType.JSON).body(Map.of("command", "true")).post("/v1/clusters/staging-1/exec").then().statusCode(403);
    }
}
