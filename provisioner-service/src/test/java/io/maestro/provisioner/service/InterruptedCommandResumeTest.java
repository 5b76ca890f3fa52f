package io.maestro.provisioner.service;

import io.maestro.events.ProvisioningCommand;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.GroupRecord;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.CommandRepository;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.exec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class InterruptedCommandResumeTest {

    @Inject
    CommandService service;
    @Inject
    CommandRepository commands;
    @Inject
    ClusterRepository clusters;

    @Test
    void aLaunchLeftRunningByADeadReplicaIsResumedByAnotherAndFinishes() {
        ProvisioningCommand launch = ProvisioningCommand.launch("crashed-launch-1", "crashed",
                List.of(new GroupSpec("n", 2, "local", Map.of())), null, false).withActor("ops-carol");
        // The dead replica had claimed the command and written the cluster's rows, then died before any node ran.
        assertThat(Sessions.awaitTransaction(() -> commands.insertIfNew(launch))).isTrue();
        assertThat(Sessions.awaitTransaction(() -> commands.claim(launch.commandId(), "crashed", "dead-replica", Duration.ofMillis(1), true))).isTrue();
        ClusterRecord crashed = ClusterRecord.wanted("crashed", null, launch.commandId(),
                List.of(new GroupRecord("crashed", "n", "local", Map.of(), 2)), null);
        assertThat(Sessions.awaitTransaction(() -> clusters.create(crashed, null))).isTrue();
        given().get("/v1/commands/crashed-launch-1").then().body("status", equalTo("RUNNING"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Sessions.awaitSession(() -> commands.claimable(100, Duration.ofSeconds(30))).stream().anyMatch(c -> c.id().equals(launch.commandId())));
        service.sweep();

        awaitCommand(launch.commandId(), "SUCCEEDED");
        // The events of the resumed command name the actor who issued it, though this replica never saw the request.
        given().get("/v1/commands/crashed-launch-1").then().body("actor", equalTo("ops-carol"));
        assertThat(Sessions.awaitSession(() -> commands.events(launch.commandId()))).isNotEmpty()
                .allSatisfy(stored -> assertThat(stored.event().actor()).isEqualTo("ops-carol"));
        given().get("/v1/clusters/crashed/nodes").then().body("status", equalTo(List.of("running", "running")));
        assertThat(exec("crashed", Map.of("command", "echo up")).getList("results.stdout")).containsExactly("up\n", "up\n");
    }
}
