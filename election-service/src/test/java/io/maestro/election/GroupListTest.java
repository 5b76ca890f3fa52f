package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/groups}: the groups with a live candidate, for an observer that does not know their names. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class GroupListTest {

    @Test
    void listsTheGroupsWithALiveCandidateByNameAndForgetsOneWhoseLastCandidateLeft() {
        String run = "list-" + UUID.randomUUID().toString().substring(0, 8);
        String tokenA = Candidates.join(run + "-a", "one", 10_000, List.of());
        Candidates.join(run + "-b", "one", 10_000, List.of());
        Candidates.join(run + "-b", "two", 10_000, List.of());
        Candidates.join(run + "-c", "one", 10_000, List.of());

        List<String> groups = given().queryParam("prefix", run).get("/v1/groups")
                .then().statusCode(200).body("truncated", equalTo(false)).extract().jsonPath().getList("groups", String.class);
        assertThat(groups).containsExactly(run + "-a", run + "-b", run + "-c");

        given().queryParam("prefix", run).queryParam("limit", 2).get("/v1/groups")
                .then().statusCode(200).body("groups.size()", equalTo(2)).body("truncated", equalTo(true));

        Candidates.resign(run + "-a", "one", tokenA).then().statusCode(204);
        List<String> after = given().queryParam("prefix", run).get("/v1/groups")
                .then().statusCode(200).extract().jsonPath().getList("groups", String.class);
        assertThat(after).containsExactly(run + "-b", run + "-c");
    }

    @Test
    void aBadPrefixOrLimitIsA400NamingTheParameter() {
        given().queryParam("prefix", "Upper Case").get("/v1/groups")
                .then().statusCode(400).body("errors[0].field", equalTo("prefix")).body("errors[0].rule", containsString("a-z 0-9"));
        for (String limit : List.of("0", "1001", "many")) {
            given().queryParam("limit", limit).get("/v1/groups")
                    .then().statusCode(400).body("errors[0].field", equalTo("limit")).body("errors[0].rule", containsString("1 to 1000"));
        }
    }
}
