package io.maestro.inventory;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The service's reactive datasource reaches its own database on the local stack, migrated by Flyway. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class LocalStackIntegrationTest {
    @Inject
    Pool pool;

    @Test
    void aRowWrittenThroughTheReactivePoolIsReadBackFromTheServicesOwnDatabase() {
        String eventId = UUID.randomUUID().toString();
        pool.preparedQuery("insert into processed_event (event_id, topic) values ($1, $2)")
                .execute(Tuple.of(eventId, "maestro.test")).await().atMost(Duration.ofSeconds(10));

        Row row = pool.preparedQuery("select topic, current_database() as db from processed_event where event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next();

        assertThat(row.getString("topic")).isEqualTo("maestro.test");
        assertThat(row.getString("db")).isEqualTo("maestro_inventory");
    }
}
