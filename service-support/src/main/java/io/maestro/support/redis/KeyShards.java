package io.maestro.support.redis;

import io.quarkus.runtime.Quarkus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * How a Redis service spreads its data over a Redis Cluster: each name (a service, a group) belongs to one of
 * {@code count} shards, and every key of a shard carries the shard's hash tag ({@code {3}}), so every script touches
 * one slot, and the shards' slots spread over the masters. A shard has its own change stream, relayed by its own
 * relay, so order holds per name, as the events' Kafka keys promise.
 *
 * <p>The shard of a name depends on the count: a data set is written with one count for good ({@link #verify}).
 */
public record KeyShards(int count) {
    public static final int MAX = 1024;
    private static final Logger LOG = Logger.getLogger(KeyShards.class);
    private static final long RECHECK_MS = 5_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    public KeyShards {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("the shard count must be between 1 and " + MAX + ", was " + count);
        }
    }

    /** The shard of {@code name}: the same on every replica and release (CRC-32 of its UTF-8 bytes). */
    public int of(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    /** Every shard, 0 to count - 1. */
    public IntStream all() {
        return IntStream.range(0, count);
    }

    /** The hash tag of a shard's keys. */
    public static String tag(int shard) {
        return "{" + shard + "}";
    }

    /**
     * Records the count in {@code key} when the data set has none yet; fails, naming {@code property}, when the data
     * set was written with another count (its names would be looked for in the wrong shards). Blocking.
     */
    public void verify(Redis redis, String key, String property) {
        redis.send(Request.cmd(Command.SET).arg(key).arg(count).arg("NX")).await().atMost(TIMEOUT);
        Response stored = redis.send(Request.cmd(Command.GET).arg(key)).await().atMost(TIMEOUT);
        if (stored != null && !Integer.toString(count).equals(stored.toString())) {
            throw new ShardCountMismatch("the data in Redis was written with " + stored + " shards (" + key + ") but " + property
                    + " is " + count + ": set " + property + "=" + stored + ", or start from an empty data set");
        }
    }

    /**
     * {@link #verify} at a service's start: a mismatch fails the start; when Redis cannot be asked yet (down, wrong
     * password: readiness says so), the check runs again every {@value #RECHECK_MS} ms until Redis answers, and a
     * mismatch found then stops the service, before it writes to the wrong shards.
     */
    public void verifyAtStart(Redis redis, Vertx vertx, String key, String property) {
        try {
            verify(redis, key, property);
        } catch (ShardCountMismatch mismatch) {
            throw mismatch;
        } catch (RuntimeException unreachable) {
            LOG.warnf("cannot check the shard count of the Redis data set yet (%s); checking again every %d ms",
                    unreachable.getMessage(), RECHECK_MS);
            vertx.setTimer(RECHECK_MS, id -> recheck(redis, vertx, key, property));
        }
    }

    private void recheck(Redis redis, Vertx vertx, String key, String property) {
        vertx.executeBlocking(Uni.createFrom().item(() -> {
            verify(redis, key, property);
            return true;
        })).subscribe().with(checked -> LOG.infof("shard count of the Redis data set checked: %d", count), failure -> {
            if (failure instanceof ShardCountMismatch) {
                LOG.errorf("stopping: %s", failure.getMessage());
                Quarkus.asyncExit(1);
            } else {
                vertx.setTimer(RECHECK_MS, id -> recheck(redis, vertx, key, property));
            }
        });
    }

    /** The data set was written with another shard count. */
    public static final class ShardCountMismatch extends IllegalStateException {
        ShardCountMismatch(String message) {
            super(message);
        }
    }
}
