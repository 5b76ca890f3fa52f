package io.maestro.provisioner;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Every provisioner operation with every kind of bad token, then with its scope; a refused request stores no command or cluster. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class AccessControlTest extends AccessControlTests {
    final TestDatabase sql = new TestDatabase();

    @Override
    protected String writtenUnder(String name) {
        return HostileInputTest.writtenUnder(sql, name);
    }
}
