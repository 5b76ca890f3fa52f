package io.maestro.provisioner.driver.ec2;

import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.TestConfig;
import io.maestro.provisioner.TestKeys;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.driver.DriverNode;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The aws-ec2 driver against an EC2 double on loopback (real SDK, real HTTP, EC2's wire format). */
class Ec2DriverTest {
    private Ec2TestDouble ec2;
    private Ec2Driver driver;

    @BeforeAll
    static void credentials() {
        // Picked up by the SDK's default provider chain, like any deployment's credentials.
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    @BeforeEach
    void start() throws Exception {
        ec2 = new Ec2TestDouble();
        driver = newDriver(5);
    }

    @AfterEach
    void stop() {
        driver.close();
        ec2.close();
    }

    private Ec2Driver newDriver(int pageSize) {
        return new Ec2Driver(TestConfig.of(Path.of("target"), TestConfig.ec2(ec2.endpoint(), pageSize)));
    }

    private static DriverContext context(String cluster) {
        return new DriverContext(cluster, "launch-" + cluster, TestKeys.publicLine(TestKeys.userKeyPair()),
                TestKeys.userKeyPair().getPublic(), Map.of("imageId", "ami-12345678", "instanceType", "t3.micro"));
    }

    private static List<NodeSlot> slots(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new NodeSlot(i, null)).toList();
    }

    @Test
    void launchIsOneRunInstancesPerGroupTaggedAtLaunchAndWaitsForRunning() {
        DriverContext context = context("web");
        driver.prepare(context, "worker", 7, false);
        List<DriverNode> nodes = driver.start(context, "worker", slots(0, 7));

        assertThat(nodes).hasSize(7).allSatisfy(node -> {
            assertThat(node.status()).isEqualTo(NodeStatus.running);
            assertThat(node.hostKey()).startsWith("ecdsa-sha2-nistp256 ");
            assertThat(node.port()).isEqualTo(22);
        });
        assertThat(nodes).extracting(DriverNode::index).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(ec2.count("RunInstances")).isEqualTo(1);
        Ec2TestDouble.Call run = ec2.calls.stream().filter(c -> c.action().equals("RunInstances")).findFirst().orElseThrow();
        assertThat(run.params()).containsEntry("MinCount", "7").containsEntry("MaxCount", "7")
                .containsEntry("TagSpecification.1.ResourceType", "instance")
                .containsEntry("TagSpecification.1.Tag.1.Key", "maestro:cluster").containsEntry("TagSpecification.1.Tag.1.Value", "web")
                .containsKey("ClientToken");
        assertThat(ec2.calls).as("EC2 was asked for instances before it knew them")
                .anySatisfy(c -> assertThat(c.answer()).isEqualTo("InvalidInstanceID.NotFound"));
        assertThat(ec2.calls).filteredOn(c -> c.action().equals("CreateTags")).isEmpty();

        // SSH only from the configured networks, all traffic inside the cluster, never the whole internet.
        String group = ec2.securityGroups.keySet().iterator().next();
        assertThat(ec2.securityGroups).containsValue("maestro-web");
        assertThat(ec2.ingress.get(group)).containsExactlyInAnyOrder("tcp:22:198.51.100.0/24", "-1:group:" + group);

        // Discovery by tags follows NextToken (page size 5 for 7 instances).
        long describesBefore = ec2.count("DescribeInstances");
        assertThat(driver.list(context, null)).hasSize(7);
        assertThat(ec2.count("DescribeInstances") - describesBefore).isEqualTo(2);
    }

    @Test
    void aDryRunSendsOnlyDryRunCallsAndCreatesNothing() {
        driver.prepare(context("dry"), "worker", 3, true);
        assertThat(ec2.calls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.dryRun()).as(call.action()).isTrue();
            assertThat(call.answer()).isEqualTo("DryRunOperation");
        });
        assertThat(ec2.calls).extracting(Ec2TestDouble.Call::action).contains("RunInstances", "CreateSecurityGroup");
        assertThat(ec2.instances).isEmpty();
        assertThat(ec2.securityGroups).isEmpty();

        int callsBefore = ec2.calls.size();
        var plan = driver.plan(context("dry"), "worker", 3);
        assertThat(plan.instanceType()).isEqualTo("t3.micro");
        assertThat(plan.free()).isFalse();
        assertThat(plan.calls()).anySatisfy(call -> assertThat(call).startsWith("RunInstances 3 × t3.micro of ami-12345678, on-demand,"))
                .anySatisfy(call -> assertThat(call).startsWith("AuthorizeSecurityGroupIngress tcp/22 from 198.51.100.0/24"))
                .anySatisfy(call -> assertThat(call).startsWith("GetConsoleOutput × 3"));
        assertThat(ec2.calls).as("a plan is words, not calls").hasSize(callsBefore);
    }

    @Test
    void anSsmImageParameterIsResolvedToTheImageItHoldsAndAnUnknownOneIsACallersMistake() {
        DriverContext plain = context("latest");
        DriverContext latest = new DriverContext("latest", "launch-latest", plain.userPublicKey(), plain.servicePublicKey(),
                Map.of("imageId", "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"));
        driver.prepare(latest, "worker", 2, true);
        assertThat(driver.plan(latest, "worker", 2).calls()).first().asString()
                .startsWith("ssm:GetParameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (now ami-0a1b2c3d4e5f67890)");
        driver.start(latest, "worker", slots(0, 2));
        assertThat(ec2.calls.stream().filter(c -> c.action().equals("RunInstances") && !c.dryRun()).findFirst().orElseThrow().params())
                .containsEntry("ImageId", "ami-0a1b2c3d4e5f67890");

        DriverContext missing = new DriverContext("missing", "launch-missing", plain.userPublicKey(), plain.servicePublicKey(),
                Map.of("imageId", "ssm:/aws/service/nothing-here"));
        assertThatThrownBy(() -> driver.prepare(missing, "worker", 1, true))
                .isInstanceOfSatisfying(io.maestro.provisioner.driver.DriverException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("option 'imageId': there is no SSM parameter /aws/service/nothing-here"));
        assertThatThrownBy(() -> driver.checkOptions(Map.of("imageId", "ssm:aws service"))).hasMessageContaining("ssm: and a parameter path");
    }

    @Test
    void aGroupsUserDataRunsAfterTheCloudConfigThatAuthorizesTheNodesKeys() {
        DriverContext plain = context("plain");
        DriverContext scripted = new DriverContext("scripted", "launch-scripted", plain.userPublicKey(), plain.servicePublicKey(),
                Map.of("imageId", "ami-12345678", "userData", "#!/bin/bash\necho ready > /etc/motd"));
        driver.prepare(scripted, "worker", 1, false);
        driver.start(scripted, "worker", slots(0, 1));
        String sent = new String(java.util.Base64.getDecoder().decode(ec2.calls.stream().filter(c -> c.action().equals("RunInstances"))
                .findFirst().orElseThrow().params().get("UserData")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(sent).startsWith("Content-Type: multipart/mixed; boundary=");
        int keys = sent.indexOf("Content-Type: text/cloud-config");
        int script = sent.indexOf("Content-Type: text/x-shellscript");
        assertThat(keys).as("the keys first").isPositive().isLessThan(script);
        assertThat(sent).contains("ssh_authorized_keys:").contains("echo ready > /etc/motd").endsWith("--\n");
        assertThat(Ec2Driver.userData(plain)).as("without userData, the cloud-config alone").startsWith("#cloud-config\n");

        assertThatThrownBy(() -> driver.checkOptions(Map.of("userData", "echo no shebang")))
                .hasMessageContaining("must start with #!, #cloud-config or #cloud-boothook");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("userData", "#!/bin/sh\n" + "x".repeat(13_000))))
                .hasMessageContaining("at most 12288 bytes");
    }

    @Test
    void aLaunchWhoseResponseWasLostIsRetriedWithTheSameTokenAndCreatesNoSecondInstance() {
        ec2.loseNextRunInstancesResponse = true;
        List<DriverNode> nodes = driver.start(context("lossy"), "worker", slots(0, 3));
        assertThat(nodes).hasSize(3);
        assertThat(ec2.instances).hasSize(3);
        List<String> tokens = ec2.calls.stream().filter(c -> c.action().equals("RunInstances")).map(c -> c.params().get("ClientToken")).toList();
        assertThat(tokens).hasSize(2).containsOnly(tokens.get(0));
    }

    @Test
    void aResumedLaunchAfterACrashFindsTheInstancesByTagAndLaunchesNothingNew() {
        List<String> first = driver.start(context("resumed"), "worker", slots(0, 3)).stream().map(DriverNode::providerId).toList();
        // A new service process: no memory of the call, no provider ids in the database.
        Ec2Driver restarted = newDriver(5);
        try {
            List<String> again = restarted.start(context("resumed"), "worker", slots(0, 3)).stream().map(DriverNode::providerId).toList();
            assertThat(again).containsExactlyInAnyOrderElementsOf(first);
        } finally {
            restarted.close();
        }
        assertThat(ec2.instances).hasSize(3);
        assertThat(ec2.count("RunInstances")).isEqualTo(1);
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        ec2.throttleNext = 4;
        assertThat(driver.start(context("busy"), "worker", slots(0, 2))).hasSize(2);
        assertThat(ec2.calls).filteredOn(c -> c.answer().equals("RequestLimitExceeded")).hasSize(4);
        assertThat(ec2.instances).hasSize(2);
    }

    @Test
    void scalingUpLaunchesOnlyTheNewIndexesAndDownTerminatesTheHighest() {
        DriverContext context = context("grow");
        driver.start(context, "worker", slots(0, 2));
        List<DriverNode> grown = driver.start(context, "worker", slots(0, 4));
        assertThat(grown).extracting(DriverNode::index).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(ec2.count("RunInstances")).isEqualTo(2);
        assertThat(ec2.instances).hasSize(4);

        driver.destroy(context, "worker", slots(2, 4));
        assertThat(ec2.instances.values()).filteredOn(i -> i.state.equals("shutting-down")).hasSize(2);
        assertThat(driver.status(context, "worker", slots(0, 4)).get(0)).isEqualTo(NodeStatus.running);
    }

    @Test
    void destroyTerminatesTheInstancesThenDeletesTheSecurityGroup() {
        DriverContext context = context("gone");
        driver.prepare(context, "worker", 2, false);
        driver.start(context, "worker", slots(0, 2));
        driver.destroy(context, "worker", slots(0, 2));
        driver.cleanUp(context);
        assertThat(ec2.instances.values()).allSatisfy(i -> assertThat(i.state).isEqualTo("terminated"));
        assertThat(ec2.securityGroups).isEmpty();
    }

    @Test
    void aGroupWithoutImageIdIsTheCallersMistake() {
        DriverContext context = new DriverContext("bad", "l", null, TestKeys.userKeyPair().getPublic(), Map.of());
        assertThatThrownBy(() -> driver.prepare(context, "worker", 1, true))
                .isInstanceOf(DriverException.class).hasMessageContaining("imageId")
                .satisfies(e -> assertThat(((DriverException) e).callerMistake()).isTrue());
        assertThat(ec2.calls).isEmpty();
    }

    private static DriverContext context(String cluster, Map<String, String> options) {
        return new DriverContext(cluster, "launch-" + cluster, TestKeys.publicLine(TestKeys.userKeyPair()), TestKeys.userKeyPair().getPublic(), options);
    }

    private List<Ec2TestDouble.Call> runInstances() {
        return ec2.calls.stream().filter(c -> c.action().equals("RunInstances") && !c.dryRun()).toList();
    }

    @Test
    void nodesEc2HasNoRoomForGoToTheNextInstanceTypeAndSubnetInPreferenceOrder() {
        DriverContext context = context("fallback", Map.of("imageId", "ami-12345678", "instanceTypes", "c6i.large,c5.large",
                "subnetIds", "subnet-aaa,subnet-bbb"));
        ec2.limit("c6i.large", "subnet-aaa", null, 2);
        ec2.limit("c6i.large", "subnet-bbb", null, 0);
        Started started = driver.start(context, "worker", slots(0, 6), 6);

        assertThat(started.shortfall()).isNull();
        assertThat(started.nodes()).extracting(DriverNode::index).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(started.placements()).containsExactly(
                new Started.Placement("c6i.large", "on-demand", "subnet-aaa", List.of(0, 1)),
                new Started.Placement("c5.large", "on-demand", "subnet-aaa", List.of(2, 3, 4, 5)));
        // Each call asks for all that are still missing and takes what fits; a refusal is not retried, the next choice is the cure.
        assertThat(runInstances()).extracting(c -> c.params().get("InstanceType") + " " + c.params().get("SubnetId") + " "
                        + c.params().get("MinCount") + ".." + c.params().get("MaxCount") + " " + c.answer())
                .containsExactly("c6i.large subnet-aaa 1..6 ok", "c6i.large subnet-bbb 1..4 InsufficientInstanceCapacity", "c5.large subnet-aaa 1..4 ok");
        assertThat(ec2.instances.values()).extracting(i -> i.instanceType).containsExactly("c6i.large", "c6i.large", "c5.large", "c5.large", "c5.large", "c5.large");
    }

    @Test
    void spotWithoutCapacityFallsBackToOnDemand() {
        DriverContext context = context("spot", Map.of("imageId", "ami-12345678", "instanceType", "m5.large", "market", "spot",
                "availabilityZones", "us-east-1a,us-east-1b"));
        ec2.limit(null, null, "spot", 1);
        Started started = driver.start(context, "worker", slots(0, 3), 3);

        assertThat(started.nodes()).hasSize(3);
        assertThat(started.placements()).containsExactly(
                new Started.Placement("m5.large", "spot", "us-east-1a", List.of(0)),
                new Started.Placement("m5.large", "on-demand", "us-east-1a", List.of(1, 2)));
        assertThat(runInstances()).extracting(c -> c.params().get("InstanceMarketOptions.MarketType") + " "
                        + c.params().get("Placement.AvailabilityZone") + " " + c.answer())
                .containsExactly("spot us-east-1a ok", "spot us-east-1b InsufficientInstanceCapacity", "null us-east-1a ok");
        assertThat(runInstances().get(0).params()).containsEntry("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate");
        assertThat(ec2.instances.values()).extracting(i -> i.market).containsExactly("spot", "on-demand", "on-demand");
    }

    @Test
    void theLastChoiceMustMakeUpWhatTheGroupNeedsAndAShortfallSaysWhy() {
        DriverContext context = context("short", Map.of("imageId", "ami-12345678", "instanceType", "m5.large"));
        ec2.limit("m5.large", null, null, 3);
        Started some = driver.start(context, "worker", slots(0, 5), 2);
        assertThat(some.nodes()).extracting(DriverNode::index).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(some.shortfall()).isEqualTo("EC2 had room for 3 of 5 nodes (m5.large on-demand: room for 3 of 5)");
        assertThat(runInstances()).extracting(c -> c.params().get("MinCount")).containsExactly("2");

        // Not enough for what the group needs: EC2 launches nothing at all rather than instances that would be too few.
        Started none = driver.start(context("shorter", Map.of("imageId", "ami-12345678", "instanceType", "m5.large")), "worker", slots(0, 5), 4);
        assertThat(none.nodes()).isEmpty();
        assertThat(none.shortfall()).isEqualTo("EC2 had room for 0 of 5 nodes (m5.large on-demand: InsufficientInstanceCapacity)");
        assertThat(ec2.instances).hasSize(3);

        // One choice and every node needed: one all-or-nothing call, as before there were choices.
        driver.start(context("whole", Map.of("imageId", "ami-12345678", "instanceType", "c5.large")), "worker", slots(0, 4), 4);
        assertThat(runInstances().get(runInstances().size() - 1).params()).containsEntry("MinCount", "4").containsEntry("MaxCount", "4");
    }

    @Test
    void choicesAreCheckedAtTheEdgeAndListedInThePlan() {
        assertThatThrownBy(() -> driver.checkOptions(Map.of("instanceType", "c5.large", "instanceTypes", "c6i.large")))
                .hasMessage("options 'instanceType' and 'instanceTypes': give only one of instanceType, instanceTypes");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("subnetId", "subnet-1", "availabilityZones", "us-east-1a")))
                .hasMessageContaining("give only one of subnetId, subnetIds, availabilityZones");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("instanceTypes", "c6i.large,,c5.large")))
                .hasMessageStartingWith("option 'instanceTypes': 1 to 8 distinct entries separated by commas");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("subnetIds", "subnet-a1,subnet-a1"))).hasMessageStartingWith("option 'subnetIds'");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("instanceTypes", "a.b,c.d,e.f,g.h,i.j,k.l,m.n,o.p,q.r")))
                .hasMessageStartingWith("option 'instanceTypes'");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("market", "cheap"))).hasMessageStartingWith("option 'market': spot or on-demand");
        assertThatThrownBy(() -> driver.checkOptions(Map.of("waitForCloudInit", "maybe"))).hasMessage("option 'waitForCloudInit': true or false");

        DriverContext context = context("planned", Map.of("imageId", "ami-12345678", "instanceTypes", "c6i.large,c5.large", "market", "spot",
                "waitForCloudInit", "true"));
        assertThat(driver.plan(context, "worker", 4).calls())
                .anySatisfy(call -> assertThat(call).startsWith("RunInstances 4 × c6i.large of ami-12345678, spot,"))
                .anySatisfy(call -> assertThat(call).isEqualTo("for the nodes EC2 has no capacity for there, RunInstances again with the next of: "
                        + "c5.large spot, c6i.large on-demand, c5.large on-demand (until enough run: the group's minCount)"))
                .anySatisfy(call -> assertThat(call).isEqualTo("ssh cloud-init status --wait on each node, before it counts as running"));
        assertThat(driver.readyCommand(context)).contains("cloud-init status --wait");
        assertThat(driver.readyCommand(context("plain"))).isEmpty();
    }
}
