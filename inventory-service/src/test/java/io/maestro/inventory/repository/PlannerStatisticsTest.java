package io.maestro.inventory.repository;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A bulk creation of thousands of rows does not leave the planner with the counts of before (PlannerStatistics). */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class PlannerStatisticsTest {
    @Inject
    Statements statements;

    /** How often {@code attribute} was analyzed by a statement (autovacuum's own analyses are counted apart). */
    private long analyses() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Transactions.read(() -> statements.one(
                    "select analyze_count from pg_stat_user_tables where relname = 'attribute'"))).longValue(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bulk(int entities) {
        String batch = "st" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            list.add(Map.of("name", batch + "-" + i, "type", "server",
                    "attributes", List.of(Map.of("key", "batch", "value", batch))));
        }
        given().contentType(ContentType.JSON).body(Map.of("entities", list)).post("/v1/entities/bulk").then().statusCode(201);
    }

    @Test
    void aBulkCreationOfAThousandRowsOrMoreIsAnalyzedAtOnceAndASmallOneIsLeftToAutovacuum() throws Throwable {
        long before = analyses();
        bulk(10); // 20 rows
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> analyses() == before);
        bulk(600); // 1,200 rows
        await().atMost(Duration.ofSeconds(15)).until(() -> analyses() > before);
    }
}
