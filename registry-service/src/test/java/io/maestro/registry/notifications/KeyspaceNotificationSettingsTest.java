package io.maestro.registry.notifications;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class KeyspaceNotificationSettingsTest {
    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    KeyspaceNotificationSettings settings;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @AfterEach
    void restore() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "KEA");
    }

    private String current() {
        return redis.execute("CONFIG", "GET", "notify-keyspace-events").get("notify-keyspace-events").toString();
    }

    @Test
    void missingFlagsAreAddedWithConfigSetKeepingTheOthers() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "Kh");
        KeyspaceNotificationSettings.Status status = settings.ensure();
        assertThat(status.enabled()).isTrue();
        assertThat(KeyspaceNotificationSettings.missing(current())).isEmpty();
        assertThat(current()).contains("K").contains("h");
    }

    @Test
    void theFlagsAreRecognisedThroughTheAliasA() {
        assertThat(KeyspaceNotificationSettings.missing("AKE")).isEmpty();
        assertThat(KeyspaceNotificationSettings.missing("KA")).isEqualTo("E");
        assertThat(KeyspaceNotificationSettings.missing("")).isEqualTo("Egxt");
    }

    @Test
    void whenRedisRefusesConfigSetTheStatusNamesTheExactSetting() {
        redis.execute("ACL", "SETUSER", "registry-limited", "on", ">limited-secret", "~*", "&*", "+@all", "-config", "+config|get");
        URI hosts = URI.create(redisHosts.split(",")[0]);
        Redis limited = Redis.createClient(vertx, "redis://registry-limited:limited-secret@" + hosts.getHost() + ":" + hosts.getPort());
        try {
            redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
            KeyspaceNotificationSettings.Status status = new KeyspaceNotificationSettings(limited, true).ensure();
            assertThat(status.enabled()).isFalse();
            assertThat(status.problem())
                    .contains("notify-keyspace-events")
                    .contains("Egxt")
                    .contains("CONFIG SET was refused");
            assertThat(current()).isEmpty();
        } finally {
            limited.close();
            redis.execute("ACL", "DELUSER", "registry-limited");
        }
    }

    @Test
    void whenConfiguringIsNotAllowedTheStatusSaysWhatToSet() {
        redis.execute("CONFIG", "SET", "notify-keyspace-events", "K$");
        KeyspaceNotificationSettings.Status status = new KeyspaceNotificationSettings(
                Redis.createClient(vertx, redisHosts.split(",")[0]), false).ensure();
        assertThat(status.enabled()).isFalse();
        assertThat(status.current()).isEqualTo("$K");
        assertThat(status.problem()).contains("set notify-keyspace-events to \"$KEgxt\"");
    }
}
