package io.maestro.provisioner.rest;

import io.maestro.client.provisioner.Cluster;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.Tinycloud;
import io.maestro.events.ProvisioningEvent;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.driver.ec2.Ec2DoubleProfile;
import io.maestro.provisioner.driver.ec2.Ec2NodeSshd;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.KafkaEvents.eventsOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Launches on the EC2 double when it is short of capacity, through the whole service: the EC2 driver moves the nodes
 * it has no room for to the group's next choice, the launch succeeds once the group's minCount run and says per group
 * what is missing and why, and a node counts as running only once {@code cloud-init status --wait} says it is done
 * (the instances' sshd is a real SSH server on loopback playing the booted image).
 */
@QuarkusTest
@TestProfile(Ec2DoubleProfile.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class CapacityFallbackTest {

    @TestHTTPResource("/")
    URI service;

    @AfterEach
    void cloudInitDoneAgain() {
        Ec2DoubleProfile.sshd.cloudInit = Ec2NodeSshd.DONE;
    }

    private Tinycloud.Builder cluster(String name) {
        return Tinycloud.builder(service, name).token(Tokens.admin()).requestTimeout(Duration.ofSeconds(90));
    }

    @Test
    void aLaunchSucceedsOnceMinCountNodesRunAndTheGroupKeepsThoseThatDo() {
        Ec2DoubleProfile.ec2.limit("c6i.large", null, null, 1);
        Ec2DoubleProfile.ec2.limit("c5.large", null, null, 2);
        Tinycloud cloud = cluster("partial").group("web", 4, 2, new Driver("aws-ec2", Map.of("imageId", "ami-12345678",
                "instanceTypes", "c6i.large,c5.large", "waitForCloudInit", "true"))).build();
        long cloudInitsBefore = Ec2DoubleProfile.sshd.count("cloud-init status --wait");

        CommandOutcome outcome = cloud.launch();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).isEqualTo("launched 3 of 4 nodes; group web has 3 of 4 (minCount 2): EC2 had room for 3 of 4 nodes "
                + "(c6i.large on-demand: room for 1 of 4; c5.large on-demand: room for 2 of 3)");
        String view = given().auth().oauth2(Tokens.admin()).get("/v1/commands/{id}", outcome.commandId()).then().statusCode(200)
                .body("result.groups[0].running", equalTo(3)).body("result.groups[0].minCount", equalTo(2))
                .body("result.groups[0].placements", hasSize(2))
                .body("result.groups[0].placements[0].instanceType", equalTo("c6i.large"))
                .body("result.groups[0].placements[1].indexes", equalTo(List.of(1, 2))).extract().asString();
        System.out.println("[capacity] GET /v1/commands/" + outcome.commandId() + " -> " + view);

        Cluster launched = cloud.describe();
        assertThat(launched.groups()).singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(3));
        assertThat(launched.nodes()).hasSize(3).allSatisfy(node -> assertThat(node.status()).isEqualTo("running"));
        assertThat(Ec2DoubleProfile.sshd.count("cloud-init status --wait") - cloudInitsBefore).as("once per node").isEqualTo(3);

        List<ProvisioningEvent> events = await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("partial"),
                seen -> seen.stream().anyMatch(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED));
        assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.NODE_TERMINATED).singleElement().satisfies(e -> {
            assertThat(e.node().index()).isEqualTo(3);
            assertThat(e.message()).startsWith("not placed: EC2 had room for 3 of 4 nodes");
        });
        assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.NODE_RUNNING).hasSize(3);
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void fewerThanMinCountFailsTheLaunchNamingEveryRefusalAndKeepsTheNodesThatRun() {
        Ec2DoubleProfile.ec2.limit("m5.large", null, null, 1);
        Ec2DoubleProfile.ec2.limit("m5.xlarge", null, null, 0);
        Tinycloud cloud = cluster("too-few").group("db", 3, 2, new Driver("aws-ec2", Map.of("imageId", "ami-12345678",
                "instanceTypes", "m5.large,m5.xlarge"))).build();

        CommandOutcome outcome = cloud.launch();

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).isEqualTo("group db needs 2 nodes (minCount) but EC2 had room for 1 of 3 nodes (m5.large on-demand: "
                + "room for 1 of 3; m5.xlarge on-demand: InsufficientInstanceCapacity); the 1 that run are kept: scale the group when there "
                + "is capacity, or destroy the cluster");
        Cluster kept = cloud.describe();
        assertThat(kept.groups().get(0).count()).isEqualTo(1);
        assertThat(kept.nodes()).singleElement().satisfies(node -> assertThat(node.status()).isEqualTo("running"));
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void aNodeWhoseCloudInitFailedNeverCountsAsRunning() {
        Ec2DoubleProfile.sshd.cloudInit = new Ec2NodeSshd.CloudInit("status: error\n", 1);
        Tinycloud cloud = cluster("broken-boot").group("web", 1, new Driver("aws-ec2", Map.of("imageId", "ami-12345678",
                "waitForCloudInit", "true"))).build();

        CommandOutcome outcome = cloud.launch();

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).isEqualTo("node web/0 is not ready: `cloud-init status --wait` exited 1: status: error");
        assertThat(cloud.describe().nodes()).singleElement().satisfies(node -> assertThat(node.status()).isEqualTo("pending"));
        assertThat(cloud.destroy().succeeded()).isTrue();
    }

    @Test
    void minCountAboveCountIsACallersMistake() {
        given().auth().oauth2(Tokens.admin()).contentType("application/json")
                .body(Map.of("name", "odd", "groups", List.of(Map.of("tag", "web", "count", 2, "minCount", 3))))
                .post("/v1/clusters").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("groups[0].minCount")).body("errors[0].rule", equalTo("at most the group's count (2)"));
        given().auth().oauth2(Tokens.admin()).contentType("application/json")
                .body(Map.of("name", "odd", "groups", List.of(Map.of("tag", "web", "count", 2, "minCount", -1))))
                .post("/v1/clusters").then().statusCode(400).body("errors[0].field", equalTo("groups[0].minCount"));
    }
}
