package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Where the service may not change Redis' settings (managed Redis), missing keyspace notifications make it
 * unready with a message naming the setting; leases still end on time through the sweep.
 */
@QuarkusTest
@TestProfile(NotificationsNotAllowedTest.MayNotConfigureRedis.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class NotificationsNotAllowedTest {
    public static class MayNotConfigureRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("election.notifications.configure", "false", "election.notifications.check-interval", "200ms");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void readinessIsDownNamingTheSettingAndLeasesStillEnd() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'Redis keyspace notifications' }.data.problem",
                            containsString("set notify-keyspace-events to \"Ex\""))
                    .body("checks.find { it.name == 'Redis keyspace notifications' }.data.problem",
                            containsString("election.notifications.configure=false")));

            Candidates.join("notifications-off", "short", 300, List.of());
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    Candidates.group("notifications-off").then().body("candidates.size()", equalTo(0)));
        } finally {
            redis.execute("CONFIG", "SET", "notify-keyspace-events", "KEA");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
