package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import java.util.List;

import static io.restassured.RestAssured.given;

/** Every election operation against generated hostile input; a rejected join leaves its group empty. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest extends HostileInputTests {

    @Override
    protected String writtenUnder(String name) {
        JsonPath group = given().get("/v1/groups/{group}", name).then().statusCode(200).extract().jsonPath();
        List<Object> candidates = group.getList("candidates");
        return candidates.isEmpty() && group.get("leader") == null ? null : "group " + name + ": " + group.prettify();
    }
}
