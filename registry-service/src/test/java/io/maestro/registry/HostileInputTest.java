package io.maestro.registry;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every registry operation against generated hostile input. A rejected registration would show in
 * {@code GET /v1/services}, which the walk checks after every rejected write.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest extends HostileInputTests {
}
