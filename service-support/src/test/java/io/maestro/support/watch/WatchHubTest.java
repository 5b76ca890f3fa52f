package io.maestro.support.watch;

import io.maestro.events.EventCodec;
import io.maestro.localstack.Directories;
import io.maestro.localstack.ManagedServer;
import io.maestro.localstack.Ports;
import io.maestro.localstack.PostgresServer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.ws.rs.sse.OutboundSseEvent;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub's shared behaviour on a real log: a PostgreSQL table whose inserts NOTIFY a channel, followed by a
 * {@link PgChannelListener} that wakes the hub (as the provisioner's command events are).
 */
class WatchHubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static PostgresServer postgres;
    private static Vertx vertx;
    private static Pool pool;
    private static final AtomicInteger reads = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "watch-hub-test").toAbsolutePath();
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        postgres = new PostgresServer(dir.resolve("postgres"), Ports.free());
        ManagedServer.startAll(List.of(postgres), Duration.ofSeconds(90));
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(new PgConnectOptions()
                .setHost(Ports.LOOPBACK).setPort(postgres.port()).setDatabase("postgres")
                .setUser(PostgresServer.USER).setPassword(PostgresServer.PASSWORD)).using(vertx).build();
        sql("create table watch_event (seq bigserial primary key, key text not null, data text not null)");
        sql("create function watch_event_notify() returns trigger language plpgsql as $$ begin "
                + "perform pg_notify('watch_test', NEW.key); return NEW; end $$");
        sql("create trigger watch_event_notify after insert on watch_event for each row execute function watch_event_notify()");
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @AfterEach
    void closeHubs() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
    }

    private static List<Row> sql(String statement, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(statement).execute(Tuple.wrap(args)).toCompletionStage().toCompletableFuture().join().forEach(rows::add);
        return rows;
    }

    /** Appends an event to the log of {@code key}; its cursor. */
    private static String append(String key, String data) {
        return Long.toString(sql("insert into watch_event (key, data) values ($1, $2) returning seq", key, data).get(0).getLong("seq"));
    }

    /** The log: a watcher without cursor starts from the first event of its key. */
    private static final WatchSource SOURCE = (key, cursor, limit) -> {
        reads.incrementAndGet();
        long after = cursor == null ? 0 : Long.parseLong(cursor);
        return Uni.createFrom().completionStage(pool.preparedQuery("select seq, data from watch_event where key = $1 and seq > $2 order by seq limit $3")
                        .execute(Tuple.of(key, after, limit)).toCompletionStage())
                .map(rows -> {
                    List<WatchEvent> events = new ArrayList<>();
                    rows.forEach(row -> events.add(new WatchEvent(Long.toString(row.getLong("seq")), "test",
                            EventCodec.encodeToString(new Data(row.getString("data"))), row.getString("data").equals("last"))));
                    return WatchSource.Page.of(events, Long.toString(after), limit);
                });
    };

    record Data(String value) {
    }

    private WatchHub hub(Duration keepAlive, int buffer) {
        WatchHub hub = new WatchHub(vertx, SOURCE, "test key", new WatchHub.Settings(keepAlive, buffer, Duration.ZERO));
        PgChannelListener listener = new PgChannelListener(vertx, pool, "watch_test", Duration.ofMillis(200), hub::wake, hub::wakeAll).start();
        closing.add(hub);
        closing.add(listener);
        await().atMost(WAIT).until(listener::listening);
        return hub;
    }

    private static String key() {
        return "k-" + UUID.randomUUID();
    }

    private static List<OutboundSseEvent> events(AssertSubscriber<OutboundSseEvent> subscriber) {
        return subscriber.getItems().stream().filter(e -> e.getComment() == null).toList();
    }

    private static List<String> values(AssertSubscriber<OutboundSseEvent> subscriber) {
        return events(subscriber).stream().map(e -> EventCodec.decode((String) e.getData(), Data.class).value()).toList();
    }

    @Test
    void aWatcherResumingAfterACursorGetsWhatItMissedThenTheLiveEventsInOrderAndNothingOfOtherKeys() {
        WatchHub hub = hub(Duration.ZERO, 100);
        String key = key();
        String first = append(key, "one");
        append(key, "two");
        append(key(), "elsewhere");
        String third = append(key, "three");
        AssertSubscriber<OutboundSseEvent> watcher = hub.watch(SseImpl.INSTANCE, key, first).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> values(watcher).size() == 2);
        assertThat(values(watcher)).containsExactly("two", "three");
        assertThat(events(watcher).get(1).getId()).isEqualTo(third);
        assertThat(events(watcher)).extracting(OutboundSseEvent::getName).containsOnly("test");
        // the first comment says the watcher is registered: what is appended from now on reaches it
        assertThat(watcher.getItems()).anyMatch(e -> ("watching " + key).equals(e.getComment()));

        for (int i = 4; i <= 20; i++) {
            append(key, "n" + i);
        }
        await().atMost(WAIT).until(() -> values(watcher).size() == 19);
        assertThat(values(watcher).subList(2, 19)).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(4, 20).mapToObj(i -> "n" + i).toList());
        assertThat(hub.watchCount()).isEqualTo(1);
        watcher.cancel();
        await().atMost(WAIT).until(() -> hub.watchCount() == 0 && !hub.watched(key));
    }

    @Test
    void aSlowClientIsSentAFellBehindEventWithItsResumeCursorAndItsStreamEndsInsteadOfBufferingWithoutBound() {
        WatchHub hub = hub(Duration.ZERO, 4);
        String key = key();
        AssertSubscriber<OutboundSseEvent> slow = hub.watch(SseImpl.INSTANCE, key, null).subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<OutboundSseEvent> fast = hub.watch(SseImpl.INSTANCE, key, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> hub.watchCount() == 2 && !fast.getItems().isEmpty());
        List<String> cursors = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            cursors.add(append(key, "e" + i));
        }
        // the fast watcher gets everything; the slow one (reading nothing) is dropped by the hub
        await().atMost(WAIT).until(() -> values(fast).size() == 50);
        await().atMost(WAIT).until(() -> hub.watchCount() == 1);

        slow.request(1000);
        slow.awaitCompletion(WAIT);
        // its buffer held 4 items (the "watching" comment and 3 events), then the end of its stream
        assertThat(slow.getItems()).hasSize(5);
        assertThat(values(slow).subList(0, 3)).containsExactly("e1", "e2", "e3");
        OutboundSseEvent last = slow.getItems().get(4);
        assertThat(last.getName()).isEqualTo(WatchHub.FELL_BEHIND_EVENT);
        assertThat(last.getId()).isEqualTo(cursors.get(2));
        WatchHub.FellBehind fellBehind = EventCodec.decode((String) last.getData(), WatchHub.FellBehind.class);
        assertThat(fellBehind.resumeAfter()).isEqualTo(cursors.get(2));
        assertThat(fellBehind.reason()).contains("4");

        // resuming from there replays the rest
        AssertSubscriber<OutboundSseEvent> resumed = hub.watch(SseImpl.INSTANCE, key, fellBehind.resumeAfter()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> values(resumed).size() >= 4);
        assertThat(values(resumed).get(0)).isEqualTo("e4");
        resumed.cancel();
    }

    @Test
    void anIdleWatcherGetsKeepAliveCommentsAtTheConfiguredInterval() {
        WatchHub hub = hub(Duration.ofMillis(100), 100);
        AssertSubscriber<OutboundSseEvent> watcher = hub.watch(SseImpl.INSTANCE, key(), null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> watcher.getItems().stream().filter(e -> "keep-alive".equals(e.getComment())).count() >= 3);
        assertThat(events(watcher)).isEmpty();
        watcher.cancel();
    }

    @Test
    void anIdleWatchIsNotPolledAndAnEventOfAnotherKeyReadsNothing() {
        WatchHub hub = hub(Duration.ZERO, 100);
        String key = key();
        AssertSubscriber<OutboundSseEvent> watcher = hub.watch(SseImpl.INSTANCE, key, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> !watcher.getItems().isEmpty());
        int before = reads.get();
        append(key(), "not watched");
        // The notification of the other key arrives within milliseconds; for half a second the hub must not read.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> reads.get() == before);
        append(key, "watched");
        await().atMost(WAIT).until(() -> values(watcher).equals(List.of("watched")));
        assertThat(reads.get()).isBetween(before + 1, before + 2);
        watcher.cancel();
    }

    @Test
    void anEventAppendedWhileTheListenConnectionWasLostIsDeliveredOnceItListensAgain() {
        WatchHub hub = hub(Duration.ZERO, 100);
        String key = key();
        AssertSubscriber<OutboundSseEvent> watcher = hub.watch(SseImpl.INSTANCE, key, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(WAIT).until(() -> !watcher.getItems().isEmpty());
        sql("select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN watch_test'");
        append(key, "while away");
        await().atMost(WAIT).until(() -> values(watcher).equals(List.of("while away")));
        watcher.cancel();
    }

    @Test
    void theLastEventOfALogEndsTheStream() {
        WatchHub hub = hub(Duration.ZERO, 100);
        String key = key();
        append(key, "first");
        append(key, "last");
        AssertSubscriber<OutboundSseEvent> watcher = hub.watch(SseImpl.INSTANCE, key, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        watcher.awaitCompletion(WAIT);
        assertThat(values(watcher)).containsExactly("first", "last");
        await().atMost(WAIT).until(() -> hub.watchCount() == 0);
    }
}
