package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverRegistry;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.local.LocalSshDriver;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.maestro.provisioner.ApiCalls.exec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What exec answers is storable and speaks to the caller: no U+0000 for PostgreSQL to refuse, no Java class names. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ExecReportsTest {
    // A qualified class name (java.net.ConnectException) or a simple exception name (SshException).
    private static final String CLASS_NAME = "(?s).*(\\b([a-z_][a-z0-9_]*\\.)+[A-Z]\\w*|\\b[A-Z]\\w*(Exception|Error)\\b).*";

    @Inject
    DriverRegistry drivers;

    private static void launch(String cluster) {
        awaitCommand(commandIdOf(given().contentType(ContentType.JSON)
                .body(Map.of("name", cluster, "groups", List.of(Map.of("tag", "a", "count", 1)))).post("/v1/clusters")), "SUCCEEDED");
    }

    @Test
    void outputWithUPlus0000IsAnsweredWithTheReplacementCharacter() {
        launch("nul-output");
        JsonPath result = exec("nul-output", Map.of("command", "printf 'a\\000b'; printf 'c\\000' >&2"));
        assertThat(result.getInt("results[0].exitCode")).isZero();
        assertThat(result.getString("results[0].stdout")).isEqualTo("a\uFFFDb");
        assertThat(result.getString("results[0].stderr")).isEqualTo("c\uFFFD");
    }

    @Test
    void aNodeThatStoppedAnsweringSshIsReportedInWordsWithoutJavaClassNames() {
        launch("gone-node");
        String providerId = given().get("/v1/clusters/gone-node/nodes").then().statusCode(200).extract().path("[0].providerId");
        // The node's SSH server goes away behind the service's back (as a crashed machine would); it is still recorded running.
        drivers.require(LocalSshDriver.NAME, "driver").stop(new DriverContext("gone-node", "unused", null, null, Map.of()), "a", List.of(new NodeSlot(0, providerId)));

        JsonPath result = exec("gone-node", Map.of("command", "true", "timeoutSeconds", 10));
        assertThat(result.getString("results[0].exitCode")).isNull();
        String error = result.getString("results[0].error");
        assertThat(error).startsWith("ssh failed: ").doesNotMatch(CLASS_NAME);
    }
}
