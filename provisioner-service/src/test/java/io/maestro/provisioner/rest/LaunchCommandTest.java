package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class LaunchCommandTest {

    @Test
    void aDryRunChecksEverythingAndCreatesNothing() {
        String id = commandIdOf(given().contentType(ContentType.JSON).body(Map.of(
                "name", "dry", "dryRun", true, "groups", List.of(Map.of("tag", "a", "count", 2)))).post("/v1/clusters"));
        awaitCommand(id, "SUCCEEDED");
        given().get("/v1/commands/" + id).then().body("message", containsString("nothing was created")).body("nodes", hasSize(0));
        given().get("/v1/clusters/dry").then().statusCode(404);
        Path dataDir = Path.of(ConfigProvider.getConfig().getValue("provisioner.data-dir", String.class));
        assertThat(Files.exists(dataDir.resolve("local").resolve("dry"))).isFalse();
    }

    @Test
    void theSameCommandIdTwiceLaunchesOnceAndAnswersTheEarlierCommand() {
        Map<String, Object> body = Map.of("name", "twice", "commandId", "launch-twice-1", "groups", List.of(Map.of("tag", "a", "count", 1)));
        String first = commandIdOf(given().contentType(ContentType.JSON).body(body).post("/v1/clusters"));
        String second = commandIdOf(given().contentType(ContentType.JSON).body(body).post("/v1/clusters"));
        assertThat(second).isEqualTo(first).isEqualTo("launch-twice-1");
        awaitCommand(first, "SUCCEEDED");
        given().get("/v1/clusters/twice/nodes").then().body("index", equalTo(List.of(0)));
        String again = commandIdOf(given().contentType(ContentType.JSON).body(body).post("/v1/clusters"));
        given().get("/v1/commands/" + again).then().body("status", equalTo("SUCCEEDED"));

        // A new command for an existing cluster fails with a reason rather than touching it.
        String other = commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", "twice", "groups", List.of(Map.of("tag", "b", "count", 1)))).post("/v1/clusters"));
        awaitCommand(other, "FAILED");
        given().get("/v1/commands/" + other).then().body("message", containsString("exists already"));
        awaitCommand(commandIdOf(given().delete("/v1/clusters/twice")), "SUCCEEDED");
    }

    @Test
    void commandEventsStreamAsServerSentEventsInOrder() {
        String id = commandIdOf(given().contentType(ContentType.JSON).body(Map.of(
                "name", "streamed", "groups", List.of(Map.of("tag", "solo", "count", 1)))).post("/v1/clusters"));
        String stream = given().accept("text/event-stream").get("/v1/commands/" + id + "/events").then()
                .statusCode(200).extract().asString();
        List<String> types = Arrays.stream(stream.split("\n"))
                .filter(line -> line.startsWith("data:"))
                .map(line -> io.restassured.path.json.JsonPath.from(line.substring(5)).getString("type"))
                .toList();
        assertThat(types).containsExactly("ACCEPTED", "NODE_PENDING", "NODE_RUNNING", "SUCCEEDED");
        assertThat(stream).contains("\"commandId\":\"" + id + "\"");
        awaitCommand(commandIdOf(given().delete("/v1/clusters/streamed")), "SUCCEEDED");
    }
}
