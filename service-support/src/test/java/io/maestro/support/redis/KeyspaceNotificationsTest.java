package io.maestro.support.redis;

import io.maestro.support.connections.ConnectionSettings;
import io.vertx.mutiny.redis.client.Redis;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The keyspace subscription on a real Redis: what it hears, how it survives a killed connection, what readiness says. */
class KeyspaceNotificationsTest {
    private static TestRedis redis;
    private final List<KeyspaceNotifications> started = new ArrayList<>();

    /** Remembers what it is told. */
    static final class Recorder implements KeyspaceNotifications.Listener {
        final AtomicInteger subscribed = new AtomicInteger();
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void onSubscribed() {
            subscribed.incrementAndGet();
        }

        @Override
        public void onNotification(String event, String key) {
            heard.add(event + " " + key);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start("notifications");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @AfterEach
    void stopAll() {
        started.forEach(KeyspaceNotifications::stop);
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "KEA");
    }

    private KeyspaceNotifications start(String required, boolean mayConfigure, List<String> keyevents, List<String> patterns,
                                        Recorder listener) {
        return start(redis.admin, required, mayConfigure, keyevents, patterns, listener);
    }

    private KeyspaceNotifications start(Redis client, String required, boolean mayConfigure, List<String> keyevents,
                                        List<String> patterns, Recorder listener) {
        KeyspaceSettings settings = new KeyspaceSettings(client, "test-service", required, "test.notifications.configure",
                mayConfigure, ConnectionSettings.of(Map.of("quarkus.redis.hosts", redis.server.url())));
        KeyspaceNotifications notifications = new KeyspaceNotifications(client, redis.vertx, settings,
                new KeyspaceNotifications.Options(keyevents, patterns, "test:replica:" + started.size() + ":" + System.nanoTime(),
                        Duration.ofMillis(200), Duration.ofMillis(50)), listener);
        started.add(notifications);
        notifications.start();
        return notifications;
    }

    @Test
    void theListenerHearsTheKeyEventsAndKeyPatternsItAskedForAndNothingElse() {
        Recorder listener = new Recorder();
        KeyspaceNotifications notifications = start("KEx$", true, List.of("expired"), List.of("watched:*"), listener);
        await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
        assertThat(listener.subscribed.get()).isEqualTo(1);
        assertThat(notifications.database()).isZero();

        redis.run("SET", "short-lived", "1", "PX", "20");
        redis.run("SET", "watched:a", "1");
        redis.run("SET", "other", "1");
        redis.run("DEL", "other");
        redis.run("SET", "watched:last", "1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listener.heard).contains("expired short-lived", "set watched:a", "set watched:last"));
        assertThat(listener.heard).noneMatch(heard -> heard.endsWith(" other"));
    }

    @Test
    void afterClientKillTheSubscriptionIsRebuiltAndTheListenerIsToldToReconcile() {
        Recorder listener = new Recorder();
        KeyspaceNotifications notifications = start("Eg", true, List.of("del"), List.of(), listener);
        await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
        for (int kill = 1; kill <= 3; kill++) {
            long before = notifications.subscriptions();
            redis.run("CLIENT", "KILL", "TYPE", "pubsub");
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.subscriptions() > before && notifications.isSubscribed());
            assertThat(listener.subscribed.get()).isEqualTo(kill + 1);
        }
        redis.run("SET", "after-kills", "1");
        redis.run("DEL", "after-kills");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.heard.contains("del after-kills"));
    }

    @Test
    void aUserThatMayNotRunClientInfoIsSubscribedToTheDatabaseOfItsUrl() {
        redis.run("ACL", "SETUSER", "no-client", "on", ">no-client-secret", "~*", "&*", "+@all", "-client");
        try {
            Redis limited = redis.client("redis://no-client:no-client-secret@127.0.0.1:" + redis.server.port());
            Recorder listener = new Recorder();
            KeyspaceNotifications notifications = start(limited, "Eg", true, List.of("del"), List.of(), listener);
            await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
            assertThat(notifications.database()).isZero();
            redis.run("SET", "limited-user", "1");
            redis.run("DEL", "limited-user");
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.heard.contains("del limited-user"));
        } finally {
            redis.run("ACL", "DELUSER", "no-client");
        }
    }

    @Test
    void theLivenessPingLeavesAHealthySubscriptionAlone() {
        Recorder listener = new Recorder();
        KeyspaceNotifications notifications = start("Eg", true, List.of("del"), List.of(), listener);
        await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
        long before = notifications.subscriptions();
        await().pollDelay(Duration.ofMillis(4_500)).atMost(Duration.ofSeconds(6)).until(() -> true); // two pings
        assertThat(notifications.subscriptions()).isEqualTo(before);
        assertThat(listener.subscribed.get()).isEqualTo(1);
    }

    @Test
    void readinessIsDownNamingNotifyKeyspaceEventsWhenTheFlagsAreMissingAndConfigSetIsOff() {
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "");
        KeyspaceNotifications notifications = start("Ex", false, List.of("expired"), List.of(), new Recorder());
        KeyspaceReadiness readiness = new KeyspaceReadiness(notifications);

        HealthCheckResponse down = readiness.call();
        assertThat(down.getName()).isEqualTo("Redis keyspace notifications");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        Map<String, Object> data = down.getData().orElseThrow();
        assertThat(data).containsEntry("setting", "notify-keyspace-events").containsEntry("required", "Ex");
        assertThat((String) data.get("problem")).contains("set notify-keyspace-events to \"Ex\"")
                .contains("test.notifications.configure=false");
        assertThat(redis.keyspaceEvents()).isEmpty(); // not touched

        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "Ex");
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);
        assertThat(readiness.call().getData().orElseThrow()).doesNotContainKey("problem");
    }

    @Test
    void flagsSomeoneTurnedOffAreTurnedBackOnByThePeriodicCheckWhenAllowed() {
        KeyspaceNotifications notifications = start("Ex", true, List.of("expired"), List.of(), new Recorder());
        assertThat(notifications.settings().status().enabled()).isTrue();
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "");
        await().atMost(Duration.ofSeconds(10)).until(() -> KeyspaceSettings.missing("Ex", redis.keyspaceEvents()).isEmpty());
    }
}
