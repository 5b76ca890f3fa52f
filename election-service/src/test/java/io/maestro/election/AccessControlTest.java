package io.maestro.election;

import io.maestro.election.store.ElectionStore;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Every election operation with every kind of bad token, then with its scope. A refused join, heartbeat, key change
 * or resignation must leave no key of its group in Redis.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class AccessControlTest extends AccessControlTests {
    @Inject
    RedisDataSource redis;
    @Inject
    ElectionStore store;

    @Override
    protected String writtenUnder(String name) {
        List<String> keys = redis.key().keys(store.keys().group(name) + "*");
        return keys.isEmpty() ? null : "Redis keys " + keys;
    }
}
