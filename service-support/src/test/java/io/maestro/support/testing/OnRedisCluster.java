package io.maestro.support.testing;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.redis.KeyShards;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The test profile of a Redis service on the local stack's Redis Cluster (three masters; Kafka and PostgreSQL from
 * the plaintext stack) instead of its single Redis. A service's profile extends it and sets its shard count.
 */
public abstract class OnRedisCluster implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalStackResource.class, Map.of(LocalStackResource.REDIS_ARG, "cluster")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** A new name for each shard, by shard: {@code <prefix>-<random>-<n>}. */
    public static Map<Integer, String> oneNamePerShard(KeyShards shards, String prefix) {
        Map<Integer, String> names = new TreeMap<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; names.size() < shards.count(); i++) {
            String name = prefix + "-" + run + "-" + i;
            names.putIfAbsent(shards.of(name), name);
        }
        return names;
    }
}
