package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** tinycloud's verbs on the local driver: real SSH nodes on loopback. */
class ClusterCommandsTest {

    @BeforeAll
    static void suite() {
        SuiteFixture.start();
    }

    @Test
    void launchExecAndDestroyACluster() {
        String cluster = "voltron-" + UUID.randomUUID().toString().substring(0, 6);

        var launch = SuiteFixture.run("cluster", "launch", cluster, "-n", "2");
        assertThat(launch.exitCode()).as(launch.err()).isZero();
        assertThat(launch.out()).contains("launching " + cluster).contains("running").contains("TAG").contains("master").contains("worker");

        JsonNode nodes = Http.read(SuiteFixture.run("cluster", "list", cluster, "--json").out());
        assertThat(nodes).hasSize(3);
        assertThat(nodes.findValuesAsText("status")).containsOnly("running");
        assertThat(SuiteFixture.run("cluster", "list", cluster, "--tag", "worker", "--json").out()).doesNotContain("\"master\"");
        assertThat(SuiteFixture.run("cluster", "list").out()).contains(cluster);

        var exec = SuiteFixture.run("cluster", "exec", cluster, "worker", "--", "echo", "hello-from-$((20+22))");
        assertThat(exec.exitCode()).as(exec.err()).isZero();
        assertThat(exec.out().split("hello-from-42", -1)).hasSize(3);

        var failing = SuiteFixture.run("cluster", "exec", cluster, "--", "exit 3");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.err()).contains("3 node(s) failed");

        var login = SuiteFixture.run("cluster", "login", cluster, "--print");
        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out()).startsWith("ssh ").contains("-p ");

        var destroy = SuiteFixture.run("cluster", "destroy", cluster);
        assertThat(destroy.exitCode()).as(destroy.err()).isZero();
        assertThat(destroy.out()).contains("terminated").contains("destroyed " + cluster);
        var gone = SuiteFixture.run("cluster", "list", cluster);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no cluster '" + cluster + "'");
    }

    @Test
    void scaleStopAndStartAClusterAsTableAndJson() {
        String cluster = "scaled-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(SuiteFixture.run("cluster", "launch", cluster, "-n", "1", "--master", "0").exitCode()).isZero();

        var scale = SuiteFixture.run("cluster", "scale", cluster, "worker", "3");
        assertThat(scale.exitCode()).as(scale.err()).isZero();
        JsonNode nodes = Http.read(SuiteFixture.run("cluster", "list", cluster, "--json").out());
        assertThat(nodes).hasSize(3);

        var stop = SuiteFixture.run("cluster", "stop", cluster);
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(Http.read(SuiteFixture.run("cluster", "list", cluster, "--json").out()).findValuesAsText("status")).containsOnly("stopped");

        var start = SuiteFixture.run("cluster", "start", cluster);
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(start.out()).contains("running");
        assertThat(Http.read(SuiteFixture.run("cluster", "list", cluster, "--json").out()).findValuesAsText("status")).containsOnly("running");

        assertThat(SuiteFixture.run("cluster", "destroy", cluster).exitCode()).isZero();
    }

    @Test
    void aClusterLaunchedWithATtlIsListedWithItsExpiryAndGoesWhenAShorterOneRunsOut() {
        String cluster = "brief-" + UUID.randomUUID().toString().substring(0, 6);
        var launch = SuiteFixture.run("cluster", "launch", cluster, "-n", "1", "--master", "0", "--ttl", "1h");
        assertThat(launch.exitCode()).as(launch.err()).isZero();
        assertThat(SuiteFixture.run("cluster", "list").out().lines().filter(line -> line.startsWith(cluster + " ")).findFirst().orElseThrow())
                .contains("1/1").contains("(ttl 1h)");

        var refused = SuiteFixture.run("cluster", "ttl", cluster, "soon");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("ttl: a duration such as 15s");
        assertThat(SuiteFixture.run("cluster", "ttl", cluster).exitCode()).as("neither a duration nor --remove").isEqualTo(2);

        var kept = SuiteFixture.run("cluster", "ttl", cluster, "--remove");
        assertThat(kept.exitCode()).as(kept.err()).isZero();
        assertThat(kept.out()).contains("never");

        var shortened = SuiteFixture.run("cluster", "ttl", cluster, "2s");
        assertThat(shortened.exitCode()).as(shortened.err()).isZero();
        assertThat(shortened.out()).contains(cluster).contains("2s");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> SuiteFixture.run("cluster", "list", cluster).err().contains("no cluster '" + cluster + "'"));
    }

    @Test
    void aFileIsCopiedToEveryNodeAndAnExecWithOneForkPrintsEachNode() throws Exception {
        String cluster = "copied-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(SuiteFixture.run("cluster", "launch", cluster, "-n", "2", "--master", "0").exitCode()).isZero();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("maestro-copy", ".conf");
        java.nio.file.Files.writeString(file, "listen 8080\n");

        var copy = SuiteFixture.run("cluster", "copy", cluster, "worker", file.toString(), "etc/app.conf", "--mode", "600");
        assertThat(copy.exitCode()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("worker-0: copied 12 bytes to etc/app.conf").contains("worker-1: copied 12 bytes to etc/app.conf");

        var exec = SuiteFixture.run("cluster", "exec", cluster, "--forks", "1", "--", "cat etc/app.conf; stat -c %a etc/app.conf");
        assertThat(exec.exitCode()).as(exec.err()).isZero();
        assertThat(exec.out()).contains("== worker-0 (exit 0)\nlisten 8080\n600\n").contains("== worker-1 (exit 0)\nlisten 8080\n600\n");

        var missing = SuiteFixture.run("cluster", "copy", cluster, file + ".missing", "x");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
        assertThat(SuiteFixture.run("cluster", "destroy", cluster).exitCode()).isZero();
    }

    @Test
    void aDryRunCreatesNothing() {
        String cluster = "dry-" + UUID.randomUUID().toString().substring(0, 6);
        var launch = SuiteFixture.run("cluster", "launch", cluster, "-n", "1", "--dry-run", "--ttl", "8h");
        assertThat(launch.exitCode()).as(launch.err()).isZero();
        assertThat(launch.out()).contains("dry run of " + cluster + ": nothing created").contains("GROUP").contains("USD/H")
                .contains("2 nodes, USD 0.0000 per hour, USD 0.0000 over its ttl of 8h")
                .contains("worker would call:").contains("start 1 SSH server(s) on 127.0.0.1");
        assertThat(SuiteFixture.run("cluster", "list").out()).doesNotContain(cluster + " ");
    }

    @Test
    void driverOptionsReachTheProvisionerAndAMissingImageIdIsNamed() {
        var withoutImage = SuiteFixture.run("cluster", "launch", "ec2-lab", "--driver", "aws-ec2", "--dry-run");
        assertThat(withoutImage.exitCode()).isEqualTo(1);
        assertThat(withoutImage.err()).contains("groups[0].options.imageId").contains("required by driver 'aws-ec2'");
        var unknown = SuiteFixture.run("cluster", "launch", "opt-lab", "-o", "size=xl", "--dry-run");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("groups[0].options.size").contains("unknown option of driver 'local'");
        var tooMany = SuiteFixture.run("cluster", "launch", "min-lab", "-n", "2", "--min-workers", "3", "--dry-run");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).contains("groups[1].minCount").contains("at most the group's count (2)");
        var spot = SuiteFixture.run("cluster", "launch", "spot-lab", "--driver", "aws-ec2", "-o", "imageId=ami-0abc", "-o", "market=cheap", "--dry-run");
        assertThat(spot.exitCode()).isEqualTo(1);
        assertThat(spot.err()).contains("groups[0].options").contains("option 'market': spot or on-demand");
    }

    @Test
    void execWithoutACommandIsAUsageError() {
        var result = SuiteFixture.run("cluster", "exec", "voltron");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("usage: maestro cluster exec NAME [TAG [INDEX]] -- COMMAND");
    }
}
