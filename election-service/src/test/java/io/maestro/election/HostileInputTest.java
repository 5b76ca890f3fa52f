package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

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

    @Test
    void aWatchCursorThatIsNoEventIdIsA400NamingTheFieldAndTheRule() throws Exception {
        String rule = "must be an event id such as 1700000000000-0";
        // beyond a stream id's 64-bit halves, and a bare number
        String[] more = {"99999999999999999999-0", "0-99999999999999999999", "1700000000000"};
        assertCursorsRejected("/v1/groups/hostile-watch/watch", "after", true, rule, more);
        assertCursorsRejected("/v1/groups/hostile-watch/watch", "Last-Event-ID", false, rule, more);
    }
}
