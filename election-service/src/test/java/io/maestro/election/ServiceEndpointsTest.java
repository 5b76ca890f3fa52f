package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.ServiceContractTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, OpenAPI, metrics and problem+json, as every Maestro service answers them. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ServiceEndpointsTest extends ServiceContractTests {
}
