package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feeds the watches of this replica: one thread follows the event log with a blocking {@code XREAD} and hands
 * each event to the watchers of its group. Every replica follows the whole log, so a watcher sees the changes
 * made through any replica, in log order. A watcher that resumes from an event id first gets what it missed.
 */
@ApplicationScoped
public class LeadershipEventFeed {
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final ElectionConfig config;
    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    public LeadershipEventFeed(RedisDataSource redis, ReactiveRedisDataSource reactive, ElectionConfig config) {
        this.redis = redis;
        this.reactive = reactive;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::follow, "election-watch-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The events of {@code group} from now on, or from just after {@code afterId} when given. */
    public Multi<LeadershipEventLog.Entry> watch(String group, String afterId) {
        return Multi.createFrom().<LeadershipEventLog.Entry>emitter(emitter -> {
            Watcher watcher = new Watcher(emitter, afterId != null);
            Set<Watcher> set = watchers.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet());
            set.add(watcher);
            emitter.onTermination(() -> set.remove(watcher));
            if (afterId != null) {
                reactive.stream(String.class)
                        .xrange(LeadershipEventLog.STREAM, StreamRange.of("(" + afterId, "+"), config.watch().replayLimit())
                        .subscribe().with(
                                past -> watcher.replayed(past.stream()
                                        .map(m -> LeadershipEventLog.entry(m.id(), m.payload()))
                                        .filter(e -> e.event().group().equals(group)).toList()),
                                emitter::fail);
            }
        }, BackPressureStrategy.ERROR).onOverflow().buffer(config.watch().buffer());
    }

    private void follow() {
        String last = null;
        while (running) {
            try {
                if (last == null) {
                    List<StreamMessage<String, String, String>> newest = redis.stream(String.class)
                            .xrevrange(LeadershipEventLog.STREAM, StreamRange.of("+", "-"), 1);
                    last = newest.isEmpty() ? "0-0" : newest.get(0).id();
                }
                List<StreamMessage<String, String, String>> batch = redis.stream(String.class)
                        .xread(LeadershipEventLog.STREAM, last, new XReadArgs().block(BLOCK).count(500));
                for (StreamMessage<String, String, String> message : batch) {
                    last = message.id();
                    dispatch(LeadershipEventLog.entry(message.id(), message.payload()));
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Log.warnf("watch feed: reading the event log failed (%s); retrying", e.getMessage());
                sleep(500);
            }
        }
    }

    private void dispatch(LeadershipEventLog.Entry entry) {
        Set<Watcher> set = watchers.get(entry.event().group());
        if (set != null) {
            set.forEach(w -> w.offer(entry));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One watch: live events wait while missed ones are replayed; nothing is sent twice or out of order. */
    private static final class Watcher {
        private final MultiEmitter<? super LeadershipEventLog.Entry> emitter;
        private List<LeadershipEventLog.Entry> held;
        private String lastId;

        Watcher(MultiEmitter<? super LeadershipEventLog.Entry> emitter, boolean replaying) {
            this.emitter = emitter;
            this.held = replaying ? new ArrayList<>() : null;
        }

        synchronized void offer(LeadershipEventLog.Entry entry) {
            if (held != null) {
                held.add(entry);
            } else {
                deliver(entry);
            }
        }

        synchronized void replayed(List<LeadershipEventLog.Entry> past) {
            past.forEach(this::deliver);
            held.forEach(this::deliver);
            held = null;
        }

        private void deliver(LeadershipEventLog.Entry entry) {
            if (lastId != null && LeadershipEventLog.compareIds(entry.id(), lastId) <= 0) {
                return;
            }
            lastId = entry.id();
            emitter.emit(entry);
        }
    }
}
