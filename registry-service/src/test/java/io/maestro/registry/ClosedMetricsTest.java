package io.maestro.registry;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/** With {@code maestro.auth.metrics-open=false}, {@code /q/metrics} needs {@code metrics:read}; health stays open. */
@QuarkusTest
@TestProfile(ClosedMetricsTest.MetricsClosed.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ClosedMetricsTest {
    public static class MetricsClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maestro.auth.metrics-open", "false");
        }
    }

    @Test
    void closedMetricsNeedATokenWithMetricsReadWhileHealthStaysOpen() {
        given().header("X-Test-Anonymous", "true").get("/q/metrics").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer(Tokens.of("reader", "registry:read"))).get("/q/metrics").then().statusCode(403)
                .body("detail", containsString("metrics:read"));
        given().header("Authorization", Tokens.bearer(Tokens.of("scraper", "metrics:read"))).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_"));
        given().header("X-Test-Anonymous", "true").get("/q/health/ready").then().statusCode(200);
    }
}
