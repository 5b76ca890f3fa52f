package io.maestro.support.watch;

import io.maestro.events.EventCodec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live watches of one endpoint on this replica, fanned out per key (a service, a group, a command). Each watcher
 * is sent the events of its key after its cursor, read from the {@link WatchSource} when the log says it grew
 * ({@link #wake}): never polled per client. Watchers at the same cursor share one read. A watcher resumes after a
 * cursor (its {@code Last-Event-ID}) and gets what it missed first, then the live events, in log order, each once.
 *
 * <p>Keep-alive lines are SSE comments. A watcher holds at most {@code buffer} unsent items: one that falls further
 * behind is sent a final {@value #FELL_BEHIND_EVENT} event naming the cursor to resume after, and its stream ends,
 * so a slow client never costs unbounded memory.
 *
 * <p>Thread-safe: each key's state is guarded by its own lock, reads are reactive and run one at a time per key
 * (a wake during a read makes the read run again), and events are emitted from the thread the read completes on.
 */
public final class WatchHub implements AutoCloseable {
    /** The name of the last event of a watcher that fell too far behind; its data is a {@link FellBehind}. */
    public static final String FELL_BEHIND_EVENT = "fell-behind";
    /** OpenAPI text describing the end of a stream for a slow watcher, for the endpoints' descriptions. */
    public static final String FELL_BEHIND_DESCRIPTION = " A watcher that falls too far behind gets a last event '" + FELL_BEHIND_EVENT
            + "' (data: {\"reason\": ..., \"resumeAfter\": cursor}, its id the last event it was sent) and the stream ends: "
            + "reconnect with Last-Event-ID (or the query parameter) set to resumeAfter.";
    static final int READ_LIMIT = 512;
    private static final Logger LOG = Logger.getLogger(WatchHub.class);

    /** The data of a {@value #FELL_BEHIND_EVENT} event. */
    public record FellBehind(String reason, String resumeAfter) {
    }

    /**
     * @param keepAlive interval of keep-alive comments (zero: none)
     * @param buffer    items a watcher may have unsent before its stream ends
     * @param recheck   interval at which every watched key is read again, a safety net under wake-ups (zero: none)
     */
    public record Settings(Duration keepAlive, int buffer, Duration recheck) {
    }

    private final Vertx vertx;
    private final WatchSource source;
    private final String name;
    private final int buffer;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicInteger watchCount = new AtomicInteger();
    private final List<Long> timers = new ArrayList<>();

    /** @param name what is watched, for logs (e.g. "service") */
    public WatchHub(Vertx vertx, WatchSource source, String name, Settings settings) {
        this.vertx = vertx;
        this.source = source;
        this.name = name;
        this.buffer = Math.max(1, settings.buffer());
        if (!settings.keepAlive().isZero()) {
            timers.add(vertx.setPeriodic(settings.keepAlive().toMillis(), id -> topics.values().forEach(Topic::keepAlive)));
        }
        if (!settings.recheck().isZero()) {
            timers.add(vertx.setPeriodic(Math.max(100, settings.recheck().toMillis()), id -> wakeAll()));
        }
    }

    /** Number of open watches. */
    public int watchCount() {
        return watchCount.get();
    }

    /** Whether {@code key} has a watcher (a wake-up of any other key is a no-op). */
    public boolean watched(String key) {
        return topics.containsKey(key);
    }

    /**
     * The event stream of one watcher.
     *
     * @param cursor the cursor to resume after, or null (the source decides where a new watcher starts)
     */
    public Multi<OutboundSseEvent> watch(Sse sse, String key, String cursor) {
        AtomicInteger unsent = new AtomicInteger();
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
                    Watcher watcher = new Watcher(key, sse, emitter, unsent, cursor);
                    emitter.onTermination(() -> remove(watcher));
                    add(watcher);
                }, BackPressureStrategy.BUFFER)
                .onItem().invoke(unsent::decrementAndGet);
    }

    /** The log of {@code key} grew: send its watchers what is new. Cheap when nobody watches it; never blocks. */
    public void wake(String key) {
        Topic topic = topics.get(key);
        if (topic != null) {
            topic.wake();
        }
    }

    /** Anything may have changed (e.g. a notification subscription was re-established): read every watched key. */
    public void wakeAll() {
        topics.values().forEach(Topic::wake);
    }

    /** Ends every watch (at shutdown). */
    @Override
    public void close() {
        timers.forEach(vertx::cancelTimer);
        topics.values().forEach(Topic::completeAll);
    }

    private void add(Watcher watcher) {
        while (true) {
            Topic topic = topics.computeIfAbsent(watcher.key, Topic::new);
            synchronized (topic) {
                if (!topic.closed) {
                    topic.watchers.add(watcher);
                    break;
                }
            }
        }
        watchCount.incrementAndGet();
        wake(watcher.key);
    }

    private void remove(Watcher watcher) {
        Topic topic = topics.get(watcher.key);
        if (topic == null) {
            return;
        }
        synchronized (topic) {
            watcher.ended = true;
            if (topic.watchers.remove(watcher)) {
                watchCount.decrementAndGet();
            }
            if (topic.watchers.isEmpty()) {
                topic.closed = true;
                topics.remove(watcher.key, topic);
            }
        }
    }

    private static final class Watcher {
        final String key;
        final Sse sse;
        final MultiEmitter<? super OutboundSseEvent> emitter;
        final AtomicInteger unsent;
        String cursor;
        /** The cursor of the last event sent: what the watcher resumes after. */
        String lastSent;
        boolean started;
        boolean ended;

        Watcher(String key, Sse sse, MultiEmitter<? super OutboundSseEvent> emitter, AtomicInteger unsent, String cursor) {
            this.key = key;
            this.sse = sse;
            this.emitter = emitter;
            this.unsent = unsent;
            this.cursor = cursor;
            this.lastSent = cursor;
        }
    }

    /** The watchers of one key and its read state; guarded by its own monitor. */
    private final class Topic {
        final String key;
        final Set<Watcher> watchers = new LinkedHashSet<>();
        boolean closed;
        boolean reading;
        boolean again;

        Topic(String key) {
            this.key = key;
        }

        void wake() {
            synchronized (this) {
                if (reading) {
                    again = true;
                    return;
                }
                reading = true;
                again = false;
            }
            read();
        }

        /** One round: one read per distinct cursor among the watchers, then another round if needed. */
        private void read() {
            Map<String, List<Watcher>> byCursor = new HashMap<>();
            synchronized (this) {
                for (Watcher watcher : watchers) {
                    byCursor.computeIfAbsent(watcher.cursor, c -> new ArrayList<>()).add(watcher);
                }
                if (byCursor.isEmpty()) {
                    reading = false;
                    return;
                }
            }
            Uni<Void> round = Uni.createFrom().voidItem();
            for (Map.Entry<String, List<Watcher>> group : byCursor.entrySet()) {
                round = round.chain(() -> source.read(key, group.getKey(), READ_LIMIT)
                        .invoke(page -> deliver(group.getKey(), group.getValue(), page))
                        .onFailure().invoke(e -> LOG.warnf("watch of %s %s: reading the log failed (%s); read again at the next change or recheck",
                                name, key, e.getMessage()))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid());
            }
            round.subscribe().with(done -> finishRound(), e -> finishRound());
        }

        private void finishRound() {
            synchronized (this) {
                if (!again || closed) {
                    reading = false;
                    return;
                }
                again = false;
            }
            read();
        }

        private synchronized void deliver(String cursor, List<Watcher> group, WatchSource.Page page) {
            for (Watcher watcher : group) {
                if (watcher.ended || !Objects.equals(watcher.cursor, cursor)) {
                    continue;
                }
                for (WatchEvent event : page.events()) {
                    if (!send(watcher, event)) {
                        break;
                    }
                }
                watcher.cursor = page.cursor();
                if (!watcher.started && !watcher.ended) {
                    // Tells the client it is registered: every change from here on reaches it.
                    watcher.started = true;
                    emit(watcher, watcher.sse.newEventBuilder().comment("watching " + key).build());
                }
            }
            if (page.more()) {
                again = true;
            }
        }

        /** Sends one event; false when the watcher ended (it fell behind, or the event was its last). */
        private boolean send(Watcher watcher, WatchEvent event) {
            if (watcher.ended) {
                return false;
            }
            if (watcher.unsent.get() >= buffer) {
                fellBehind(watcher);
                return false;
            }
            OutboundSseEvent.Builder sse = watcher.sse.newEventBuilder().id(event.cursor())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, event.json());
            if (event.name() != null) {
                sse.name(event.name());
            }
            emit(watcher, sse.build());
            watcher.lastSent = event.cursor();
            if (event.last()) {
                end(watcher);
                return false;
            }
            return true;
        }

        private void fellBehind(Watcher watcher) {
            String reason = "more than " + buffer + " events unsent: the client reads too slowly";
            OutboundSseEvent.Builder last = watcher.sse.newEventBuilder().name(FELL_BEHIND_EVENT)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, EventCodec.encodeToString(new FellBehind(reason, watcher.lastSent)));
            if (watcher.lastSent != null) {
                last.id(watcher.lastSent);
            }
            LOG.debugf("watch of %s %s: %s; ended", name, key, reason);
            emit(watcher, last.build());
            end(watcher);
        }

        private void emit(Watcher watcher, OutboundSseEvent event) {
            watcher.unsent.incrementAndGet();
            watcher.emitter.emit(event);
        }

        private void end(Watcher watcher) {
            remove(watcher); // now: the emitter reports its termination only once the client has read what is buffered
            watcher.emitter.complete();
        }

        synchronized void keepAlive() {
            for (Watcher watcher : watchers) {
                if (watcher.started && !watcher.ended && watcher.unsent.get() == 0) {
                    emit(watcher, watcher.sse.newEventBuilder().comment("keep-alive").build());
                }
            }
        }

        synchronized void completeAll() {
            for (Watcher watcher : new ArrayList<>(watchers)) {
                if (!watcher.ended) {
                    end(watcher);
                }
            }
        }
    }
}
