package io.maestro.provisioner.rest;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Path parameters are checked against their rules before PostgreSQL sees them (it refuses U+0000 outright). */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class PathParameterRulesTest {

    /** Sends the path as written: %00 must reach the service as %00, not as %2500. */
    private static io.restassured.response.ValidatableResponse getRaw(String path) {
        return given().urlEncodingEnabled(false).get(path).then();
    }

    private static void badRequest(io.restassured.response.ValidatableResponse response) {
        response.statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void aCommandIdWithUPlus0000IsABadRequestNotAServerError() {
        badRequest(getRaw("/v1/commands/x%00"));
    }

    @Test
    void theEventsOfACommandIdWithUPlus0000AreABadRequestNotAServerError() {
        badRequest(getRaw("/v1/commands/x%00/events"));
    }

    @Test
    void aClusterNameOrTagWithUPlus0000IsABadRequest() {
        badRequest(getRaw("/v1/clusters/x%00"));
        badRequest(getRaw("/v1/clusters/x%00/nodes"));
        badRequest(getRaw("/v1/clusters/x/nodes?tag=a%00"));
        badRequest(getRaw("/v1/clusters/x/nodes/a%00/0/login"));
    }

    @Test
    void aClusterNameOrTagBreakingTheNameRuleIsABadRequestNamingIt() {
        getRaw("/v1/clusters/Upper%20Case").statusCode(400).body("errors[0].field", equalTo("name"));
        getRaw("/v1/clusters/ghost/nodes/Bad%20Tag/0/login").statusCode(400).body("errors[0].field", equalTo("tag"));
        getRaw("/v1/clusters/ghost/nodes?tag=Bad%20Tag").statusCode(400).body("errors[0].field", equalTo("tag"));
    }
}
