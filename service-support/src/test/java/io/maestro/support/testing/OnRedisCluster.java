package io.maestro.support.testing;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

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
}
