package io.maestro.registry.health;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the secured stack, with its own users over TLS but a wrong Redis password: readiness is DOWN and says which
 * setting to fix, in words; Kafka (SASL_SSL, its own SCRAM user) is UP. Neither the readiness answer nor the log holds
 * the wrong password or any password of the stack.
 */
@QuarkusTest
@TestProfile(WrongRedisPasswordReadinessTest.WrongRedisPassword.class)
class WrongRedisPasswordReadinessTest {
    static final String WRONG = "not-the-redis-password-5f0c2a9e";
    static final Path LOG = Path.of("target", "wrong-redis-password.log").toAbsolutePath();

    public static class WrongRedisPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WithWrongRedisPassword.class,
                    Map.of(LocalStackResource.SECURE_ARG, "true", LocalStackResource.SERVICE_ARG, "registry-service")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The secured stack and the service's own settings, its Redis password (in the address) replaced. */
    public static class WithWrongRedisPassword extends LocalStackResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.LinkedHashMap<>(super.start());
            String hosts = config.get("quarkus.redis.hosts");
            assertThat(hosts).as("the secured stack puts the password in the address").matches("rediss://registry-service:[^@]+@.*");
            config.put("quarkus.redis.hosts", hosts.replaceFirst(":[^:@/]+@", ":" + WRONG + "@"));
            return config;
        }
    }

    @Test
    void readinessNamesTheRedisSettingAndHoldsNoSecret() throws IOException {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getString("checks.find { it.name == 'Redis connection' }.data.redis"))
                    .isEqualTo("quarkus.redis.hosts: Redis refused the user name or password in the URL (WRONGPASS)");
            assertThat(ready.getString("checks.find { it.name == 'Kafka connection' }.status")).isEqualTo("UP");
        });
        String readiness = given().get("/q/health/ready").then().extract().asString();
        String log = Files.readString(LOG);
        assertThat(log).contains("Redis connection is not ready: quarkus.redis.hosts: Redis refused the user name or password in the URL");
        for (String secret : secrets()) {
            assertThat(readiness).as("readiness").doesNotContain(secret);
            assertThat(log).as("the log").doesNotContain(secret);
        }
        assertThat(readiness).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(readiness).as("the keyspace check blames the connection, not the notification setting")
                .contains("cannot read Redis setting notify-keyspace-events: quarkus.redis.hosts")
                .doesNotContain("superset such as");
    }

    /** The wrong password and every password of the secured stacks under target/local-stack. */
    private static List<String> secrets() throws IOException {
        List<String> secrets = new ArrayList<>(List.of(WRONG));
        try (Stream<Path> files = Files.find(Path.of("target", "local-stack"), 3,
                (path, attributes) -> path.getFileName().toString().equals("credentials.properties"))) {
            for (Path file : files.toList()) {
                Properties passwords = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    passwords.load(reader);
                }
                passwords.values().forEach(p -> secrets.add((String) p));
            }
        }
        assertThat(secrets).as("the stack's passwords were found").hasSizeGreaterThan(3);
        return secrets;
    }
}
