package io.maestro.provisioner.driver.local;

import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.TestKeys;
import io.maestro.support.testing.TestDatabase;
import io.maestro.provisioner.service.NodeRevival;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.maestro.provisioner.ApiCalls.exec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class LocalNodesSurviveRestartTest {

    @Inject
    @Identifier(LocalSshDriver.NAME)
    LocalSshDriver driver;
    @Inject
    NodeRevival revival;
    final TestDatabase sql = new TestDatabase();

    private static void launch(String name, int count) {
        awaitCommand(commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "groups", List.of(Map.of("tag", "n", "count", count)))).post("/v1/clusters")), "SUCCEEDED");
    }

    @Test
    void nodesRecordedAsRunningComeBackWithTheSameHostKeysAfterARestart() {
        launch("phoenix", 2);
        List<Map<String, Object>> before = given().get("/v1/clusters/phoenix/nodes").then().extract().path("$");
        exec("phoenix", Map.of("command", "echo kept > note.txt"));

        driver.stopServers();
        assertThat(exec("phoenix", Map.of("command", "true")).getList("results.error", String.class))
                .allSatisfy(error -> assertThat(error).startsWith("ssh failed"));

        assertThat(revival.reviveAll()).isGreaterThanOrEqualTo(2);
        given().get("/v1/clusters/phoenix/nodes").then()
                .body("hostKey", equalTo(before.stream().map(n -> n.get("hostKey")).toList()))
                .body("port", equalTo(before.stream().map(n -> n.get("port")).toList()))
                .body("status", equalTo(List.of("running", "running")));
        assertThat(exec("phoenix", Map.of("command", "cat note.txt")).getList("results.stdout")).containsExactly("kept\n", "kept\n");
        awaitCommand(commandIdOf(given().delete("/v1/clusters/phoenix")), "SUCCEEDED");
    }

    @Test
    void aNodeThatPresentsAnotherHostKeyIsRefused() {
        launch("spoofed", 1);
        String otherKey = io.maestro.provisioner.ssh.SshKeys.format(TestKeys.userKeyPair().getPublic());
        sql.update("update node set host_key = $1 where cluster = 'spoofed'", otherKey);
        var result = exec("spoofed", Map.of("command", "echo should-not-run"));
        assertThat(result.getList("results.exitCode")).containsOnlyNulls();
        assertThat(result.getString("results[0].error")).startsWith("ssh failed");
        assertThat(result.getString("results[0].stdout")).isEmpty();
        awaitCommand(commandIdOf(given().delete("/v1/clusters/spoofed")), "SUCCEEDED");
    }
}
