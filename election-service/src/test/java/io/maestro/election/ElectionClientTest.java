package io.maestro.election;

import io.maestro.client.election.Election;
import io.maestro.client.election.ElectionClient;
import io.maestro.client.election.Lease;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The msc-style client of maestro-client against the real service. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ElectionClientTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void onlyTheMasterRunsTasksAndItsTokenGoesUpAfterItQuits() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ElectionClient first = unit("client-master", "first", Duration.ofSeconds(6), List.of())
                .onLeadershipGained(lease -> seen.add("first gained " + lease.fencingToken())).start()) {
            assertThat(first.awaitMaster(Duration.ofSeconds(5))).isTrue();
            ElectionClient second = unit("client-master", "second", Duration.ofSeconds(6), List.of())
                    .onLeadershipGained(lease -> seen.add("second gained " + lease.fencingToken())).start();
            await().atMost(Duration.ofSeconds(5)).until(() -> second.lease().isEmpty()
                    && !"second".equals(Candidates.group("client-master").then().extract().path("leader.candidateId"))
                    && ((List<?>) Candidates.group("client-master").then().extract().path("candidates")).size() == 2);

            AtomicReference<Lease> ran = new AtomicReference<>();
            assertThat(first.doIfMaster(ran::set)).isTrue();
            assertThat(ran.get().fencingToken()).isEqualTo(1);
            assertThat(ran.get().isValid()).isTrue();
            assertThat(ran.get().remaining()).isLessThanOrEqualTo(Duration.ofSeconds(6));
            assertThat(second.doIfMaster(lease -> seen.add("second ran"))).isFalse();
            assertThat(second.isMaster()).isFalse();

            first.quit();
            assertThat(first.isMaster()).isFalse();
            assertThat(first.doIfMaster(lease -> seen.add("first ran after quit"))).isFalse();
            assertThat(second.awaitMaster(Duration.ofSeconds(3))).as("handover after quit is at once, not after the 6 s TTL").isTrue();
            assertThat(second.lease().orElseThrow().fencingToken()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("second gained 2"));
            second.quit();
        }
        assertThat(seen).containsExactly("first gained 1", "second gained 2");
    }

    @Test
    void keysSpreadAndAWithdrawnKeyPassesToTheOtherUnit() throws Exception {
        List<String> keys = List.of("k1", "k2", "k3", "k4", "k5", "k6");
        try (ElectionClient a = unit("client-keys", "a", Duration.ofSeconds(6), keys).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.heldKeys().size() == 6);
            try (ElectionClient b = unit("client-keys", "b", Duration.ofSeconds(6), keys).start()) {
                // a learns of the handoff at its next heartbeat (TTL/3) and confirms at once, before its lease would run out
                await().atMost(Duration.ofSeconds(5)).until(() -> b.heldKeys().size() == 3 && a.heldKeys().size() == 3);
                Set<String> all = new TreeSet<>(a.heldKeys());
                all.addAll(b.heldKeys());
                assertThat(all).containsExactlyElementsOf(keys);

                String aKey = a.heldKeys().iterator().next();
                assertThat(a.isMasterByKey(aKey)).isTrue();
                assertThat(b.isMasterByKey(aKey)).isFalse();
                AtomicLong token = new AtomicLong();
                assertThat(a.doIfMasterByKey(aKey, lease -> token.set(lease.fencingToken()))).isTrue();
                assertThat(b.doIfMasterByKey(aKey, lease -> token.set(-1))).isFalse();

                a.removeKey(aKey).get();
                assertThat(a.isMasterByKey(aKey)).isFalse();
                assertThat(b.awaitMasterByKey(aKey, Duration.ofSeconds(3))).isTrue();
                assertThat(b.lease(aKey).orElseThrow().fencingToken()).isGreaterThan(token.get());

                a.addKey("k7").get();
                await().atMost(Duration.ofSeconds(2)).until(() -> a.isMasterByKey("k7") || b.isMasterByKey("k7"));
            }
        }
    }

    @Test
    void aUnitThatCannotReachTheServiceStopsBeingMasterBeforeAnotherIsElected() throws Exception {
        try (FreezableProxy network = new FreezableProxy(base)) {
            AtomicLong lostAt = new AtomicLong();
            ElectionClient cutOff = ElectionClient.builder(network.uri(), "client-partition", "cut-off").token(Tokens.admin()).ttl(Duration.ofSeconds(2))
                    .watch(false).onLeadershipLost(() -> lostAt.set(System.nanoTime())).start();
            assertThat(cutOff.awaitMaster(Duration.ofSeconds(10))).isTrue();
            try (ElectionClient other = unit("client-partition", "other", Duration.ofSeconds(2), List.of()).start()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> ((List<?>) Candidates.group("client-partition").then().extract()
                        .path("candidates")).size() == 2);
                network.freeze();
                Lease lease = cutOff.lease().orElseThrow(); // the last lease it will ever have heard of
                assertThat(other.awaitMaster(Duration.ofSeconds(6))).isTrue();
                long electedAt = System.nanoTime();
                assertThat(cutOff.isMaster()).isFalse();
                assertThat(lease.isValid()).isFalse();
                assertThat(lease.deadlineNanos()).as("the cut-off unit's lease ended before the other was elected").isLessThan(electedAt);
                // The callback runs on the client's own thread and may come a moment later.
                await().atMost(Duration.ofSeconds(5)).until(() -> lostAt.get() != 0);
                assertThat(lostAt.get()).isGreaterThanOrEqualTo(lease.deadlineNanos());
                assertThat(other.lease().orElseThrow().fencingToken()).isGreaterThan(lease.fencingToken());
                network.thaw();
                cutOff.quit();
            }
        }
    }

    @Test
    void aReaderSeesTheLeaderTheCandidatesEldestFirstAndWhoHoldsEachKey() throws Exception {
        Election reader = Election.builder(base).token(Tokens.admin()).build();
        assertThat(reader.group("client-read").leader()).as("a group nobody joined").isNull();
        try (ElectionClient first = unit("client-read", "first", Duration.ofSeconds(6), List.of("k1")).start()) {
            assertThat(first.awaitMaster(Duration.ofSeconds(5))).isTrue();
            try (ElectionClient second = unit("client-read", "second", Duration.ofSeconds(6), List.of("k1")).start()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> reader.group("client-read").candidates().size() == 2);
                Election.Group group = reader.group("client-read");
                assertThat(group.leader().candidateId()).isEqualTo("first");
                assertThat(group.leader().fencingToken()).isEqualTo(first.lease().orElseThrow().fencingToken());
                assertThat(group.candidates()).extracting(Election.Candidate::candidateId).containsExactly("first", "second");
                assertThat(group.keys()).containsKey("k1");
                String owner = group.keys().get("k1").owner();
                assertThat(owner).isIn("first", "second");
            }
        }
    }

    @Test
    void anObserverIsToldEachLeaderOnceWithoutCampaigning() throws Exception {
        Election observer = Election.builder(base).token(Tokens.admin()).build();
        assertThat(observer.leader("client-observe")).as("nobody joined yet").isNull();
        List<String> told = new CopyOnWriteArrayList<>();
        try (AutoCloseable observing = observer.observe("client-observe",
                leader -> told.add(leader == null ? "nobody" : leader.candidateId() + "#" + leader.fencingToken()))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> told.equals(List.of("nobody")));
            try (ElectionClient first = unit("client-observe", "first", Duration.ofSeconds(6), List.of("k1")).start()) {
                assertThat(first.awaitMaster(Duration.ofSeconds(5))).isTrue();
                ElectionClient second = unit("client-observe", "second", Duration.ofSeconds(6), List.of("k1")).start();
                await().atMost(Duration.ofSeconds(5)).until(() -> observer.group("client-observe").candidates().size() == 2);
                await().atMost(Duration.ofSeconds(5)).until(() -> told.contains("first#1"));
                assertThat(observer.leader("client-observe").candidateId()).isEqualTo("first");
                first.quit(); // resigns: the second leads at once, and the observer hears of it (key moves are not told)
                assertThat(second.awaitMaster(Duration.ofSeconds(3))).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> told.contains("second#2"));
                second.quit();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> told.get(told.size() - 1).equals("nobody"));
        }
        assertThat(told.stream().filter(t -> !t.equals("nobody")).toList()).containsExactly("first#1", "second#2");
        // the observer was never a candidate
        assertThat(observer.group("client-observe").candidates()).isEmpty();
    }

    /** Runs {@link LeaderThatExits} in a JVM of its own (this test's classpath) and waits until it ended. */
    private void leaderExits(String group, boolean releaseOnShutdown) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LeaderThatExits.class.getName(),
                base.toString(), Tokens.admin(), group, Boolean.toString(releaseOnShutdown)).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("LEADING");
    }

    @Test
    void aStoppingJvmResignsSoTheNextLeaderNeedNotWaitOutTheLease() throws Exception {
        Election reader = Election.builder(base).token(Tokens.admin()).build();
        leaderExits("client-exit", true);
        // the lease was 20 s: gone already means the shutdown hook resigned
        assertThat(reader.group("client-exit").candidates()).isEmpty();
        assertThat(reader.leader("client-exit")).isNull();
    }

    @Test
    void withoutReleaseOnShutdownAStoppedLeaderHoldsItsLeaseUntilItRunsOut() throws Exception {
        Election reader = Election.builder(base).token(Tokens.admin()).build();
        leaderExits("client-exit-kept", false);
        assertThat(reader.leader("client-exit-kept").candidateId()).isEqualTo("exiting");
    }

    private ElectionClient.Builder unit(String group, String id, Duration ttl, List<String> keys) {
        return ElectionClient.builder(base, group, id).token(Tokens.admin()).ttl(ttl).keys(keys);
    }
}
