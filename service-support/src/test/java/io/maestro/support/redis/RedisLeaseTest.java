package io.maestro.support.redis;

import io.maestro.support.relay.PendingEvent;
import io.maestro.support.relay.RedisStreamLog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lease and the relay's cursor on a real Redis: one holder at a time, scripts run by SHA from the toolkit's resources. */
class RedisLeaseTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static TestRedis redis;
    private static RedisDataSource source;

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start("lease");
        Redis client = redis.client(redis.server.url());
        source = new BlockingRedisDataSourceImpl(redis.vertx, client, RedisAPI.api(client), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static String key(String what) {
        return "{test}:" + what + ":" + UUID.randomUUID();
    }

    private static String get(String key) {
        var value = redis.run("GET", key);
        return value == null ? null : value.toString();
    }

    private static long calls(String command) {
        String stats = redis.run("INFO", "commandstats").toString();
        var m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+),").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void oneHolderAtATimeAndAReleasedLeaseIsFreeForTheNext() {
        String key = key("lease");
        RedisLease first = new RedisLease(source, key, TTL);
        RedisLease second = new RedisLease(source, key, TTL);
        assertThat(first.hold()).isTrue();
        assertThat(first.hold()).as("renewed by its holder").isTrue();
        assertThat(second.hold()).isFalse();
        assertThat(get(key)).isEqualTo(first.holder());

        second.release();
        assertThat(get(key)).as("only the holder hands it back").isEqualTo(first.holder());
        first.release();
        assertThat(get(key)).isNull();
        assertThat(second.hold()).isTrue();
        assertThat(first.hold()).isFalse();
    }

    @Test
    void aLeaseItsHolderStoppedRenewingRunsOutAndIsTakenByAnother() {
        String key = key("lease");
        RedisLease gone = new RedisLease(source, key, Duration.ofMillis(300));
        RedisLease next = new RedisLease(source, key, TTL);
        assertThat(gone.hold()).isTrue();
        assertThat(next.hold()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(next::hold);
        assertThat(gone.hold()).isFalse();
    }

    @Test
    void theScriptsRunBySha1AndAreLoadedAgainAfterScriptFlush() {
        String key = key("lease");
        RedisLease lease = new RedisLease(source, key, TTL);
        redis.run("SCRIPT", "FLUSH");
        assertThat(lease.hold()).as("EVALSHA answered NOSCRIPT; sent whole").isTrue();
        lease.release();
        assertThat(get(key)).isNull();
        redis.run("CONFIG", "RESETSTAT");
        assertThat(lease.hold()).isTrue();
        lease.release();
        assertThat(calls("evalsha")).isEqualTo(2);
        assertThat(calls("eval")).isZero();
    }

    @Test
    void onlyTheLeaseHolderMovesTheRelayCursor() {
        RedisStreamLog.Keys keys = new RedisStreamLog.Keys(key("stream"), key("cursor"), key("lease"));
        RedisStreamLog holder = new RedisStreamLog("test", source, keys, TTL, (id, fields) -> null);
        RedisStreamLog other = new RedisStreamLog("test", source, keys, TTL, (id, fields) -> null);
        assertThat(holder.hold()).isTrue();
        assertThat(other.hold()).isFalse();

        assertThat(holder.acknowledge(List.of(new PendingEvent("5-0", null)))).isTrue();
        assertThat(get(keys.cursor())).isEqualTo("5-0");
        redis.run("CONFIG", "RESETSTAT");
        assertThat(other.acknowledge(List.of(new PendingEvent("9-0", null)))).as("a late holder is fenced").isFalse();
        assertThat(get(keys.cursor())).isEqualTo("5-0");
        assertThat(calls("eval")).isZero();

        holder.release();
        assertThat(get(keys.lease())).isNull();
        assertThat(other.acknowledge(List.of(new PendingEvent("9-0", null)))).as("a free lease is taken").isTrue();
        assertThat(get(keys.cursor())).isEqualTo("9-0");
        assertThat(holder.hold()).as("the lease the script took is the other's").isFalse();
        assertThat(other.hold()).isTrue();
    }
}
