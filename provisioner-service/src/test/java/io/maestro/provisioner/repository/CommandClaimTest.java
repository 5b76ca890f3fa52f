package io.maestro.provisioner.repository;

import io.maestro.events.ProvisioningCommand;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.CommandStatus;
import io.maestro.support.testing.TestDatabase;
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
    final TestDatabase sql = new TestDatabase();

    private boolean insert(ProvisioningCommand command) {
        return Sessions.awaitTransaction(() -> commands.insertIfNew(command));
    }

    private boolean claim(String id, String cluster, String owner) {
        return Sessions.awaitTransaction(() -> commands.claim(id, cluster, owner, Duration.ofSeconds(30), true));
    }

    private void finish(String id, String owner, CommandStatus status, String message) {
        Sessions.awaitTransaction(() -> commands.finish(id, owner, status, message, null));
    }

    private List<CommandRecord> claimable() {
        return Sessions.awaitSession(() -> commands.claimable(100, Duration.ofSeconds(30)));
    }

    private CommandRecord find(String id) {
        return Sessions.awaitSession(() -> commands.findCommand(id)).orElseThrow();
    }

    @Test
    void ofManyReplicasClaimingTheSameCommandAtOnceExactlyOneWins() {
        assertThat(insert(stop("claim-race-1", "race"))).isTrue();
        assertThat(insert(stop("claim-race-1", "race"))).as("a redelivery is not new").isFalse();
        List<CompletableFuture<Boolean>> claims = IntStream.range(0, 8)
                .mapToObj(replica -> CompletableFuture.supplyAsync(() ->
                        claim("claim-race-1", "race", "replica-" + replica)))
                .toList();
        assertThat(claims.stream().map(CompletableFuture::join).filter(won -> won)).hasSize(1);
    }

    @Test
    void aSecondCommandOnTheSameClusterWaitsUntilTheFirstIsDone() {
        insert(stop("serial-1", "serial"));
        insert(stop("serial-2", "serial"));
        assertThat(claim("serial-1", "serial", "a")).isTrue();
        assertThat(claim("serial-2", "serial", "b")).isFalse();
        finish("serial-1", "a", CommandStatus.SUCCEEDED, "done");
        assertThat(claim("serial-2", "serial", "b")).isTrue();
    }

    @Test
    void aFreshExecIsLeftToTheReplicaThatAcceptedItWhileQueuedCommandsAreTakenAtOnce() {
        insert(new ProvisioningCommand("fresh-exec-1", Instant.now(), ProvisioningCommand.Type.EXEC, "fresh",
                null, null, null, null, null, null, "uptime", null, null, null, "ops-alice"));
        insert(stop("fresh-stop-1", "fresh"));
        assertThat(claimable()).extracting(c -> c.id())
                .contains("fresh-stop-1").doesNotContain("fresh-exec-1");
        // The replica died before claiming it: once the grace is over, any replica's sweep takes it.
        sql.update("update command set created_at = now() - interval '31 seconds' where id = 'fresh-exec-1'");
        assertThat(claimable()).extracting(c -> c.id()).contains("fresh-exec-1");
    }

    @Test
    void aCommandWhoseReplicaDiedIsResumedByAnotherOnceTheLeaseLapses() {
        insert(stop("orphan-1", "orphan"));
        assertThat(claim("orphan-1", "orphan", "dead-replica")).isTrue();
        assertThat(find("orphan-1").runner()).isEqualTo("dead-replica");
        assertThat(claim("orphan-1", "orphan", "other")).isFalse();
        sql.update("update command set lease_until = now() - interval '1 second' where id = 'orphan-1'");
        // Whoever resumes it reads who issued it, so its later events name the same actor.
        assertThat(claimable()).filteredOn(c -> c.id().equals("orphan-1"))
                .extracting(c -> c.request().actor()).containsExactly("ops-alice");
        assertThat(claim("orphan-1", "orphan", "other")).isTrue();
        // The dead replica can no longer finish it.
        finish("orphan-1", "dead-replica", CommandStatus.FAILED, "late");
        assertThat(find("orphan-1").status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(find("orphan-1").runner()).isEqualTo("other");
    }

    @Test
    void aStoredCommandIsAJsonObjectThatSqlCanQueryNotAJsonString() {
        assertThat(Sessions.awaitTransaction(() -> commands.insertIfNew(stop("stored-json-1", "stored-json")))).isTrue();
        var row = sql.query("select jsonb_typeof(request) as kind, request ->> 'cluster' as cluster from command where id = 'stored-json-1'").get(0);
        assertThat(row.getString("kind")).isEqualTo("object");
        assertThat(row.getString("cluster")).isEqualTo("stored-json");
        assertThat(find("stored-json-1").request().cluster()).isEqualTo("stored-json");
    }
}
