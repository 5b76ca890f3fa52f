package io.maestro.election;

import io.maestro.client.election.ElectionClient;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Candidate priority: the highest live priority leads; a preferred candidate that joins (or comes back) takes the
 * seat by a graceful handover: the leader is told to let go, confirms, and only then is the preferred one elected.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class PriorityTest {
    @TestHTTPResource("/")
    URI base;

    static String join(String group, String candidateId, int priority) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("candidateId", candidateId, "ttlMillis", 60_000, "priority", priority))
                .post("/v1/groups/{group}/candidates", group)
                .then().statusCode(201).extract().path("token");
    }

    @Test
    void theHighestPriorityLeadsAndAPreferredJoinerTakesTheSeatOnlyOnceTheLeaderLetGo() {
        String group = "prio-rest";
        String lowToken = join(group, "low", 0);
        Candidates.heartbeat(group, "low", lowToken).then().body("leader", equalTo(true)).body("fencingToken", equalTo(1));
        String highToken = join(group, "high", 10);

        // the leader is asked to let go; until it confirms (or its lease as it stood runs out) nobody else leads
        Candidates.group(group).then().body("leader.candidateId", equalTo("low")).body("leader.handingOverTo", equalTo("high"))
                .body("candidates.find { it.candidateId == 'high' }.priority", equalTo(10));
        Candidates.heartbeat(group, "low", lowToken).then().body("leader", equalTo(false)).body("releasingLeadership", equalTo(true))
                .body("fencingToken", nullValue());
        Candidates.heartbeat(group, "high", highToken).then().body("leader", equalTo(false));

        given().header("X-Maestro-Token", lowToken).contentType(ContentType.JSON).body(Map.of("releasedLeadership", true))
                .put("/v1/groups/{group}/candidates/low/heartbeat", group)
                .then().statusCode(200).body("leader", equalTo(false)).body("releasingLeadership", equalTo(false));
        Candidates.heartbeat(group, "high", highToken).then().body("leader", equalTo(true)).body("fencingToken", equalTo(2));
        Candidates.group(group).then().body("leader.candidateId", equalTo("high")).body("leader.handingOverTo", nullValue());

        // an equal priority does not preempt: the eldest of the highest leads
        String peerToken = join(group, "peer", 10);
        Candidates.heartbeat(group, "high", highToken).then().body("leader", equalTo(true));
        Candidates.resign(group, "high", highToken).then().statusCode(204);
        Candidates.heartbeat(group, "peer", peerToken).then().body("leader", equalTo(true)).body("fencingToken", equalTo(3));
        Candidates.resign(group, "peer", peerToken);
        Candidates.resign(group, "low", lowToken);
    }

    @Test
    void aLeaderThatNeverConfirmsKeepsTheSeatUntilItsLeaseAsItStoodRunsOut() {
        String group = "prio-lease";
        String lowToken = given().contentType(ContentType.JSON).body(Map.of("candidateId", "low", "ttlMillis", 1500))
                .post("/v1/groups/{group}/candidates", group).then().statusCode(201).extract().path("token");
        String highToken = join(group, "high", 5);
        long asked = System.nanoTime();
        // low keeps heartbeating (its lease stays alive) but does not confirm: the seat passes at its old lease end
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Candidates.heartbeat(group, "low", lowToken).then().statusCode(200);
            return "high".equals(Candidates.group(group).then().extract().path("leader.candidateId"));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(2500));
        Candidates.heartbeat(group, "low", lowToken).then().statusCode(200).body("leader", equalTo(false));
        Candidates.resign(group, "high", highToken);
        Candidates.resign(group, "low", lowToken);
    }

    @Test
    void aPriorityOutOfRangeIsA400() {
        given().contentType(ContentType.JSON).body(Map.of("candidateId", "x", "priority", 1001))
                .post("/v1/groups/{group}/candidates", "prio-invalid")
                .then().statusCode(400).body("detail", containsString("priority: must be between 0 and 1000"));
        Candidates.group("prio-invalid").then().body("candidates.size()", equalTo(0));
    }

    @Test
    void aReturningPreferredClientTakesLeadershipBackWithNoTwoLeadersAtOnce() throws Exception {
        String group = "prio-client";
        List<Long> tokens = new CopyOnWriteArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean sampling = new AtomicBoolean(true);
        List<ElectionClient> units = new CopyOnWriteArrayList<>();
        // every millisecond: at most one of the units says it leads
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                if (units.stream().filter(ElectionClient::isMaster).count() > 1) {
                    overlap.set(true);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        sampler.start();
        try (ElectionClient low = unit(group, "standby", 0).onLeadershipGained(lease -> tokens.add(lease.fencingToken())).start()) {
            units.add(low);
            assertThat(low.awaitMaster(Duration.ofSeconds(5))).isTrue();
            for (int round = 0; round < 3; round++) {
                ElectionClient high = unit(group, "preferred-" + round, 100).onLeadershipGained(lease -> tokens.add(lease.fencingToken())).start();
                units.add(high);
                assertThat(high.awaitMaster(Duration.ofSeconds(5))).as("the preferred candidate takes the seat back").isTrue();
                assertThat(low.isMaster()).isFalse();
                high.quit(); // a graceful resign: the standby leads again at once
                units.remove(high);
                assertThat(low.awaitMaster(Duration.ofSeconds(2))).isTrue();
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(overlap).as("two units leading at once").isFalse();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(tokens).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L));
    }

    private ElectionClient.Builder unit(String group, String id, int priority) {
        return ElectionClient.builder(base, group, id).token(Tokens.admin()).ttl(Duration.ofSeconds(3)).priority(priority);
    }
}
