package io.maestro.provisioner.service;

import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.Sessions;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.CompletableFuture;

/**
 * Nodes survive a restart of the service: at start, every node recorded as running is started again (idempotent
 * for drivers whose nodes never went away; local nodes come back with the same host key).
 */
@ApplicationScoped
public class NodeRevival {

    private final ClusterRepository clusters;
    private final ClusterOperations operations;

    public NodeRevival(ClusterRepository clusters, ClusterOperations operations) {
        this.clusters = clusters;
        this.operations = operations;
    }

    void onStart(@Observes StartupEvent event) {
        // Off the startup thread: the service is ready while nodes come back.
        CompletableFuture.runAsync(this::reviveAll);
    }

    public int reviveAll() {
        int revived = 0;
        for (ClusterRecord cluster : Sessions.awaitSession(clusters::listClusters)) {
            try {
                revived += operations.revive(cluster);
            } catch (RuntimeException e) {
                Log.warnf("cannot bring back the nodes of cluster %s: %s", cluster.name(), e.getMessage());
            }
        }
        if (revived > 0) {
            Log.infof("brought back %d running nodes", revived);
        }
        return revived;
    }
}
