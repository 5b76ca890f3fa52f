package io.maestro.registry.health;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.redis.KeyspaceNotifications;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** A Redis the service may not reconfigure (managed Redis): readiness is DOWN naming the exact setting. */
@QuarkusTest
@TestProfile(KeyspaceNotificationsReadinessTest.MayNotConfigure.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyspaceNotificationsReadinessTest {
    public static class MayNotConfigure implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.notifications.configure", "false");
        }
    }

    @Inject
    RedisDataSource redis;

    @Inject
    KeyspaceNotifications notifications;

    @Test
    void readinessIsDownNamingTheSettingUntilItIsFixed() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
        try {
            notifications.settings().ensure();
            given().when().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Redis keyspace notifications' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Redis keyspace notifications' }.data.problem",
                            containsString("set notify-keyspace-events to \"Egxt\""))
                    .body("checks.find { it.name == 'Redis keyspace notifications' }.data.problem",
                            containsString("registry.notifications.configure=false"));
        } finally {
            redis.execute("CONFIG", "SET", "notify-keyspace-events", "KEA");
        }
        notifications.settings().ensure();
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", hasItem("Redis keyspace notifications"));
    }
}
