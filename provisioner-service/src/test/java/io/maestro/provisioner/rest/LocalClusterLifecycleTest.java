package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.TestKeys;
import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.maestro.provisioner.ApiCalls.exec;
import io.maestro.provisioner.ssh.SshKeys;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class LocalClusterLifecycleTest {

    @Test
    void launchOnLocalDriverRunsEveryNodeAndTheWholeLifecycleWorksOverRealSsh() throws Exception {
        KeyPair user = TestKeys.userKeyPair();
        String launch = commandIdOf(given().contentType(ContentType.JSON).body(Map.of(
                "name", "lab",
                "groups", List.of(Map.of("tag", "master", "count", 1, "driver", "local"), Map.of("tag", "worker", "count", 2)),
                "sshPublicKey", TestKeys.publicLine(user))).post("/v1/clusters"));
        awaitCommand(launch, "SUCCEEDED");

        given().get("/v1/commands/" + launch).then()
                .body("type", equalTo("LAUNCH"))
                .body("nodes", hasSize(3))
                .body("nodes.event", equalTo(List.of("NODE_RUNNING", "NODE_RUNNING", "NODE_RUNNING")));
        List<Map<String, Object>> nodes = given().get("/v1/clusters/lab/nodes").then().statusCode(200)
                .body("status", equalTo(List.of("running", "running", "running")))
                .body("tag", equalTo(List.of("master", "worker", "worker")))
                .body("index", equalTo(List.of(0, 0, 1)))
                .extract().path("$");
        List<String> hostKeys = nodes.stream().map(n -> (String) n.get("hostKey")).toList();
        assertThat(new HashSet<>(hostKeys)).hasSize(3);
        given().get("/v1/clusters/lab/nodes?tag=worker").then().body("index", equalTo(List.of(0, 1)));
        given().get("/v1/clusters").then().statusCode(200).body("name", org.hamcrest.Matchers.hasItem("lab"));
        given().get("/v1/clusters/lab").then().statusCode(200)
                .body("groups.tag", equalTo(List.of("master", "worker")))
                .body("groups.count", equalTo(List.of(1, 2)))
                .body("groups.driver", equalTo(List.of("local", "local")));

        JsonPath all = exec("lab", Map.of("command", "echo $HOME; uname -s"));
        assertThat(all.getList("results.exitCode")).containsExactly(0, 0, 0);
        List<String> outputs = all.getList("results.stdout");
        assertThat(outputs).allSatisfy(out -> assertThat(out).endsWith("home\nLinux\n"));
        assertThat(new HashSet<>(outputs)).as("each node has its own HOME").hasSize(3);

        JsonPath one = exec("lab", Map.of("tag", "worker", "index", 1, "command", "echo $HOME; uname -s; echo oops >&2; exit 3"));
        assertThat(one.getList("results.tag")).containsExactly("worker");
        assertThat(one.getList("results.index")).containsExactly(1);
        assertThat(one.getList("results.exitCode")).containsExactly(3);
        assertThat(one.getList("results.stderr")).containsExactly("oops\n");
        assertThat(one.getString("results[0].stdout")).contains("worker-1");

        JsonPath slow = exec("lab", Map.of("tag", "master", "command", "echo started; sleep 30", "timeoutSeconds", 1));
        assertThat(slow.getList("results.timedOut")).containsExactly(true);
        assertThat(slow.getList("results.exitCode")).containsOnlyNulls();
        assertThat(slow.getString("results[0].error")).contains("timed out");
        // The same exec sent twice at once (a client retrying): it runs once, and both calls answer with its results.
        Map<String, Object> retried = Map.of("tag", "master", "command", "sleep 1; echo $$", "commandId", "exec-retried-" + System.nanoTime());
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> exec("lab", retried));
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> exec("lab", retried));
        List<String> firstOut = first.get(30, java.util.concurrent.TimeUnit.SECONDS).getList("results.stdout");
        assertThat(firstOut).hasSize(1);
        assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).getList("results.stdout", String.class)).isEqualTo(firstOut);
        given().contentType(ContentType.JSON).body(Map.of("command", "true", "timeoutSeconds", 0)).post("/v1/clusters/lab/exec")
                .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("timeoutSeconds"));

        // The user logs in with the private key matching sshPublicKey, checking the node's host key.
        Map<String, Object> login = given().get("/v1/clusters/lab/nodes/master/0/login").then().statusCode(200)
                .body("command", startsWith("ssh -p ")).extract().path("$");
        assertThat(runAsUser(user, login, "pwd")).endsWith("master-0/home\n");

        awaitCommand(commandIdOf(given().post("/v1/clusters/lab/stop")), "SUCCEEDED");
        given().get("/v1/clusters/lab/nodes").then().body("status", equalTo(List.of("stopped", "stopped", "stopped")));
        assertThat(exec("lab", Map.of("command", "true")).getList("results.error")).containsOnly("node is stopped");

        awaitCommand(commandIdOf(given().post("/v1/clusters/lab/start")), "SUCCEEDED");
        given().get("/v1/clusters/lab/nodes").then()
                .body("status", equalTo(List.of("running", "running", "running")))
                .body("hostKey", equalTo(hostKeys));
        assertThat(exec("lab", Map.of("command", "uname -s")).getList("results.exitCode")).containsExactly(0, 0, 0);

        awaitCommand(commandIdOf(given().contentType(ContentType.JSON).body(Map.of("count", 3))
                .put("/v1/clusters/lab/groups/worker/count")), "SUCCEEDED");
        given().get("/v1/clusters/lab/nodes?tag=worker").then()
                .body("index", equalTo(List.of(0, 1, 2)))
                .body("status", equalTo(List.of("running", "running", "running")));
        assertThat(exec("lab", Map.of("tag", "worker", "command", "uname -s")).getList("results.stdout")).containsOnly("Linux\n");

        awaitCommand(commandIdOf(given().contentType(ContentType.JSON).body(Map.of("count", 1))
                .put("/v1/clusters/lab/groups/worker/count")), "SUCCEEDED");
        given().get("/v1/clusters/lab/nodes?tag=worker").then().body("index", equalTo(List.of(0)));

        awaitCommand(commandIdOf(given().delete("/v1/clusters/lab")), "SUCCEEDED");
        given().get("/v1/clusters/lab").then().statusCode(404).contentType("application/problem+json");
    }

    private static String runAsUser(KeyPair user, Map<String, Object> login, String command) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            var expected = SshKeys.parse((String) login.get("hostKey"));
            client.setServerKeyVerifier((session, remote, key) -> SshKeys.same(expected, key));
            client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(user));
            client.start();
            try (ClientSession session = client.connect((String) login.get("username"), (String) login.get("host"), (Integer) login.get("port"))
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.auth().verify(Duration.ofSeconds(10));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                session.executeRemoteCommand(command, out, System.err, StandardCharsets.UTF_8);
                return out.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
