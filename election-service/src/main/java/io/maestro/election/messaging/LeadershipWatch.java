package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.ElectionKeys;
import io.maestro.events.EventCodec;
import io.maestro.support.watch.WatchEvent;
import io.maestro.support.watch.WatchHub;
import io.maestro.support.watch.WatchSource;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The watches of this replica, on the shared {@link WatchHub}: one follower per shard reads the shard's event log with a
 * blocking {@code XREAD} (reactive: it holds one connection, no thread) and wakes the watchers of each group it sees; the hub
 * reads a group's events after each watcher's position. Every replica follows the whole log, so a watcher sees the
 * changes made through any replica, in log order, and one that resumes from an event id first gets what it missed.
 */
@ApplicationScoped
public class LeadershipWatch implements WatchSource {
    static final String EVENT_NAME = "LeadershipChanged";
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final int FOLLOW_BATCH = 500;

    private final ReactiveStreamCommands<String, String, String> stream;
    private final Vertx vertx;
    private final WatchHub hub;
    private final ElectionKeys keys;
    private volatile boolean running;

    public LeadershipWatch(ReactiveRedisDataSource redis, Vertx vertx, ElectionConfig config) {
        this.stream = redis.stream(String.class);
        this.vertx = vertx;
        this.keys = ElectionKeys.of(config);
        this.hub = new WatchHub(vertx, this, "group", new WatchHub.Settings(config.watch().keepAlive(), config.watch().buffer(), Duration.ZERO));
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        keys.shards().all().forEach(shard -> follow(keys.events(shard), null));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        hub.close();
    }

    /**
     * The events of {@code group} as Server-Sent Events, from now on or from just after {@code afterId}.
     */
    public Multi<OutboundSseEvent> watch(Sse sse, String group, String afterId) {
        return hub.watch(sse, group, afterId);
    }

    /** Follows a shard's log from {@code last} (null: from its newest entry), waking the groups of what it reads. */
    private void follow(String log, String last) {
        if (!running) {
            return;
        }
        Uni<String> from = last != null ? Uni.createFrom().item(last) : newestId(log);
        from.chain(id -> stream.xread(log, id, new XReadArgs().block(BLOCK).count(FOLLOW_BATCH))
                        .map(batch -> {
                            String next = id;
                            for (StreamMessage<String, String, String> message : batch) {
                                next = message.id();
                                hub.wake(message.payload().get("group"));
                            }
                            return next;
                        }))
                .subscribe().with(next -> follow(log, next), e -> {
                    if (running) {
                        Log.warnf("watch feed: reading the event log failed (%s); retrying", e.getMessage());
                        // the watchers may have missed a wake-up while the log could not be read
                        vertx.setTimer(500, t -> {
                            hub.wakeAll();
                            follow(log, last);
                        });
                    }
                });
    }

    private Uni<String> newestId(String log) {
        return stream.xrevrange(log, StreamRange.of("+", "-"), 1)
                .map(newest -> newest.isEmpty() ? "0-0" : newest.get(0).id());
    }

    /** A new watcher starts at the newest entry; otherwise the group's entries after its id, scanning its shard's log. */
    @Override
    public Uni<Page> read(String group, String cursor, int limit) {
        String log = keys.events(keys.shardOf(group));
        if (cursor == null) {
            return newestId(log).map(id -> new Page(List.of(), id, false));
        }
        return stream.xrange(log, StreamRange.of("(" + cursor, "+"), limit).map(messages -> {
            List<WatchEvent> events = new ArrayList<>();
            for (StreamMessage<String, String, String> message : messages) {
                if (group.equals(message.payload().get("group"))) {
                    LeadershipEventLog.Entry entry = LeadershipEventLog.entry(message.id(), message.payload());
                    events.add(new WatchEvent(entry.id(), EVENT_NAME, EventCodec.encodeToString(entry.event())));
                }
            }
            // past the other groups' entries too: the next read starts after everything scanned
            String scanned = messages.isEmpty() ? cursor : messages.get(messages.size() - 1).id();
            return new Page(events, scanned, messages.size() >= limit);
        });
    }
}
