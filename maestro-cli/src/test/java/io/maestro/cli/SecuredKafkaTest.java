package io.maestro.cli;

import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.StackSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka commands on a secured Kafka (SASL_SSL, SCRAM, ACLs, no topic created by its users): they work with the
 * settings of a Kafka client properties file, and the token ledger works for a user without CREATE permission.
 */
class SecuredKafkaTest {
    @TempDir
    static Path dir;
    static LocalStack stack;
    static Path adminConfig;
    private static Map<String, String> savedEnvironment;
    private static Path savedUserConfig;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.securedOnFreePorts(dir.resolve("stack")).start();
        adminConfig = stack.security().dir().resolve(StackSecurity.ADMIN_KAFKA_CONFIG);
        savedEnvironment = Endpoints.environment;
        savedUserConfig = Endpoints.userConfig;
        Endpoints.userConfig = dir.resolve("no-user-config");
        SigningKey.ensure(dir.resolve("home/auth"));
        // What a secured ./maestro up gives the command line: where Kafka is, but no settings unless asked.
        Endpoints.environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers(),
                Credentials.HOME_VARIABLE, dir.resolve("home").toString());
    }

    @AfterAll
    static void stop() {
        Endpoints.environment = savedEnvironment;
        Endpoints.userConfig = savedUserConfig;
        if (stack != null) {
            stack.close();
        }
    }

    private static SuiteFixture.Result run(Map<String, String> extraEnvironment, String... args) {
        Map<String, String> before = Endpoints.environment;
        Map<String, String> env = new HashMap<>(before);
        env.putAll(extraEnvironment);
        Endpoints.environment = env;
        try {
            return SuiteFixture.run(args); // runs the command line only: this class starts no suite
        } finally {
            Endpoints.environment = before;
        }
    }

    private static Map<String, String> client(String user) {
        return stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), user);
    }

    private static Path clientFile(String user) throws Exception {
        Path file = dir.resolve(user + "-kafka.properties");
        StringBuilder text = new StringBuilder();
        client(user).forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
        return file;
    }

    @Test
    void tokenCommandsWorkWithTheSettingsFileGivenByOptionOrVariable() {
        String subject = "secured-" + UUID.randomUUID().toString().substring(0, 8);
        var created = run(Map.of(KafkaSettings.CONFIG_VARIABLE, adminConfig.toString()),
                "token", "create", "--subject", subject, "--scopes", "registry:read", "--ttl", "1h");
        assertThat(created.exitCode()).as(created.err()).isZero();

        var listed = run(Map.of(), "--kafka-config", adminConfig.toString(), "token", "list", "--json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(subject);
        String jti = created.err().split(" ")[1];
        var revoked = run(Map.of(), "token", "revoke", jti, "--kafka-config", adminConfig.toString());
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked " + jti);
    }

    @Test
    void withoutTheSettingsTheCommandSaysHowToGiveThemAndNoSecretIsShown() throws Exception {
        var plain = run(Map.of(), "token", "list");
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err().strip()).startsWith("error: cannot read the ledger (Kafka at " + stack.kafka().bootstrapServers() + ")")
                .contains("--kafka-config FILE or MAESTRO_KAFKA_CONFIG").doesNotContain("\n");

        Path wrong = dir.resolve("wrong-password.properties");
        Files.writeString(wrong, Files.readString(clientFile("registry-service"))
                .replace(stack.security().password("kafka", "registry-service"), "not-the-password-123"));
        var refused = run(Map.of(), "--kafka-config", wrong.toString(), "token", "list");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("settings from --kafka-config " + wrong).contains("invalid credentials")
                .doesNotContain("not-the-password-123").doesNotContain("Exception");
    }

    @Test
    void eventsReadsWithAServicesSettingsAndNamesATopicItMayNotRead() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(client("registry-service")),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY_CHANGES, "secured-probe", "{\"revision\":1}")).get(30, TimeUnit.SECONDS);
        }
        Path registry = clientFile("registry-service");
        var events = run(Map.of(), "events", Topics.REGISTRY_CHANGES, "--from-beginning", "--max", "1", "--kafka-config", registry.toString());
        assertThat(events.exitCode()).as(events.err()).isZero();
        assertThat(events.out()).contains("secured-probe");

        var refused = run(Map.of(KafkaSettings.CONFIG_VARIABLE, registry.toString()), "events", Topics.ELECTION_LEADERSHIP, "--max", "1");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot read " + Topics.ELECTION_LEADERSHIP).contains("Not authorized")
                .contains("MAESTRO_KAFKA_CONFIG=" + registry);
    }

    @Test
    void theLedgerNeedsNoCreatePermissionWhereTheTopicExistsAndSaysWhoMustCreateItWhereItDoesNot() throws Exception {
        Map<String, String> service = client("election-service");
        try (TokenLedger ledger = TokenLedger.with(service)) {
            ledger.list(); // the topic exists: DESCRIBE and READ are enough
        }
        Map<String, Object> admin = new HashMap<>(client(StackSecurity.ADMIN));
        try (Admin kafka = Admin.create(admin)) {
            kafka.deleteTopics(List.of(Topics.AUTH_TOKENS)).all().get(30, TimeUnit.SECONDS);
            await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !kafka.listTopics().names().get().contains(Topics.AUTH_TOKENS));
        }
        try (TokenLedger ledger = TokenLedger.with(service)) {
            assertThatThrownBy(ledger::list).isInstanceOf(TokenLedger.TopicMissingException.class)
                    .hasMessageContaining("an administrator must create it (compacted");
        } finally {
            try (TokenLedger ledger = TokenLedger.with(admin)) {
                await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(ledger::createTopic);
            }
        }
        try (TokenLedger ledger = TokenLedger.with(service)) {
            await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(ledger.list()).isEmpty());
        }
    }
}
