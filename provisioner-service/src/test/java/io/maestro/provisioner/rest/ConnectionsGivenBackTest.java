package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.maestro.provisioner.ApiCalls.exec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request gives its database connection back to the pool. Each exec used to keep one for good (the request's
 * session was closed from another Vert.x context, i.e. not at all), so a replica stopped working after as many
 * execs as its pool has connections.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ConnectionsGivenBackTest {
    /** quarkus.datasource.reactive.max-size (its default). */
    private static final int POOL_SIZE = 20;
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final TestDatabase database = new TestDatabase();

    @Test
    void execsCommandsAndRefusalsLeaveThePoolAsTheyFoundIt() {
        awaitCommand(commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", "pool-kept", "groups", List.of(Map.of("tag", "a", "count", 2)))).post("/v1/clusters")), "SUCCEEDED");
        int before = database.connectionsAvailable(POOL_SIZE, WAIT);
        assertThat(before).as("connections free before").isPositive();

        for (int i = 0; i < 3; i++) {
            assertThat(exec("pool-kept", Map.of("command", "true")).getList("results")).hasSize(2);
            assertThat(exec("pool-kept", Map.of("tag", "a", "index", 1, "command", "exit 3")).getInt("results[0].exitCode")).isEqualTo(3);
        }
        String dryRun = commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", "pool-dry", "dryRun", true, "groups", List.of(Map.of("tag", "a", "count", 1)))).post("/v1/clusters"));
        given().accept("text/event-stream").get("/v1/commands/" + dryRun + "/events").then().statusCode(200);
        given().get("/v1/commands/" + dryRun).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("name", "pool-bad", "groups",
                List.of(Map.of("tag", "a", "count", 1, "options", Map.of("size", "large"))))).post("/v1/clusters").then().statusCode(400);
        given().get("/v1/clusters/pool-missing/nodes").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("command", "true")).post("/v1/clusters/pool-missing/exec").then().statusCode(404);

        assertThat(database.connectionsAvailable(POOL_SIZE, WAIT)).as("connections free after 6 execs, a followed dry run and refusals")
                .isEqualTo(before);
        awaitCommand(commandIdOf(given().delete("/v1/clusters/pool-kept")), "SUCCEEDED");
    }
}
