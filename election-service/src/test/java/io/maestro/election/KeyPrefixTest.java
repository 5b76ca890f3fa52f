package io.maestro.election;

import io.maestro.election.store.ElectionKeys;
import io.maestro.support.redis.KeyShards;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * election.key-prefix and election.shards decide where every key of the election model lives, in the Lua transitions
 * as in Java: each group in its shard, under the shard's hash tag.
 */
@QuarkusTest
@TestProfile(KeyPrefixTest.OtherPrefix.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyPrefixTest {
    static final String PREFIX = "tenant-7:election:";

    public static class OtherPrefix implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("election.key-prefix", PREFIX, "election.shards", "3", "quarkus.redis.max-pool-size", "16");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void aGroupItsEventsAndItsDeadlinesLiveUnderTheConfiguredPrefixInItsShardAndLeasesStillEnd() {
        ElectionKeys keys = new ElectionKeys(PREFIX, new KeyShards(3));
        String group = "prefixed-" + System.nanoTime();
        int shard = keys.shardOf(group);
        String groupPrefix = PREFIX + "{" + shard + "}:" + group + ":";
        Candidates.join(group, "short", 2_000, List.of("k"));
        assertThat(keys.group(group)).isEqualTo(groupPrefix);
        assertThat(redis.key().keys(groupPrefix + "*")).contains(groupPrefix + "token", groupPrefix + "lease:short", groupPrefix + "key-tokens");
        assertThat(redis.key().keys("maestro:election:*" + group + "*")).isEmpty();
        assertThat(redis.execute("XRANGE", keys.events(shard), "-", "+").toString()).contains(group);
        assertThat(redis.execute("ZSCORE", keys.shardPrefix(shard) + "_due", group)).isNotNull();
        assertThat(redis.value(String.class).get(PREFIX + "_shards")).isEqualTo("3");

        // the sweep reads the same deadlines: the lease ends on time
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                Candidates.group(group).then().body("candidates.size()", equalTo(0)));
    }

    @Test
    void groupsSpreadOverTheShardsAndEachShardsEventsReachAWatcher() {
        ElectionKeys keys = new ElectionKeys(PREFIX, new KeyShards(3));
        Map<Integer, String> groupOfShard = new java.util.TreeMap<>();
        long run = System.nanoTime();
        for (int i = 0; groupOfShard.size() < 3 && i < 1000; i++) {
            groupOfShard.putIfAbsent(keys.shardOf("spread-" + run + "-" + i), "spread-" + run + "-" + i);
        }
        assertThat(groupOfShard).hasSize(3);
        for (Map.Entry<Integer, String> entry : groupOfShard.entrySet()) {
            Candidates.join(entry.getValue(), "c", 10_000, List.of());
            assertThat(redis.execute("XRANGE", keys.events(entry.getKey()), "-", "+").toString()).contains(entry.getValue());
            Candidates.group(entry.getValue()).then().body("leader.candidateId", equalTo("c"));
        }
    }

    @Test
    void aPrefixThatIsEmptyOrHoldsBracesIsRefused() {
        KeyShards one = new KeyShards(1);
        assertThatThrownBy(() -> new ElectionKeys("", one)).hasMessageContaining("election.key-prefix must not be empty");
        assertThatThrownBy(() -> new ElectionKeys("a{b}:", one)).hasMessageContaining("election.key-prefix");
        ElectionKeys keys = new ElectionKeys("maestro:election:", one);
        assertThat(keys.events(0)).isEqualTo("maestro:election:{0}:_events");
        assertThat(keys.isLease("maestro:election:{0}:g:lease:c")).isTrue();
        assertThat(keys.isLease("maestro:election:{0}:g:candidate:c")).isFalse();
        assertThat(keys.isLease("other:{0}:g:lease:c")).isFalse();
    }
}
