package io.maestro.inventory;

import io.maestro.support.testing.TestDatabase;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Every inventory operation with every kind of bad token, then with its scope. Every change to an entity leaves an
 * outbox row, so a refused request wrote nothing when no outbox row, IP range or allocation mentions the name it carried.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class AccessControlTest extends AccessControlTests {
    final TestDatabase db = new TestDatabase();

    @Override
    protected String writtenUnder(String name) {
        return HostileInputTest.writtenUnder(db, name);
    }
}
