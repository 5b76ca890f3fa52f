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
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.startsWith;

/** {@code POST /v1/clusters/{name}/exec/stream}: each node's result as it answers, on at most {@code forks} nodes at once. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ExecStreamTest {
    @TestHTTPResource("/")
    URI service;

    private Tinycloud cluster(String name, int nodes) {
        Tinycloud cloud = Tinycloud.builder(service, name).token(Tokens.admin()).group("worker", nodes, Driver.local()).build();
        assertThat(cloud.launch().succeeded()).isTrue();
        return cloud;
    }

    @Test
    void eachNodesResultArrivesAsThatNodeAnswersNotWhenTheLastOneDoes() {
        Tinycloud cloud = cluster("streamed", 6);
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<ExecResult> results = cloud.execute(null, null, "case $HOME in */worker-0/home) sleep 3;; esac; echo answered", Duration.ofSeconds(30),
                null, result -> arrived.put(result.tag() + "-" + result.index(), (System.nanoTime() - start) / 1_000_000));

        assertThat(results).extracting(ExecResult::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(results).allSatisfy(result -> assertThat(result.stdout()).isEqualTo("answered\n"));
        long slowest = arrived.get("worker-0");
        assertThat(arrived).hasSize(6);
        arrived.forEach((node, millis) -> {
            if (!node.equals("worker-0")) {
                assertThat(millis).as("%s arrived before the slow node's 3 s were up", node).isLessThan(slowest - 2_000);
            }
        });
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void forksBoundsHowManyNodesRunTheCommandAtOnce() {
        Tinycloud cloud = cluster("forked", 6);
        // Each node counts the runs under way when it starts, through a directory every local node can see.
        String running = "/tmp/maestro-forks-" + UUID.randomUUID();
        String command = "mkdir -p " + running + "; touch " + running + "/$$; ls " + running + " | wc -l; sleep 0.6; rm " + running + "/$$";

        long start = System.nanoTime();
        List<ExecResult> two = cloud.execute(null, null, command, Duration.ofSeconds(30), 2, result -> { });
        long twoMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(two).hasSize(6).allSatisfy(result -> assertThat(Integer.parseInt(result.stdout().strip())).isBetween(1, 2));
        assertThat(twoMillis).as("three rounds of two nodes, 0.6 s each").isGreaterThanOrEqualTo(1_800);

        List<ExecResult> all = cloud.execute(null, null, command, Duration.ofSeconds(30), 6, result -> { });
        assertThat(all.stream().mapToInt(result -> Integer.parseInt(result.stdout().strip())).max().orElseThrow())
                .as("with six forks, more than two nodes ran at once").isGreaterThan(2);

        for (int forks : new int[] {0, 257}) {
            given().contentType(ContentType.JSON).body(Map.of("command", "true", "forks", forks)).post("/v1/clusters/forked/exec")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("forks: between 1 and 256"));
        }
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void aCommandThatFailsAsAWholeOrAClusterThatDoesNotExistIsAnErrorNotAnEmptyStream() {
        Tinycloud cloud = cluster("stream-errors", 1);
        assertThatThrownBy(() -> cloud.execute("nope", null, "true", Duration.ofSeconds(10), null, result -> { }))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.detail()).contains("no node of cluster 'stream-errors' matches tag 'nope'");
                });
        given().contentType(ContentType.JSON).body(Map.of("command", "true")).post("/v1/clusters/no-such-cluster/exec/stream")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("command", "true", "forks", 0)).post("/v1/clusters/stream-errors/exec/stream")
                .then().statusCode(400).body("detail", startsWith("forks"));
        assertThat(cloud.destroy().succeeded()).isTrue();
    }
}
