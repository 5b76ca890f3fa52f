package io.maestro.provisioner;

import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.repository.Sql;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Every documented provisioner operation against a hostile caller; a rejected request stores no command or cluster. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class HostileInputTest extends HostileInputTests {
    @Inject
    Sql sql;

    @Override
    protected String writtenUnder(String name) {
        return writtenUnder(sql, name);
    }

    /** A command or cluster stored under {@code name}, or null: what a refused request must not leave. */
    static String writtenUnder(Sql sql, String name) {
        var rows = sql.query("select id, type, cluster from command where cluster = $1 or id = $1 "
                + "union all select name, 'cluster', name from cluster where name = $1", name);
        return rows.isEmpty() ? null : rows.size() + " rows, first " + rows.get(0).getString(1) + " " + rows.get(0).getString(0);
    }
}
