package io.maestro.inventory;

import io.maestro.inventory.repository.Database;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.AccessControlTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Every inventory operation with every kind of bad token, then with its scope. Every change to an entity leaves an
 * outbox row, so a refused request wrote nothing when no outbox row, IP range or allocation mentions the name it carried.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class AccessControlTest extends AccessControlTests {
    @Inject
    Database db;

    @Override
    protected String writtenUnder(String name) {
        List<Row> rows = db.rows("""
                select 'outbox ' || op || ' ' || entity_name from outbox
                 where entity_name = $1 or strpos(coalesce(after::text, ''), $1) > 0
                union all select 'ip range ' || name from ip_range where name = $1
                union all select 'allocation ' || idempotency_key from allocation where strpos(request::text, $1) > 0""", name);
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }
}
