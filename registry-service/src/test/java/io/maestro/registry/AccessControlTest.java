package io.maestro.registry;

import io.maestro.registry.store.RegistryStore;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Every registry operation with every kind of bad token, then with its scope. A refused registration would show in
 * {@code GET /v1/services}, which the test checks after every refused write, and would leave keys of its service in
 * Redis.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class AccessControlTest extends AccessControlTests {
    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    @Override
    protected String writtenUnder(String name) {
        List<String> keys = redis.key().keys(store.keys().log(name).replace(":log", ":*"));
        return keys.isEmpty() ? null : "Redis keys " + keys;
    }
}
