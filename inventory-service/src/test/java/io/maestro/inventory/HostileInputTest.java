package io.maestro.inventory;

import io.maestro.support.testing.TestDatabase;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every inventory operation against generated hostile input. Every change to an entity leaves an outbox row, so a
 * rejected request wrote nothing when no outbox row, IP range or allocation mentions the name it carried.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class HostileInputTest extends HostileInputTests {
    final TestDatabase db = new TestDatabase();

    @Override
    protected String writtenUnder(String name) {
        return writtenUnder(db, name);
    }

    /** An outbox row, IP range or allocation that mentions {@code name}, or null: what a refused request must not leave. */
    static String writtenUnder(TestDatabase db, String name) {
        List<Row> rows = db.query("""
                select 'outbox ' || op || ' ' || entity_name from outbox
                 where entity_name = $1 or strpos(coalesce(after::text, ''), $1) > 0
                union all select 'ip range ' || name from ip_range where name = $1
                union all select 'allocation ' || idempotency_key from allocation where strpos(request::text, $1) > 0""", name);
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }

    @Test
    void aStringValueBeyondWhatItsIndexHoldsIsA400NamingTheLimitWhileTheLongestAllowedOneIsStored() {
        // random letters and digits barely compress: 2,048 of them must fit the (key, value) index, 2,049 are refused
        Random random = new Random(16);
        String longest = random.ints(2048, 0, 62).mapToObj(i -> String.valueOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(i)))
                .collect(Collectors.joining());
        String stored = Api.unique("long-value-ok");
        Api.create(stored, "server", Api.attr("note", longest)).statusCode(201);
        given().get("/v1/entities/" + stored + "/attributes?key=note").then().statusCode(200).body("[0].value", equalTo(longest));

        String refused = Api.unique("long-value-refused");
        Api.create(refused, "server", Api.attr("note", longest + "\u00e9")).statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("attributes[0].value: must be at most 2048 bytes in UTF-8"));
        assertThat(writtenUnder(refused)).isNull();
    }
}
