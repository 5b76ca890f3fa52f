package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/** Per-key leadership: keys spread evenly over the candidates that declared them, and move as little as possible. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyBalancingTest {
    private static final List<String> KEYS = IntStream.range(0, 1000).mapToObj(i -> "key-" + i).toList();

    @Test
    void tenCandidatesOwnAHundredKeysEachAndOnlyTheKeysOfOneThatLeavesMove() {
        String group = "balance-ten";
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            tokens.put("unit-" + i, Candidates.join(group, "unit-" + i, 120_000, KEYS));
        }
        releaseEverythingAsked(group, tokens);

        Map<String, String> owners = owners(group);
        assertThat(owners).hasSize(1000);
        Map<String, Long> counts = count(owners);
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(90L, 110L));

        Candidates.resign(group, "unit-3", tokens.remove("unit-3")).then().statusCode(204);
        Map<String, String> after = owners(group);
        List<String> moved = KEYS.stream().filter(k -> !owners.get(k).equals(after.get(k))).toList();
        assertThat(moved).hasSize(counts.get("unit-3").intValue())
                .allSatisfy(k -> assertThat(owners.get(k)).isEqualTo("unit-3"));
        double share = 1000 / 9.0;
        assertThat(count(after).values()).hasSize(9).allSatisfy(n -> assertThat(n).isBetween((long) (share * 0.9), (long) (share * 1.1) + 1));

        Candidates.join(group, "unit-10", 120_000, KEYS);
        tokens.put("unit-10", null);
        Map<String, Map<String, Object>> pending = handoffs(group);
        assertThat(pending.values()).allSatisfy(h -> assertThat(h.get("handingOverTo")).isEqualTo("unit-10"));
        assertThat(pending).hasSize(100);
    }

    @Test
    void aRebalanceWaitsForTheHolderToLetGoAndGivesAHigherToken() {
        String group = "balance-handoff";
        String a = Candidates.join(group, "a", 60_000, List.of("k1", "k2"));
        Candidates.heartbeat(group, "a", a).then().body("keys.key", contains("k1", "k2"));
        String b = Candidates.join(group, "b", 60_000, List.of("k1", "k2"));

        String moving = Candidates.heartbeat(group, "a", a).then().statusCode(200).extract().path("releasing[0]");
        String staying = moving.equals("k1") ? "k2" : "k1";
        Candidates.heartbeat(group, "a", a).then().body("keys.key", contains(staying));
        Candidates.heartbeat(group, "b", b).then().body("keys", empty());
        Candidates.group(group).then().body("keys." + moving + ".owner", equalTo("a")).body("keys." + moving + ".handingOverTo", equalTo("b"));

        Candidates.release(group, "a", a, List.of(moving)).then().statusCode(200).body("releasing", empty());
        Candidates.heartbeat(group, "b", b).then().body("keys.key", contains(moving)).body("keys[0].fencingToken", equalTo(2));
    }

    @Test
    void aHandoffCompletesWhenTheHoldersLeaseAsItStoodRunsOut() {
        String group = "balance-timeout";
        String a = Candidates.join(group, "a", 3000, List.of("k1", "k2"));
        var heartbeats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            // a stays alive but never confirms the release
            heartbeats.scheduleAtFixedRate(() -> Candidates.heartbeat(group, "a", a), 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            String b = Candidates.join(group, "b", 60_000, List.of("k1", "k2"));
            String moving = Candidates.group(group).then().extract()
                    .path("keys.findAll { it.value.handingOverTo == 'b' }.collect { it.key }[0]");
            long releaseAt = java.time.Instant.parse(Candidates.group(group).then().extract().<String>path("keys." + moving + ".releaseAt")).toEpochMilli();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                    Candidates.group(group).then().body("keys." + moving + ".owner", equalTo("b")));
            long since = java.time.Instant.parse(Candidates.group(group).then().extract().<String>path("keys." + moving + ".since")).toEpochMilli();
            // The sweep settles it on time; the slack is for a stalled scheduler on a busy machine, far below the 3 s TTL.
            assertThat(since - releaseAt).isBetween(0L, 500L);
            Candidates.heartbeat(group, "b", b).then().body("keys.key", contains(moving));
            Candidates.heartbeat(group, "a", a).then().statusCode(200);
        } finally {
            heartbeats.shutdownNow();
        }
    }

    private static void releaseEverythingAsked(String group, Map<String, String> tokens) {
        for (var candidate : tokens.entrySet()) {
            List<String> releasing = Candidates.heartbeat(group, candidate.getKey(), candidate.getValue()).then().statusCode(200)
                    .extract().path("releasing");
            if (!releasing.isEmpty()) {
                Candidates.release(group, candidate.getKey(), candidate.getValue(), releasing).then().statusCode(200);
            }
        }
        assertThat(handoffs(group)).isEmpty();
    }

    private static Map<String, String> owners(String group) {
        Map<String, Map<String, Object>> keys = given().get("/v1/groups/{group}", group).then().statusCode(200).extract().path("keys");
        Map<String, String> owners = new LinkedHashMap<>();
        keys.forEach((k, v) -> owners.put(k, (String) v.get("owner")));
        return owners;
    }

    private static Map<String, Map<String, Object>> handoffs(String group) {
        Map<String, Map<String, Object>> keys = given().get("/v1/groups/{group}", group).then().extract().path("keys");
        Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
        keys.forEach((k, v) -> {
            if (v.containsKey("handingOverTo")) {
                pending.put(k, v);
            }
        });
        return pending;
    }

    private static Map<String, Long> count(Map<String, String> owners) {
        return new ArrayList<>(owners.values()).stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()));
    }
}
