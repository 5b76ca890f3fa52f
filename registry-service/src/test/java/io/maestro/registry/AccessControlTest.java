package io.maestro.registry;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every registry operation with every kind of bad token, then with its scope. A refused registration would show in
 * {@code GET /v1/services}, which the test checks after every refused write.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class AccessControlTest extends AccessControlTests {
}
