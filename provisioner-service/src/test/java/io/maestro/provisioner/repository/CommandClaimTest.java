package io.maestro.provisioner.repository;

import io.maestro.events.ProvisioningCommand;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.maestro.provisioner.TestCommands.stop;
import static org.assertj.core.api.Assertions.assertThat;

/** What lets 2+ replicas share one database: a command is claimed by exactly one of them. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class CommandClaimTest {

    @Inject
    CommandRepository commands;
    @Inject
    Sql sql;

    @Test
    void ofManyReplicasClaimingTheSameCommandAtOnceExactlyOneWins() {
        assertThat(commands.insertIfNew(stop("claim-race-1", "race"))).isTrue();
        assertThat(commands.insertIfNew(stop("claim-race-1", "race"))).as("a redelivery is not new").isFalse();
        List<CompletableFuture<Boolean>> claims = IntStream.range(0, 8)
                .mapToObj(replica -> CompletableFuture.supplyAsync(() ->
                        commands.claim("claim-race-1", "race", "replica-" + replica, Duration.ofSeconds(30), true)))
                .toList();
        assertThat(claims.stream().map(CompletableFuture::join).filter(won -> won)).hasSize(1);
    }

    @Test
    void aSecondCommandOnTheSameClusterWaitsUntilTheFirstIsDone() {
        commands.insertIfNew(stop("serial-1", "serial"));
        commands.insertIfNew(stop("serial-2", "serial"));
        assertThat(commands.claim("serial-1", "serial", "a", Duration.ofSeconds(30), true)).isTrue();
        assertThat(commands.claim("serial-2", "serial", "b", Duration.ofSeconds(30), true)).isFalse();
        commands.finish("serial-1", "a", io.maestro.provisioner.CommandStatus.SUCCEEDED, "done", null);
        assertThat(commands.claim("serial-2", "serial", "b", Duration.ofSeconds(30), true)).isTrue();
    }

    @Test
    void aFreshExecIsLeftToTheReplicaThatAcceptedItWhileQueuedCommandsAreTakenAtOnce() {
        commands.insertIfNew(new ProvisioningCommand("fresh-exec-1", Instant.now(), ProvisioningCommand.Type.EXEC, "fresh",
                null, null, null, null, null, null, "uptime", null, "ops-alice"));
        commands.insertIfNew(stop("fresh-stop-1", "fresh"));
        assertThat(commands.claimable(100, Duration.ofSeconds(30))).extracting(c -> c.id())
                .contains("fresh-stop-1").doesNotContain("fresh-exec-1");
        // The replica died before claiming it: once the grace is over, any replica's sweep takes it.
        sql.update("update command set created_at = now() - interval '31 seconds' where id = 'fresh-exec-1'");
        assertThat(commands.claimable(100, Duration.ofSeconds(30))).extracting(c -> c.id()).contains("fresh-exec-1");
    }

    @Test
    void aCommandWhoseReplicaDiedIsResumedByAnotherOnceTheLeaseLapses() {
        commands.insertIfNew(stop("orphan-1", "orphan"));
        assertThat(commands.claim("orphan-1", "orphan", "dead-replica", Duration.ofSeconds(30), true)).isTrue();
        assertThat(commands.find("orphan-1").orElseThrow().runner()).isEqualTo("dead-replica");
        assertThat(commands.claim("orphan-1", "orphan", "other", Duration.ofSeconds(30), true)).isFalse();
        sql.update("update command set lease_until = now() - interval '1 second' where id = 'orphan-1'");
        // Whoever resumes it reads who issued it, so its later events name the same actor.
        assertThat(commands.claimable(100, Duration.ofSeconds(30))).filteredOn(c -> c.id().equals("orphan-1"))
                .extracting(c -> c.request().actor()).containsExactly("ops-alice");
        assertThat(commands.claim("orphan-1", "orphan", "other", Duration.ofSeconds(30), true)).isTrue();
        // The dead replica can no longer finish it.
        commands.finish("orphan-1", "dead-replica", io.maestro.provisioner.CommandStatus.FAILED, "late", null);
        assertThat(commands.find("orphan-1").orElseThrow().status()).isEqualTo(io.maestro.provisioner.CommandStatus.RUNNING);
        assertThat(commands.find("orphan-1").orElseThrow().runner()).isEqualTo("other");
    }
}
