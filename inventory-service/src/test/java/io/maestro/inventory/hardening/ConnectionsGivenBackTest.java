package io.maestro.inventory.hardening;

import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.Inventory;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every request gives its database connection back to the pool, whatever it answers: writes, reads, queries,
 * allocations granted and refused, history, an SVG, and the refusals of hostile input. A request that kept one
 * would leave a replica unable to answer after as many such requests as its pool has connections.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ConnectionsGivenBackTest {
    /** quarkus.datasource.reactive.max-size in application.properties. */
    private static final int POOL_SIZE = 20;
    private static final Duration WAIT = Duration.ofSeconds(2);

    @TestHTTPResource("/")
    URI service;
    private final TestDatabase database = new TestDatabase();

    @Test
    void everyKindOfRequestLeavesThePoolAsItFoundIt() {
        Inventory inv = Inventory.builder(service).token(Tokens.admin()).build();
        String dc = unique("pool-dc");
        int before = database.connectionsAvailable(POOL_SIZE, WAIT);
        assertThat(before).as("connections free before").isPositive();

        for (int round = 0; round < 3; round++) {
            String rack = dc + "-r" + round;
            if (round == 0) {
                inv.create(dc, "datacenter");
            }
            inv.create(rack, "rack");
            inv.insert(dc, rack);
            inv.create(rack + "-s", "server", Map.of("status", "free", "memory", 64));
            inv.insert(rack, rack + "-s", 1, 1);
            inv.setAttribute(rack + "-s", "memory", 128);
            assertThat(inv.query("type:server and in:" + dc)).isNotEmpty();
            assertThat(inv.locate(rack + "-s").chain()).isNotEmpty();
            assertThat(inv.history(rack + "-s")).isNotEmpty();
            given().get("/v1/racks/" + rack + "/elevation.svg").then().statusCode(200);
            assertThatThrownBy(() -> inv.query("type:server and (")).isInstanceOfSatisfying(MaestroApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
            assertThatThrownBy(() -> inv.get(dc + "-missing")).isInstanceOfSatisfying(MaestroApiException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> inv.create(rack, "rack")).isInstanceOfSatisfying(MaestroApiException.class,
                    e -> assertThat(e.status()).isEqualTo(409));
        }
        List<Entity> two = inv.allocate("type:server and in:" + dc + " and attr:status=free", 2).spreadBy("rack")
                .assignAttributes(Map.of("status", "taken")).commit();
        assertThat(two).hasSize(2);
        assertThatThrownBy(() -> inv.allocate("type:server and in:" + dc + " and attr:status=free", 2).commit())
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(409));

        assertThat(database.connectionsAvailable(POOL_SIZE, WAIT))
                .as("connections free after writes, reads, queries, allocations and refusals").isEqualTo(before);
    }
}
