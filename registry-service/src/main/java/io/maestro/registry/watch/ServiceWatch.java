package io.maestro.registry.watch;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.notifications.KeyspaceListener;
import io.maestro.registry.store.LogEntry;
import io.maestro.registry.store.RegistryStore;
import io.maestro.support.watch.WatchEvent;
import io.maestro.support.watch.WatchHub;
import io.maestro.support.watch.WatchSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.List;
import java.util.Map;

/**
 * The service watches of this replica, on the shared {@link WatchHub}, woken by the keyspace notification of each
 * {@code xadd} to a service's change log (and when the subscription is re-established, and every few seconds as a
 * safety net). A watcher gets a snapshot first when it gave no revision or one that can no longer be replayed (too
 * old: trimmed from the log; or ahead of Redis: another data set), then every change after its revision.
 */
@ApplicationScoped
public class ServiceWatch implements KeyspaceListener, WatchSource {
    static final String SNAPSHOT_EVENT = "snapshot";
    static final String CHANGE_EVENT = "change";

    private final RegistryStore store;
    private final WatchHub hub;

    public ServiceWatch(RegistryStore store, Vertx vertx, RegistryConfig config) {
        this.store = store;
        this.hub = new WatchHub(vertx, this, "service",
                new WatchHub.Settings(config.watch().keepAlive(), config.watch().buffer(), config.watch().recheckInterval()));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        hub.close();
    }

    /** Number of open watches on this replica. */
    public int watchCount() {
        return hub.watchCount();
    }

    /**
     * The event stream of one watch.
     *
     * @param afterRevision the last revision the watcher has seen, or null for a snapshot first
     */
    public Multi<OutboundSseEvent> watch(Sse sse, String service, Long afterRevision) {
        return hub.watch(sse, service, afterRevision == null ? null : afterRevision.toString());
    }

    // Called on the event loop that received the notification: the hub reads at once, without another hop.
    @Override
    public void onLogAppended(String service) {
        hub.wake(service);
    }

    @Override
    public void onSubscribed() {
        hub.wakeAll();
    }

    @Override
    public Uni<Page> read(String service, String cursor, int limit) {
        if (cursor == null) {
            return snapshot(service);
        }
        long after = Long.parseLong(cursor);
        return changes(service, after, limit).chain(changes -> {
            if (!changes.isEmpty()) {
                return replay(service, after, changes, limit);
            }
            // Nothing logged after it: up to date, ahead of Redis (snapshot), or changed since the read (read again).
            return store.revision(service).chain(revision -> {
                if (revision == after) {
                    return Uni.createFrom().item(new Page(List.of(), cursor, false));
                }
                if (revision < after) {
                    return snapshot(service);
                }
                return changes(service, after, limit).chain(again -> replay(service, after, again, limit));
            });
        });
    }

    private Uni<List<LogEntry>> changes(String service, long after, int limit) {
        return store.changesAfter(Map.of(service, after), limit).map(changes -> changes.getOrDefault(service, List.of()));
    }

    /** The changes after {@code after}, or a snapshot when the log no longer starts right after it (trimmed). */
    private Uni<Page> replay(String service, long after, List<LogEntry> changes, int limit) {
        if (changes.isEmpty() || changes.get(0).revision() != after + 1) {
            return snapshot(service);
        }
        List<WatchEvent> events = changes.stream()
                .map(change -> new WatchEvent(Long.toString(change.revision()), CHANGE_EVENT, change.json()))
                .toList();
        return Uni.createFrom().item(Page.of(events, Long.toString(after), limit));
    }

    private Uni<Page> snapshot(String service) {
        return store.snapshotJson(service).map(snapshot -> {
            String revision = Long.toString(snapshot.revision());
            return new Page(List.of(new WatchEvent(revision, SNAPSHOT_EVENT, snapshot.json())), revision, false);
        });
    }
}
