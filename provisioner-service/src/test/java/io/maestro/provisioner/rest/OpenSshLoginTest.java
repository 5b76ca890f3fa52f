package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The login answer works with OpenSSH itself: an ssh-keygen Ed25519 key, strict host key checking. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class OpenSshLoginTest {

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }

    @Test
    void aUserLogsInWithOpenSshUsingTheLoginAnswerAndStrictHostKeyChecking() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
                "needs the OpenSSH client (apt-get install openssh-client)");
        Path dir = Files.createTempDirectory("openssh-login");
        Path key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "user@laptop", "-f", key.toString()));

        awaitCommand(commandIdOf(given().contentType(ContentType.JSON).body(Map.of("name", "openssh",
                "groups", List.of(Map.of("tag", "box", "count", 1)),
                "sshPublicKey", Files.readString(dir.resolve("id_ed25519.pub")).trim())).post("/v1/clusters")), "SUCCEEDED");
        Map<String, Object> login = given().get("/v1/clusters/openssh/nodes/box/0/login").then().statusCode(200).extract().path("$");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, login.get("knownHosts") + "\n");

        String output = run(List.of("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-p", String.valueOf(login.get("port")), login.get("username") + "@" + login.get("host"), "echo $HOME | tail -c 12; uname -s"));
        assertThat(output).contains("box-0/home").contains("Linux");
        awaitCommand(commandIdOf(given().delete("/v1/clusters/openssh")), "SUCCEEDED");
    }
}
