package io.maestro.support.redis;

import io.maestro.localstack.Ports;
import io.maestro.support.connections.ConnectionSettings;
import io.vertx.mutiny.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The notify-keyspace-events check on a real Redis: fixed when allowed, else a message naming exactly what to set. */
class KeyspaceSettingsTest {
    private static TestRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start("settings");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @AfterEach
    void restore() {
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "KEA");
    }

    private static KeyspaceSettings settings(Redis client, boolean mayConfigure) {
        return new KeyspaceSettings(client, "registry-service", "Egxt", "registry.notifications.configure", mayConfigure,
                ConnectionSettings.of(Map.of("quarkus.redis.hosts", redis.server.url())));
    }

    @Test
    void missingFlagsAreAddedWithConfigSetKeepingTheOthers() {
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "Kh");
        KeyspaceSettings.Status status = settings(redis.admin, true).ensure();
        assertThat(status.enabled()).isTrue();
        assertThat(status.problem()).isNull();
        assertThat(KeyspaceSettings.missing("Egxt", redis.keyspaceEvents())).isEmpty();
        assertThat(redis.keyspaceEvents()).contains("K").contains("h");
    }

    @Test
    void theFlagsAreRecognisedThroughTheAliasA() {
        assertThat(KeyspaceSettings.missing("Egxt", "AKE")).isEmpty();
        assertThat(KeyspaceSettings.missing("Egxt", "KA")).isEqualTo("E");
        assertThat(KeyspaceSettings.missing("Egxt", "")).isEqualTo("Egxt");
        assertThat(KeyspaceSettings.missing("Ex", "Ex")).isEmpty();
        assertThat(KeyspaceSettings.missing("Ex", "KEA")).isEmpty();
        assertThat(KeyspaceSettings.missing("Ex", "")).isEqualTo("Ex");
        assertThat(KeyspaceSettings.missing("Ex", "Kx")).isEqualTo("E");
        assertThat(KeyspaceSettings.missing("Ex", "E")).isEqualTo("x");
    }

    @Test
    void whenConfiguringIsNotAllowedTheProblemSaysWhatToSetAndWhy() {
        redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "K$");
        KeyspaceSettings.Status status = settings(redis.admin, false).ensure();
        assertThat(status.enabled()).isFalse();
        assertThat(status.current()).isEqualTo("$K");
        assertThat(status.problem())
                .contains("Redis setting notify-keyspace-events is \"$K\" but registry-service needs the flags \"Egxt\"")
                .contains("x expired").contains("t stream commands such as xadd")
                .contains("registry.notifications.configure=false")
                .contains("set notify-keyspace-events to \"$KEgxt\"")
                .contains("CONFIG SET notify-keyspace-events $KEgxt");
        assertThat(redis.keyspaceEvents()).isEqualTo("$K");
    }

    @Test
    void whenRedisRefusesConfigSetTheProblemNamesTheExactSetting() {
        redis.run("ACL", "SETUSER", "limited", "on", ">limited-secret", "~*", "&*", "+@all", "-config", "+config|get");
        try {
            redis.run("CONFIG", "SET", KeyspaceSettings.SETTING, "");
            Redis limited = redis.client("redis://limited:limited-secret@127.0.0.1:" + redis.server.port());
            KeyspaceSettings.Status status = settings(limited, true).ensure();
            assertThat(status.enabled()).isFalse();
            assertThat(status.problem()).contains("notify-keyspace-events").contains("\"Egxt\"").contains("CONFIG SET was refused");
            assertThat(redis.keyspaceEvents()).isEmpty();
        } finally {
            redis.run("ACL", "DELUSER", "limited");
        }
    }

    @Test
    void anUnreachableRedisNamesTheConnectionSettingNotTheNotifications() throws Exception {
        int nobody = Ports.free();
        Redis unreachable = redis.client("redis://127.0.0.1:" + nobody);
        KeyspaceSettings settings = new KeyspaceSettings(unreachable, "election-service", "Ex", "election.notifications.configure", true,
                ConnectionSettings.of(Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + nobody)));
        KeyspaceSettings.Status status = settings.ensure();
        assertThat(status.enabled()).isFalse();
        assertThat(status.problem()).startsWith("cannot read Redis setting notify-keyspace-events: quarkus.redis.hosts: ")
                .doesNotContain("set notify-keyspace-events to").doesNotContain("Exception");
    }

    @Test
    void theDatabaseIndexComesFromTheRedisUrl() {
        assertThat(KeyspaceNotifications.databaseOf("redis://localhost:6379")).isZero();
        assertThat(KeyspaceNotifications.databaseOf("redis://localhost:6379/")).isZero();
        assertThat(KeyspaceNotifications.databaseOf("redis://redis:6379/3")).isEqualTo(3);
        assertThat(KeyspaceNotifications.databaseOf("redis://:secret@redis:6379/12,redis://other:6379/12")).isEqualTo(12);
    }
}
