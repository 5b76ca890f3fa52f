package io.maestro.election;

import io.maestro.client.election.ElectionClient;
import io.maestro.client.election.Lease;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.LeadershipChanged.Reason;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Many units race for a group and its keys with short leases for about 30 s while a chaos loop cuts some off the
 * network (longer or shorter than their TTL), makes others quit and come back. Every unit keeps trying to act as
 * master and as master of keys; each action is recorded on the common monotonic clock with its fencing token.
 *
 * <p>Checked: (1) from the event stream, per group and per key, every grant has a higher token than the one
 * before and comes only after the previous holder's lease ended (expired, resigned, or handed over);
 * (2) from the units' own actions, no two holders ever acted at overlapping times on the same group or key, and a
 * higher token always acted after a lower one; (3) Kafka got the same events in the same order, once each.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class LeadershipSafetyTest {
    private static final String GROUP = "safety-race";
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
    private static final int UNITS = 10;
    private static final Duration RUN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /**
     * One action of a unit on the group or a key, with the token it held, from start to end. A task must stop at its
     * lease deadline, so the checks take it as acting until {@code min(end, deadline)}.
     */
    record Action(String subject, String unit, long token, long start, long end, long deadline) {
    }

    private final ConcurrentLinkedQueue<Action> actions = new ConcurrentLinkedQueue<>();

    @Test
    void noTwoHoldersEverOverlapAndTokensOnlyGoUp() throws Exception {
        Random random = new Random(42);
        List<Unit> units = new ArrayList<>();
        AtomicInteger pauses = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        try (SseWatch watch = new SseWatch(base, GROUP, null)) {
            for (int i = 0; i < UNITS; i++) {
                List<String> keys = KEYS.stream().filter(k -> random.nextInt(3) > 0).toList();
                units.add(new Unit("unit-" + i, Duration.ofMillis(300 + random.nextInt(300)), keys));
            }
            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() - end < 0) {
                Unit unit = units.get(random.nextInt(units.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        pauses.incrementAndGet();
                        unit.cutOff(Duration.ofMillis(100 + random.nextInt(900)));
                    }
                    case 2 -> {
                        restarts.incrementAndGet();
                        unit.restart();
                    }
                    default -> { }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            units.forEach(Unit::stop);
            await().atMost(Duration.ofSeconds(5)).until(() -> Candidates.group(GROUP).then().extract()
                    .<List<?>>path("candidates").isEmpty());
            // Every subject's last event says nobody holds it: the watch has the whole story, keys included.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Map<String, LeadershipChanged> last = new HashMap<>();
                watch.changes().forEach(e -> last.put(e.key() == null ? "" : e.key(), e));
                return last.containsKey("") && last.values().stream().allMatch(e -> e.leader() == null);
            });

            List<LeadershipChanged> events = List.copyOf(watch.changes());
            checkEventStream(events);
            checkActions();
            checkKafkaHasTheSameEvents(events);

            long grants = events.stream().filter(e -> e.leader() != null).count();
            System.out.printf("safety run: %d units, %d pauses, %d restarts, %d grants, %d events, %d actions%n",
                    UNITS, pauses.get(), restarts.get(), grants, events.size(), actions.size());
            assertThat(grants).as("the run must exercise many changes of holder").isGreaterThan(100);
        } finally {
            units.forEach(Unit::stop);
        }
    }

    /** Per subject: grants with strictly increasing tokens, each after the previous holder's lease ended. */
    private static void checkEventStream(List<LeadershipChanged> events) {
        Map<String, String> holder = new HashMap<>();
        Map<String, Long> token = new HashMap<>();
        for (LeadershipChanged e : events) {
            String subject = e.subject();
            String current = holder.get(subject);
            long last = token.getOrDefault(subject, 0L);
            switch (e.reason()) {
                case ELECTED, REBALANCED -> {
                    if (e.reason() == Reason.ELECTED && current != null) {
                        fail("%s: %s elected while %s still held it: %s", subject, e.leader(), current, e);
                    }
                    if (e.reason() == Reason.REBALANCED && !e.previousLeader().equals(current)) {
                        fail("%s: rebalanced from %s but the holder was %s", subject, e.previousLeader(), current);
                    }
                    if (e.fencingToken() <= last) {
                        fail("%s: token %d after %d", subject, e.fencingToken(), last);
                    }
                    holder.put(subject, e.leader());
                    token.put(subject, e.fencingToken());
                }
                case EXPIRED, RESIGNED -> {
                    if (!e.previousLeader().equals(current) || e.fencingToken() != last || e.leader() != null) {
                        fail("%s: %s ended %s's lease %d but the holder was %s with %d", subject, e.reason(), e.previousLeader(),
                                e.fencingToken(), current, last);
                    }
                    holder.remove(subject);
                }
                default -> fail("unknown reason " + e.reason());
            }
        }
    }

    /** Per subject: actions under different tokens never overlap, and a higher token acts only after a lower one. */
    private void checkActions() {
        Map<String, List<Action>> bySubject = new HashMap<>();
        for (Action a : actions) {
            bySubject.computeIfAbsent(a.subject(), s -> new ArrayList<>()).add(a);
            assertThat(a.start()).as("an action starts only under a valid lease: %s", a).isLessThan(a.deadline());
        }
        assertThat(bySubject).containsKey(GROUP);
        for (var entry : bySubject.entrySet()) {
            List<Action> list = entry.getValue();
            list.sort(Comparator.comparingLong(Action::token).thenComparingLong(Action::start));
            Map<Long, String> holderOfToken = new HashMap<>();
            long lastEndOfLowerTokens = Long.MIN_VALUE;
            long currentToken = -1;
            long currentMaxEnd = Long.MIN_VALUE;
            for (Action a : list) {
                String previous = holderOfToken.putIfAbsent(a.token(), a.unit());
                assertThat(previous == null || previous.equals(a.unit())).as("token %d of %s held by %s and %s",
                        a.token(), entry.getKey(), previous, a.unit()).isTrue();
                if (a.token() != currentToken) {
                    lastEndOfLowerTokens = Math.max(lastEndOfLowerTokens, currentMaxEnd);
                    currentToken = a.token();
                }
                assertThat(a.start()).as("%s: %s acted with token %d while a lower token was still acting", entry.getKey(),
                        a.unit(), a.token()).isGreaterThanOrEqualTo(lastEndOfLowerTokens);
                currentMaxEnd = Math.max(currentMaxEnd, Math.min(a.end(), a.deadline()));
            }
        }
    }

    private void checkKafkaHasTheSameEvents(List<LeadershipChanged> events) {
        List<String> ids = events.stream().map(LeadershipChanged::eventId).toList();
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> kafkaEvents(task).size() >= ids.size());
                List<LeadershipChanged> kafka = kafkaEvents(task);
                assertThat(kafka.stream().map(LeadershipChanged::eventId).toList()).containsExactlyElementsOf(ids);
            } finally {
                task.stop();
            }
        }
    }

    private static List<LeadershipChanged> kafkaEvents(ConsumerTask<String, String> task) {
        List<LeadershipChanged> found = new ArrayList<>();
        for (var record : task.getRecords()) {
            if (record.key().equals(GROUP) || record.key().startsWith(GROUP + "/")) {
                found.add(EventCodec.decode(record.value(), LeadershipChanged.class));
            }
        }
        return found;
    }

    /** A unit behind its own network link, with a worker that keeps trying to act. */
    private final class Unit {
        private final String id;
        private final Duration ttl;
        private final List<String> keys;
        private final FreezableProxy link;
        private final Thread worker;
        private volatile ElectionClient client;
        private volatile boolean running = true;
        private volatile long thawAt;

        Unit(String id, Duration ttl, List<String> keys) throws Exception {
            this.id = id;
            this.ttl = ttl;
            this.keys = keys;
            this.link = new FreezableProxy(base);
            this.client = start();
            this.worker = new Thread(this::work, "worker-" + id);
            worker.setDaemon(true);
            worker.start();
        }

        private ElectionClient start() {
            return ElectionClient.builder(link.uri(), GROUP, id).token(Tokens.admin()).ttl(ttl).keys(keys).start();
        }

        void cutOff(Duration howLong) {
            link.freeze();
            thawAt = System.nanoTime() + howLong.toNanos();
        }

        void restart() {
            ElectionClient old = client;
            client = null;
            old.quit();
            client = start();
        }

        private void work() {
            Random random = new Random(id.hashCode());
            while (running) {
                if (thawAt != 0 && System.nanoTime() - thawAt > 0) {
                    thawAt = 0;
                    link.thaw();
                }
                ElectionClient c = client;
                if (c != null) {
                    c.doIfMaster(lease -> act(GROUP, lease));
                    String key = KEYS.get(random.nextInt(KEYS.size()));
                    c.doIfMasterByKey(key, lease -> act(GROUP + "/" + key, lease));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        private void act(String subject, Lease lease) {
            long start = System.nanoTime();
            long work = Math.min(TimeUnit.MILLISECONDS.toNanos(3), lease.deadlineNanos() - start);
            if (work <= 0) {
                return; // preempted past the deadline since doIfMaster checked: a careful task then does nothing
            }
            LockSupport.parkNanos(work);
            actions.add(new Action(subject, id, lease.fencingToken(), start, System.nanoTime(), lease.deadlineNanos()));
        }

        void stop() {
            if (!running) {
                return;
            }
            running = false;
            link.thaw();
            ElectionClient c = client;
            if (c != null) {
                c.quit();
            }
            link.close();
        }
    }
}
