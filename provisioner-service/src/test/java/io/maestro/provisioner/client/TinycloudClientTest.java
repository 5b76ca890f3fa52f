package io.maestro.provisioner.client;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.provisioner.Cluster;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Expiry;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Login;
import io.maestro.client.provisioner.Node;
import io.maestro.client.provisioner.Progress;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.TestKeys;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tinycloud's API of the SDK ({@code io.maestro.client.provisioner.Tinycloud}) against this service, local driver, real SSH. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class TinycloudClientTest {
    @TestHTTPResource("/")
    URI service;

    @Test
    void aClusterIsLaunchedListedExecutedOnAndDestroyedAsWithTinycloud() {
        List<Progress> progress = new CopyOnWriteArrayList<>();
        Tinycloud cloud = Tinycloud.builder(service, "tiny").token(Tokens.admin())
                .group("master", 1, Driver.local()).group("worker", 2, Driver.local())
                .sshPublicKey(TestKeys.publicLine(TestKeys.userKeyPair()))
                .onProgress(progress::add).build();

        CommandOutcome dryRun = cloud.launch(true);
        assertThat(dryRun.succeeded()).as(dryRun.message()).isTrue();
        assertThatThrownBy(cloud::list).as("a dry run creates nothing")
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(404));

        CommandOutcome launched = cloud.launch();
        assertThat(launched.succeeded()).as(launched.message()).isTrue();
        assertThat(progress).extracting(Progress::type).contains("NODE_RUNNING", "SUCCEEDED");
        assertThat(progress.stream().filter(p -> "NODE_RUNNING".equals(p.type())).map(p -> p.tag() + "-" + p.index()))
                .containsExactlyInAnyOrder("master-0", "worker-0", "worker-1");

        assertThat(cloud.list()).extracting(Node::status).containsOnly("running").hasSize(3);
        assertThat(cloud.list("worker")).extracting(Node::index).containsExactly(0, 1);
        assertThat(cloud.login("master", 0)).startsWith("ssh ");

        List<ExecResult> everywhere = cloud.execute("uname -s");
        assertThat(everywhere).hasSize(3).allSatisfy(r -> {
            assertThat(r.succeeded()).isTrue();
            assertThat(r.stdout()).isEqualTo("Linux\n");
        });
        List<ExecResult> one = cloud.execute("worker", 1, "echo oops >&2; exit 3");
        assertThat(one).singleElement().satisfies(r -> {
            assertThat(r.tag() + "-" + r.index()).isEqualTo("worker-1");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stderr()).isEqualTo("oops\n");
        });

        assertThat(cloud.scale("worker", 3).succeeded()).isTrue();
        assertThat(cloud.list("worker")).extracting(Node::index).containsExactly(0, 1, 2);
        assertThat(cloud.stop().succeeded()).isTrue();
        assertThat(cloud.list()).extracting(Node::status).containsOnly("stopped");
        assertThat(cloud.start().succeeded()).isTrue();
        assertThat(cloud.list()).extracting(Node::status).containsOnly("running").hasSize(4);
        assertThat(progress).filteredOn(p -> "NODE_RUNNING".equals(p.type()))
                .allSatisfy(p -> assertThat(p.address()).as("a running node's address").isNotBlank());
        Login login = cloud.loginDetails("worker", 2);
        assertThat(login.port()).isPositive();
        assertThat(login.hostKey()).as("the node's host key, to verify it by").matches("(ssh|ecdsa)-\\S+ [A-Za-z0-9+/]+=*");

        CommandOutcome destroyed = cloud.destroy();
        assertThat(destroyed.succeeded()).as(destroyed.message()).isTrue();
        assertThatThrownBy(cloud::list).isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aClusterLaunchedWithATtlDescribesItsExpiryWhichCanBeExtendedAndRemoved() {
        Tinycloud cloud = Tinycloud.builder(service, "tiny-ttl").token(Tokens.admin()).group("worker", 0, Driver.local()).ttl("2h").build();
        assertThat(cloud.launch().succeeded()).isTrue();
        Cluster described = cloud.describe();
        assertThat(described.ttl()).isEqualTo("2h");
        assertThat(java.time.Duration.between(java.time.Instant.parse(described.createdAt()), java.time.Instant.parse(described.expiresAt())))
                .isEqualTo(java.time.Duration.ofHours(2));

        Expiry extended = cloud.extendTtl("3d");
        assertThat(extended.ttl()).isEqualTo("3d");
        assertThat(java.time.Instant.parse(extended.expiresAt())).isAfter(java.time.Instant.now().plus(java.time.Duration.ofHours(71)));
        assertThatThrownBy(() -> cloud.extendTtl("1 week")).isInstanceOfSatisfying(MaestroApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errors()).extracting(MaestroApiException.FieldError::field).containsExactly("ttl");
        });
        Expiry kept = cloud.removeTtl();
        assertThat(kept.expiresAt()).isNull();
        assertThat(cloud.describe().expiresAt()).isNull();
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void aLaunchThatBreaksARuleIsRefusedNamingTheField() {
        Tinycloud cloud = Tinycloud.builder(service, "tiny-bad").token(Tokens.admin())
                .group("master", 1, new Driver("local", java.util.Map.of("size", "large"))).build();
        assertThatThrownBy(cloud::launch).isInstanceOfSatisfying(MaestroApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errors()).extracting(MaestroApiException.FieldError::field).contains("groups[0].options.size");
        });
    }
}
