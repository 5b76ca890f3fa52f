package io.maestro.registry.watch;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.notifications.KeyspaceListener;
import io.maestro.registry.store.LogEntry;
import io.maestro.registry.store.RegistryStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every watch of this replica. A watcher gets a snapshot first when it gave no revision or one that can no longer
 * be replayed, then every change after its revision, read from the service's change log in Redis when the
 * {@code xadd} notification arrives (and when the subscription is re-established, and every few seconds as a
 * safety net). Nothing is sent without a change (keep-alive lines are SSE comments, not events).
 *
 * <p>All state is confined to one thread ("registry-watch"), which also does the (short, blocking) Redis reads.
 */
@ApplicationScoped
public class WatchHub implements KeyspaceListener {
    static final String SNAPSHOT_EVENT = "snapshot";
    static final String CHANGE_EVENT = "change";
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    private static final int CHANGES_PER_READ = 512;

    private final RegistryStore store;
    private final int buffer;
    private final ScheduledExecutorService thread;
    private final Map<String, Set<Watcher>> watchers = new HashMap<>();
    private final Set<String> pumpQueued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger watchCount = new AtomicInteger();
    /** The services with a watcher (written on the hub thread, read by notification handlers). */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private Sse sse;

    public WatchHub(RegistryStore store, RegistryConfig config) {
        this.store = store;
        this.buffer = config.watch().buffer();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-watch");
            t.setDaemon(true);
            return t;
        });
        long recheck = Math.max(100, config.watch().recheckInterval().toMillis());
        thread.scheduleWithFixedDelay(this::recheckAll, recheck, recheck, TimeUnit.MILLISECONDS);
        long keepAlive = config.watch().keepAlive().toMillis();
        if (keepAlive > 0) {
            thread.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        thread.execute(() -> watchers.values().forEach(set -> set.forEach(w -> w.emitter.complete())));
        thread.shutdown();
    }

    private static final class Watcher {
        final String service;
        final MultiEmitter<? super OutboundSseEvent> emitter;
        final AtomicInteger unsent = new AtomicInteger();
        long revision = -1;
        boolean ended;

        Watcher(String service, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.service = service;
            this.emitter = emitter;
        }
    }

    /** Number of open watches on this replica. */
    public int watchCount() {
        return watchCount.get();
    }

    /**
     * The event stream of one watch.
     *
     * @param afterRevision the last revision the watcher has seen, or null for a snapshot first
     */
    public Multi<OutboundSseEvent> watch(Sse sse, String service, Long afterRevision) {
        this.sse = sse;
        AtomicInteger[] unsent = new AtomicInteger[1];
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
                    Watcher watcher = new Watcher(service, emitter);
                    unsent[0] = watcher.unsent;
                    emitter.onTermination(() -> thread.execute(() -> remove(watcher)));
                    thread.execute(() -> open(watcher, afterRevision));
                }, BackPressureStrategy.BUFFER)
                .onItem().invoke(item -> unsent[0].decrementAndGet());
    }

    private void open(Watcher watcher, Long afterRevision) {
        try {
            if (afterRevision == null) {
                sendSnapshot(watcher, store.snapshotJson(watcher.service).await().atMost(REDIS_TIMEOUT));
            } else {
                watcher.revision = afterRevision;
            }
            if (watchers.computeIfAbsent(watcher.service, s -> new LinkedHashSet<>()).add(watcher)) {
                watchCount.incrementAndGet();
            }
            watched.add(watcher.service);
            pump(watcher.service);
        } catch (RuntimeException e) {
            Log.warnf("watch of %s could not start: %s", watcher.service, e.getMessage());
            end(watcher, e);
        }
    }

    private void remove(Watcher watcher) {
        watcher.ended = true;
        Set<Watcher> set = watchers.get(watcher.service);
        if (set != null) {
            if (set.remove(watcher)) {
                watchCount.decrementAndGet();
            }
            if (set.isEmpty()) {
                watchers.remove(watcher.service);
                watched.remove(watcher.service);
            }
        }
    }

    @Override
    public void onLogAppended(String service) {
        schedulePump(service);
    }

    @Override
    public void onSubscribed() {
        thread.execute(this::recheckAll);
    }

    private void schedulePump(String service) {
        if (watched.contains(service) && pumpQueued.add(service)) {
            thread.execute(() -> {
                pumpQueued.remove(service);
                if (watchers.containsKey(service)) {
                    try {
                        pump(service);
                    } catch (RuntimeException e) {
                        Log.warnf("watch of %s: cannot read changes (%s); retried at the next recheck", service, e.getMessage());
                    }
                }
            });
        }
    }

    private void recheckAll() {
        for (String service : new ArrayList<>(watchers.keySet())) {
            try {
                pump(service);
            } catch (RuntimeException e) {
                Log.debugf("watch recheck of %s failed: %s", service, e.getMessage());
            }
        }
    }

    /** Sends each watcher of {@code service} the changes after its revision (a snapshot when they cannot be replayed). */
    private void pump(String service) {
        Set<Watcher> set = watchers.get(service);
        if (set == null || set.isEmpty()) {
            return;
        }
        while (true) {
            long from = set.stream().mapToLong(w -> w.revision).min().orElse(0);
            long current = store.revision(service).await().atMost(REDIS_TIMEOUT);
            if (set.stream().allMatch(w -> w.revision == current)) {
                return;
            }
            List<LogEntry> changes = store.changesAfter(Map.of(service, Math.max(0, from)), CHANGES_PER_READ)
                    .await().atMost(REDIS_TIMEOUT).getOrDefault(service, List.of());
            RegistryStore.RawSnapshot snapshot = null;
            for (Watcher watcher : new ArrayList<>(set)) {
                if (watcher.revision == current) {
                    continue;
                }
                boolean replayable = watcher.revision < current
                        && (changes.isEmpty() ? false : changes.get(0).revision() <= watcher.revision + 1);
                if (!replayable) {
                    // Too old (trimmed from the log) or from another data set (ahead of Redis): start over.
                    if (snapshot == null) {
                        snapshot = store.snapshotJson(service).await().atMost(REDIS_TIMEOUT);
                    }
                    sendSnapshot(watcher, snapshot);
                    continue;
                }
                for (LogEntry change : changes) {
                    if (change.revision() > watcher.revision) {
                        send(watcher, sse.newEventBuilder()
                                .name(CHANGE_EVENT)
                                .id(Long.toString(change.revision()))
                                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                                .data(String.class, change.json())
                                .build(), change.revision());
                    }
                }
            }
            if (changes.size() < CHANGES_PER_READ) {
                return;
            }
        }
    }

    private void sendSnapshot(Watcher watcher, RegistryStore.RawSnapshot snapshot) {
        send(watcher, sse.newEventBuilder()
                .name(SNAPSHOT_EVENT)
                .id(Long.toString(snapshot.revision()))
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, snapshot.json())
                .build(), snapshot.revision());
    }

    private void send(Watcher watcher, OutboundSseEvent event, long revision) {
        if (watcher.ended) {
            return;
        }
        if (watcher.unsent.incrementAndGet() > buffer) {
            // A watcher this far behind reconnects with afterRevision and is replayed or sent a snapshot.
            end(watcher, new IllegalStateException("watcher too slow: more than " + buffer + " events unsent"));
            return;
        }
        watcher.revision = revision;
        watcher.emitter.emit(event);
    }

    private void end(Watcher watcher, Throwable failure) {
        remove(watcher);
        watcher.emitter.fail(failure);
    }

    private void keepAlive() {
        if (sse == null) {
            return;
        }
        for (Set<Watcher> set : watchers.values()) {
            for (Watcher watcher : new ArrayList<>(set)) {
                if (watcher.unsent.get() == 0) {
                    watcher.unsent.incrementAndGet();
                    watcher.emitter.emit(sse.newEventBuilder().comment("keep-alive").build());
                }
            }
        }
    }
}
