package io.maestro.inventory.query;

import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.localstack.LocalStackResource;
import io.maestro.support.problem.ProblemException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.maestro.inventory.Api.connect;
import static io.maestro.inventory.Api.created;
import static io.maestro.inventory.Api.insert;
import static io.maestro.inventory.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The expression limits ({@link ExpressionParser#MAX_DEPTH}, {@link ExpressionParser#MAX_TERMS},
 * {@link ExpressionParser#MAX_LENGTH}) over HTTP: beyond them a 400 naming the field and the limit, at them
 * a statement PostgreSQL plans and runs.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_inventory"))
class ExpressionLimitsTest {
    @Inject
    Statements statements;

    private static ValidatableResponse search(String q) {
        return given().queryParam("q", q).get("/v1/entities").then();
    }

    private static String nested(int depth, String atom) {
        return "(".repeat(depth) + atom + ")".repeat(depth);
    }

    private static String joined(int terms, String separator, java.util.function.IntFunction<String> term) {
        return IntStream.range(0, terms).mapToObj(term).collect(Collectors.joining(separator));
    }

    @Test
    void twelveHundredNestedParenthesesAreA400NamingQAndTheDepthLimit() {
        search(nested(1200, "type:server")).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("q"))
                .body("errors[0].rule", containsString("nested more than " + ExpressionParser.MAX_DEPTH + " levels"));
    }

    @Test
    void twoThousandNestedParenthesesInAnAllocationQueryAreA400NamingQuery() {
        given().contentType(ContentType.JSON).body(Map.of("query", nested(2000, "type:server"), "count", 1)).post("/v1/allocations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("query"))
                .body("errors[0].rule", containsString("nested more than " + ExpressionParser.MAX_DEPTH + " levels"));
    }

    @Test
    void aLongChainOfNotIsA400NamingTheDepthLimit() {
        search("not ".repeat(1000) + "type:server").statusCode(400)
                .body("errors[0].field", equalTo("q"))
                .body("errors[0].rule", containsString("nested more than " + ExpressionParser.MAX_DEPTH + " levels"));
    }

    @Test
    void moreTermsThanTheLimitAreA400NamingTheTermLimit() {
        search(joined(ExpressionParser.MAX_TERMS + 1, " or ", i -> "pool:p" + i)).statusCode(400)
                .body("errors[0].field", equalTo("q"))
                .body("errors[0].rule", containsString("more than " + ExpressionParser.MAX_TERMS + " terms"));
    }

    @Test
    void anExpressionLongerThanTheLengthLimitIsA400NamingTheLengthLimit() {
        String q = "name:" + "a".repeat(120) + "*";
        String longQ = joined(ExpressionParser.MAX_LENGTH / q.length() + 1, " or ", i -> q);
        given().contentType(ContentType.JSON).body(Map.of("query", longQ, "count", 1)).post("/v1/allocations")
                .then().statusCode(400).body("errors[0].field", equalTo("query"))
                .body("errors[0].rule", containsString("at most " + ExpressionParser.MAX_LENGTH + " characters"));
        search(longQ).statusCode(400).body("errors[0].field", equalTo("q"));
    }

    @Test
    void theDeepestAllowedNestingOfNotAndParenthesesRunsInPostgreSql() {
        String server = unique("deep");
        created(server, "server");
        int half = ExpressionParser.MAX_DEPTH / 2;
        // an even number of "not"s inside the parentheses, so the expression still matches the server
        search(nested(half, "not ".repeat(half) + "name:" + server)).statusCode(200).body("items.name", hasItem(server));
    }

    @Test
    void aSearchStatementLongerThanTheQueryTimeoutIsStoppedByPostgreSql_andAnswered503() throws Throwable {
        long started = System.nanoTime();
        Throwable stopped = null;
        try {
            VertxContextSupport.subscribeAndAwait(() -> Transactions.search(Duration.ofMillis(200), () -> statements.one("select pg_sleep(3)")));
        } catch (Throwable e) {
            stopped = e;
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped at the timeout, not after the sleep").isLessThan(Duration.ofMillis(2500));
        assertThat(stopped).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.getMessage()).contains("inventory.query.timeout");
        });
        // the limit is the transaction's own: the session's next transaction has none
        assertThat(VertxContextSupport.subscribeAndAwait(() -> Transactions.read(() -> statements.one("select current_setting('statement_timeout')")))
                .string(0)).isEqualTo("0");
    }

    @Test
    void theLargestAllowedExpressionsOfContainmentAndConnectionTermsRunInPostgreSql() {
        String dc = unique("lim-dc");
        String rack = unique("lim-rack");
        String server = unique("lim-srv");
        // short, so that MAX_TERMS "connected:" terms fit in MAX_LENGTH characters
        String sw = "w" + UUID.randomUUID().toString().substring(0, 4);
        created(dc, "datacenter");
        created(rack, "rack");
        created(server, "server");
        created(sw, "switch");
        insert(dc, rack, null, null).statusCode(201);
        insert(rack, server, 1, 1).statusCode(201);
        connect(server, "eth0", sw, "p1").statusCode(201);
        int terms = ExpressionParser.MAX_TERMS;
        // each in: is a recursive CTE (the last one names the real datacenter), each connected: a join, each != two subqueries
        search(joined(terms, " or ", i -> "in:" + (i == terms - 1 ? dc : "x" + i))).statusCode(200).body("items.name", hasItem(server));
        search(joined(terms, " ", i -> "connected:" + sw)).statusCode(200).body("items.name", hasItem(server));
        search(joined(terms, " ", i -> "attr:k.s!=" + i)).statusCode(200).body("items.size()", equalTo(0));
    }
}
