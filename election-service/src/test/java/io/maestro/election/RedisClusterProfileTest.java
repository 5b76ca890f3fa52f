package io.maestro.election;

import io.maestro.election.store.ElectionStore;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import io.maestro.localstack.RedisCluster;
import io.maestro.localstack.RedisServer;
import io.maestro.support.redis.KeyspaceNotifications;
import io.maestro.support.testing.OnRedisCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The election service on a real Redis Cluster (three masters from the local stack), its groups spread over six
 * shards: each transition touches one slot, the shards live on several masters, leases that run out on any master
 * end (its own keyspace notifications), and every shard's events reach Kafka and the watchers of its groups.
 */
@QuarkusTest
@TestProfile(RedisClusterProfileTest.SixShards.class)
class RedisClusterProfileTest {
    static final int SHARDS = 6;

    public static class SixShards extends OnRedisCluster {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("election.shards", Integer.toString(SHARDS));
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @TestHTTPResource("/")
    URI base;
    @Inject
    ElectionStore store;
    @Inject
    KeyspaceNotifications notifications;

    /** A new group name for each shard, by shard. */
    Map<Integer, String> oneGroupPerShard() {
        return OnRedisCluster.oneNamePerShard(store.keys().shards(), "cluster");
    }

    @Test
    void groupsOfEveryShardLiveOnSeveralMastersAndTheirEventsReachKafkaAndWatchers() throws IOException {
        Map<Integer, String> groups = oneGroupPerShard();
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(Topics.ELECTION_LEADERSHIP);
            try {
                for (String group : groups.values()) {
                    try (SseWatch watch = new SseWatch(base, group, null)) {
                        String a = Candidates.join(group, "a", 10_000, List.of());
                        Candidates.join(group, "b", 10_000, List.of());
                        Candidates.resign(group, "a", a).then().statusCode(204);
                        await().atMost(Duration.ofSeconds(10)).until(() -> watch.changes().size() >= 3);
                        assertThat(watch.changes()).extracting(LeadershipChanged::leader).containsExactly("a", null, "b");
                    }
                }
                for (String group : groups.values()) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> LeadershipRecords.of(task, group).size() >= 3);
                    assertThat(LeadershipRecords.of(task, group)).extracting(LeadershipChanged::fencingToken).containsExactly(1L, 1L, 2L);
                }
            } finally {
                task.stop();
            }
        }
        Set<Integer> mastersHoldingAGroup = new HashSet<>();
        List<RedisServer> nodes = LocalStackResource.redisCluster().nodes();
        for (int n = 0; n < nodes.size(); n++) {
            for (String group : groups.values()) {
                if (!RedisCluster.call(nodes.get(n).port(), List.of("KEYS", store.keys().group(group) + "*")).isEmpty()) {
                    mastersHoldingAGroup.add(n);
                }
            }
        }
        assertThat(mastersHoldingAGroup).as("masters holding the shards' keys").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aLeaseThatRunsOutOnAnyMasterEndsAndTheNextCandidateLeads() {
        await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
        assertThat(notifications.subscriptions()).as("one keyspace subscription per master").isGreaterThanOrEqualTo(RedisCluster.MASTERS);
        List<String> groups = new ArrayList<>(oneGroupPerShard().values());
        for (String group : groups) {
            Candidates.join(group, "short", 1_000, List.of());
            Candidates.join(group, "long", 30_000, List.of());
        }
        for (String group : groups) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    Candidates.group(group).then().body("leader.candidateId", equalTo("long")).body("candidates.size()", equalTo(1)));
        }
    }
}
