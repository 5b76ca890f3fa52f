package io.maestro.election;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.redis.KeyspaceNotifications;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The service turns on the keyspace notifications it needs when someone turned them off. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyspaceNotificationsTest {
    @Inject
    RedisDataSource redis;

    @Inject
    KeyspaceNotifications notifications;

    @Test
    void notificationsTurnedOffAreTurnedBackOn() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(redis.execute("CONFIG", "GET", "notify-keyspace-events").toString()).contains("E").contains("x"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theReplicaIsSubscribedAndSubscribesAgainWhenRedisDropsTheConnection() {
        await().atMost(Duration.ofSeconds(10)).until(notifications::isSubscribed);
        long before = notifications.subscriptions();
        redis.execute("CLIENT", "KILL", "TYPE", "pubsub");
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications.subscriptions() > before && notifications.isSubscribed());
    }
}
