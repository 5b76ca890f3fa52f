package io.maestro.inventory.query;

import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner settings of application.properties reach PostgreSQL on the service's own connections (sent at
 * connection start): the query plans the README describes depend on them.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class PlannerSettingsTest {
    @Inject
    Statements statements;

    @Test
    void theServiceConnectionsPlanEachStatementForItsValuesForACachedInventoryWithoutParallelWorkers() throws Throwable {
        Row settings = VertxContextSupport.subscribeAndAwait(() -> Transactions.read(() -> statements.one(
                "select current_setting('random_page_cost'), current_setting('max_parallel_workers_per_gather'), current_setting('plan_cache_mode')")));
        assertThat(settings.string(0)).isEqualTo("1.1");
        assertThat(settings.string(1)).isEqualTo("0");
        assertThat(settings.string(2)).isEqualTo("force_custom_plan");
    }
}
