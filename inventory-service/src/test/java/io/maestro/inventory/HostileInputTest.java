package io.maestro.inventory;

import io.maestro.inventory.repository.Database;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Every inventory operation against generated hostile input. Every change to an entity leaves an outbox row, so a
 * rejected request wrote nothing when no outbox row, IP range or allocation mentions the name it carried.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class HostileInputTest extends HostileInputTests {
    @Inject
    Database db;

    @Override
    protected String writtenUnder(String name) {
        return writtenUnder(db, name);
    }

    /** An outbox row, IP range or allocation that mentions {@code name}, or null: what a refused request must not leave. */
    static String writtenUnder(Database db, String name) {
        List<Row> rows = db.rows("""
                select 'outbox ' || op || ' ' || entity_name from outbox
                 where entity_name = $1 or strpos(coalesce(after::text, ''), $1) > 0
                union all select 'ip range ' || name from ip_range where name = $1
                union all select 'allocation ' || idempotency_key from allocation where strpos(request::text, $1) > 0""", name);
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }
}
