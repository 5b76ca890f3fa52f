package io.maestro.provisioner.expiry;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.messaging.ProvisioningEvents;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.service.CommandService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Destroys clusters whose ttl ran out. Each replica looks every {@code provisioner.ttl.check-interval}; a cluster
 * due is locked ({@code skip locked}: one replica takes it), gets a DESTROY command of the provisioner's own (actor
 * null) announced by {@code EXPIRING} then {@code ACCEPTED}, all in one transaction, and the command runs like any
 * other: claimed under a lease, resumed by another replica if this one dies.
 */
@ApplicationScoped
public class ClusterExpiry {
    private static final int BATCH = 20;

    private final ClusterRepository clusters;
    private final CommandRepository commands;
    private final ProvisioningEvents events;
    private final CommandService runner;
    private final ProvisionerConfig config;

    public ClusterExpiry(ClusterRepository clusters, CommandRepository commands, ProvisioningEvents events, CommandService runner,
                         ProvisionerConfig config) {
        this.clusters = clusters;
        this.commands = commands;
        this.events = events;
        this.runner = runner;
        this.config = config;
    }

    @Scheduled(every = "${provisioner.ttl.check-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void destroyExpired() {
        try {
            List<ProvisioningCommand> issued = Sessions.awaitTransaction(() -> clusters.lockExpired(BATCH, config.ttl().retryAfter())
                    .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::issueDestroy).collect().asList()));
            issued.forEach(runner::runSoon);
        } catch (RuntimeException e) {
            // PostgreSQL unreachable (or the service is stopping): the next round tries again.
            Log.debugf("expiry check skipped: %s", e.getMessage());
        }
    }

    private Uni<ProvisioningCommand> issueDestroy(ClusterRecord cluster) {
        ProvisioningCommand destroy = new ProvisioningCommand("ttl-" + UUID.randomUUID(), Instant.now(), ProvisioningCommand.Type.DESTROY,
                cluster.name(), null, null, null, null, null, null, null, null, null, null, null);
        String reason = "ttl " + cluster.ttl() + " ran out at " + cluster.expiresAt() + "; destroying the cluster";
        Log.infof("cluster %s: %s (command %s)", cluster.name(), reason, destroy.commandId());
        return commands.insertIfNew(destroy)
                .chain(() -> events.record(destroy, ProvisioningEvent.Type.EXPIRING, null, reason))
                .chain(() -> events.record(destroy, ProvisioningEvent.Type.ACCEPTED, null, destroy.type().name()))
                .chain(() -> clusters.markExpiring(cluster.name(), destroy.commandId()))
                .replaceWith(destroy);
    }
}
