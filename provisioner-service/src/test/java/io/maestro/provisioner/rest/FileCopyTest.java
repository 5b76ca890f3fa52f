package io.maestro.provisioner.rest;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.startsWith;

/** {@code PUT /v1/clusters/{name}/files}: flintrock's copy-file, through the service's SSH identity. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class FileCopyTest {
    @TestHTTPResource("/")
    URI service;

    @Test
    void aFileReachesEveryNodeByteForByteWithItsModeAndOnlyTheNodesAsked() throws Exception {
        Tinycloud cloud = Tinycloud.builder(service, "copied").token(Tokens.admin()).group("worker", 3, Driver.local()).build();
        assertThat(cloud.launch().succeeded()).isTrue();

        byte[] binary = new byte[100_000];
        new Random(7).nextBytes(binary);
        List<ExecResult> written = cloud.copy(null, null, binary, "conf/blob.bin", "600", null);
        assertThat(written).hasSize(3).allSatisfy(result -> assertThat(result.exitCode()).as(result.stderr()).isZero());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));
        assertThat(cloud.execute("sha256sum conf/blob.bin | cut -c1-64; stat -c %a conf/blob.bin"))
                .allSatisfy(result -> assertThat(result.stdout()).isEqualTo(sha + "\n600\n"));

        // A name that a shell would run is written as a name, quotes and all.
        String marker = "/tmp/maestro-copy-" + UUID.randomUUID();
        String hostile = "it's $(touch " + marker + ") here.txt";
        assertThat(cloud.copy("worker", 1, "hello\n".getBytes(StandardCharsets.UTF_8), hostile, null, 1))
                .singleElement().satisfies(result -> assertThat(result.exitCode()).isZero());
        assertThat(Files.exists(Path.of(marker))).isFalse();
        List<ExecResult> read = cloud.execute("cat \"it's \\$(touch " + marker + ") here.txt\" 2>/dev/null || echo absent");
        assertThat(read).extracting(ExecResult::stdout).containsExactly("absent\n", "hello\n", "absent\n");

        assertThatThrownBy(() -> cloud.copy("nope", null, new byte[1], "x", null, null))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void aPathModeOrSizeBreakingItsRuleIsRefusedNamingIt() {
        Tinycloud cloud = Tinycloud.builder(service, "copy-rules").token(Tokens.admin()).group("worker", 1, Driver.local()).build();
        assertThat(cloud.launch().succeeded()).isTrue();
        String at = "/v1/clusters/copy-rules/files";
        given().contentType("application/octet-stream").body(new byte[1]).queryParam("path", "a\nb").put(at)
                .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("path"));
        given().contentType("application/octet-stream").body(new byte[1]).queryParam("path", "dir/").put(at)
                .then().statusCode(400).body("detail", startsWith("path"));
        given().contentType("application/octet-stream").body(new byte[1]).put(at).then().statusCode(400).body("detail", startsWith("path"));
        given().contentType("application/octet-stream").body(new byte[1]).queryParam("path", "x").queryParam("mode", "999").put(at)
                .then().statusCode(400).body("detail", startsWith("mode"));
        given().contentType("application/octet-stream").body(new byte[1]).queryParam("path", "x").queryParam("index", 0).put(at)
                .then().statusCode(400).body("detail", startsWith("index"));
        given().contentType("application/octet-stream").body(new byte[8 * 1024 * 1024 + 1]).queryParam("path", "x").put(at)
                .then().statusCode(413).contentType("application/problem+json");
        given().contentType("application/octet-stream").body(new byte[1]).queryParam("path", "x").put("/v1/clusters/no-such/files")
                .then().statusCode(404);
        assertThat(cloud.execute("ls x 2>/dev/null || echo none")).extracting(ExecResult::stdout).containsExactly("none\n");
        assertThat(cloud.destroy().succeeded()).isTrue();
    }
}
