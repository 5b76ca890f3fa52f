package io.maestro.election;

import io.maestro.election.store.ElectionKeys;
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

/** election.key-prefix decides where every key of the election model lives, in the Lua transitions as in Java. */
@QuarkusTest
@TestProfile(KeyPrefixTest.OtherPrefix.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyPrefixTest {
    static final String PREFIX = "tenant-7:election:";

    public static class OtherPrefix implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("election.key-prefix", PREFIX);
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void aGroupItsEventsAndItsDeadlinesLiveUnderTheConfiguredPrefixAndLeasesStillEnd() {
        String group = "prefixed-" + System.nanoTime();
        Candidates.join(group, "short", 2_000, List.of("k"));
        assertThat(redis.key().keys(PREFIX + "{" + group + "}:*")).contains(PREFIX + "{" + group + "}:token", PREFIX + "{" + group + "}:lease:short",
                PREFIX + "{" + group + "}:key-tokens");
        assertThat(redis.key().keys("maestro:election:{" + group + "}:*")).isEmpty();
        assertThat(redis.execute("XRANGE", new ElectionKeys(PREFIX).events(), "-", "+").toString()).contains(group);
        assertThat(redis.execute("ZSCORE", PREFIX + "due", group)).isNotNull();

        // the sweep reads the same deadlines: the lease ends on time
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                Candidates.group(group).then().body("candidates.size()", equalTo(0)));
    }

    @Test
    void aPrefixThatIsEmptyOrHoldsBracesIsRefused() {
        assertThatThrownBy(() -> new ElectionKeys("")).hasMessageContaining("election.key-prefix must not be empty");
        assertThatThrownBy(() -> new ElectionKeys("a{b}:")).hasMessageContaining("election.key-prefix");
        assertThat(new ElectionKeys("maestro:election:").events()).isEqualTo("maestro:election:events");
        assertThat(new ElectionKeys("maestro:election:").isLease("maestro:election:{g}:lease:c")).isTrue();
        assertThat(new ElectionKeys("maestro:election:").isLease("maestro:election:{g}:candidate:c")).isFalse();
        assertThat(new ElectionKeys("maestro:election:").isLease("other:{g}:lease:c")).isFalse();
    }
}
